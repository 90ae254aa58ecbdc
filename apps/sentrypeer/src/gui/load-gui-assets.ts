import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEFAULT_GUI_MAX_FILE_BYTES } from './constants.js'
import { GuiNotBuiltError } from './errors.js'

/** One GUI file, held in memory. */
export interface GuiAsset {
  readonly body: Buffer
  readonly contentType: string
  /** Strong ETag of the body (RFC 9110 §8.8.3), for 304 answers. */
  readonly etag: string
}

/** The built GUI files the API server serves (`/` and `/gui/<name>`). */
export interface GuiAssets {
  /** The directory the files were read from. */
  readonly dir: string
  /** Set when the GUI is not built: the routes answer 503 with its code. */
  readonly error?: GuiNotBuiltError
  /** A file by its name (`index.html`, `app.js`, `styles.css`), undefined when there is none. */
  get(name: string): GuiAsset | undefined
}

/** Options of {@link loadGuiAssets}. */
export interface GuiAssetsInit {
  /** Directory of the built GUI (default: `gui/` next to the built daemon, `dist/gui`). */
  dir?: string
  /** Largest file read (default {@link DEFAULT_GUI_MAX_FILE_BYTES}); bigger files are not served. */
  maxFileBytes?: number
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
}

/** `dist/gui` seen from the bundled daemon (`dist/cli.js`) and from the sources (`src/gui/*.ts`). */
function defaultDir(): string {
  const candidates = [new URL('./gui/', import.meta.url), new URL('../../dist/gui/', import.meta.url)]
  const found = candidates.find((u) => existsSync(fileURLToPath(new URL('index.html', u))))
  return fileURLToPath(found ?? (candidates[0] as URL))
}

/**
 * Reads the built web GUI into memory once (a few files, about 100 KiB), for the API server to serve.
 * Never throws: when the GUI is not built, `error` is set and the routes answer 503.
 *
 * @example
 * ```ts
 * const gui = loadGuiAssets({ dir: 'dist/gui' })
 * if (gui.error) console.warn(gui.error.message)
 * const api = await createApiServer({ port: 8082 }, { store, metrics, allowlist, gui })
 * ```
 */
export function loadGuiAssets(init: GuiAssetsInit = {}): GuiAssets {
  const dir = init.dir ?? defaultDir()
  const maxBytes = init.maxFileBytes ?? DEFAULT_GUI_MAX_FILE_BYTES
  const files = new Map<string, GuiAsset>()
  let names: string[] = []
  try {
    names = readdirSync(dir)
  } catch {
    // not built: handled below
  }
  for (const name of names) {
    const contentType = CONTENT_TYPES[extname(name)]
    if (contentType === undefined) continue
    const path = join(dir, name)
    try {
      const stat = statSync(path)
      if (!stat.isFile() || stat.size > maxBytes) continue
      const body = readFileSync(path)
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`
      files.set(name, { body, contentType, etag })
    } catch {
      // unreadable: not served
    }
  }
  const error = files.has('index.html') && files.has('app.js') ? undefined : new GuiNotBuiltError(dir)
  return {
    dir,
    ...(error === undefined ? {} : { error }),
    get: (name) => files.get(name),
  }
}
