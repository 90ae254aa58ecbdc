import type { SipEventInput } from '@sentrypeer/store'

/**
 * One recorded SIP event, as the daemon core hands it to the outputs: exactly the store's
 * `SipEventInput`, so the daemon passes the same object to the store and to the outputs.
 */
export type HoneypotEvent = SipEventInput
