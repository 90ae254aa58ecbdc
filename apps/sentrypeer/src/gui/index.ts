/**
 * The web GUI module of the daemon, server side: reading the built files and serving them from the
 * API server. The browser side starts at `app.ts` and is bundled by {@link buildGui} at build time.
 */
export * from './constants.js'
export * from './errors.js'
export type { GuiAsset, GuiAssets, GuiAssetsInit } from './load-gui-assets.js'
export { loadGuiAssets } from './load-gui-assets.js'
export { registerGuiRoutes } from './register-gui-routes.js'
