/** Errors of the web GUI module. Each carries a stable `code`. */

/** The GUI files are not there (the app was not built): `GET /` answers 503 with this code. */
export class GuiNotBuiltError extends Error {
  readonly code = 'GUI_NOT_BUILT' as const
  constructor(readonly dir: string) {
    super('the web GUI is not built (run pnpm build)')
    this.name = 'GuiNotBuiltError'
  }
}
