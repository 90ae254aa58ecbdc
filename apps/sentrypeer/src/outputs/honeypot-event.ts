/**
 * One recorded SIP event, as the daemon core hands it to the outputs.
 *
 * The fields are exactly the store's `SipEventInput` (see `@sentrypeer/store`), so the daemon passes the
 * same object to the store and to the outputs.
 */
export interface HoneypotEvent {
  /** Event time in milliseconds since the Unix epoch. */
  eventTime: number
  eventUuid: string
  sourceIp: string
  sourcePort: number
  destinationIp: string
  destinationPort: number
  transport: 'udp' | 'tcp' | 'tls'
  method: string
  calledNumberRaw: string
  calledNumberNormalized: string
  userAgent?: string
  callId?: string
  rawMessage?: string
  collectionMode: 'passive' | 'responsive'
  collectorNodeId: string
  /** `'local'` or the id of the peer the event came from. */
  origin: string
}
