/**
 * The SIP methods of RFC 3261 and the IANA "SIP Methods" registry extensions (RFC 3262 PRACK, RFC 6665
 * SUBSCRIBE/NOTIFY, RFC 3903 PUBLISH, RFC 6086 INFO, RFC 3515 REFER, RFC 3428 MESSAGE, RFC 3311 UPDATE).
 * Any other method token is an extension or a scanner's invention: keep it out of bounded label sets.
 */
export const SIP_METHODS = [
  'INVITE',
  'ACK',
  'BYE',
  'CANCEL',
  'OPTIONS',
  'REGISTER',
  'PRACK',
  'SUBSCRIBE',
  'NOTIFY',
  'PUBLISH',
  'INFO',
  'REFER',
  'MESSAGE',
  'UPDATE',
] as const

/** One of {@link SIP_METHODS}. */
export type SipMethod = (typeof SIP_METHODS)[number]
