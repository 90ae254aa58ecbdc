import type { SentryPeerClient } from '@sentrypeer/client'

/** What every view of the GUI gets from the app shell. */
export interface GuiContext {
  /** The API client (same origin; with the token when one is stored). */
  readonly api: SentryPeerClient
  /** The API's absolute base URL, for the commands shown to copy. */
  readonly baseUrl: string
  /** Whether a token is in use (the feed commands then send one). */
  readonly hasToken: boolean
  /** Reports a failed call: 401 opens the token form, anything else goes to the status line. */
  fail(err: unknown): void
  /** False once the user navigated away from the view that asked (late answers are dropped). */
  current(): boolean
}
