/**
 * Build step of the web GUI (used by tsup.config.ts and the tests, never at run time): bundles
 * `app.ts` with `@sentrypeer/client` into one browser ESM file and copies the page and stylesheet.
 */
import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'tsup'

/**
 * zod's namespace export pulls every translation of its error messages (about 260 KiB minified) into
 * the bundle; the GUI only shows English ones, so its locale index is cut down to `en`.
 */
const englishOnlyZodLocales = {
  name: 'english-only-zod-locales',
  setup(b: { onLoad(o: { filter: RegExp }, cb: () => { contents: string; loader: 'js' }): void }) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
      contents: "export { default as en } from './en.js'\n",
      loader: 'js',
    }))
  },
}

const here = fileURLToPath(new URL('./browser/', import.meta.url))

/**
 * Writes `index.html`, `app.js`, `styles.css` and `favicon.svg` into `outDir`.
 *
 * @example
 * ```ts
 * await buildGui('dist/gui')
 * ```
 */
export async function buildGui(outDir: string): Promise<void> {
  mkdirSync(outDir, { recursive: true })
  await build({
    entry: { app: join(here, 'app.ts') },
    outDir,
    format: ['esm'],
    platform: 'browser',
    target: 'es2022',
    // One self-contained file: the client and its schemas are bundled in.
    noExternal: [/.*/],
    minify: true,
    sourcemap: false,
    dts: false,
    clean: false,
    splitting: false,
    silent: true,
    config: false,
    outExtension: () => ({ js: '.js' }),
    esbuildPlugins: [englishOnlyZodLocales],
  })
  for (const name of ['index.html', 'styles.css', 'favicon.svg'])
    copyFileSync(join(here, name), join(outDir, name))
}
