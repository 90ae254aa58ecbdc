import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { ConfigError } from './errors.js'
import { OPTIONS, type OptionKey, type OptionSpec } from './options.js'
import { configInputSchema, type SentryPeerConfig, withDefaults } from './schema.js'

/** Where the configuration comes from. Precedence: `cli` > `env` > config file > defaults. */
export interface LoadConfigInit {
  /** Values from the command line, keyed like the config file (booleans, strings, string lists). */
  cli?: Partial<Record<OptionKey, unknown>>
  /** Environment variables; usually `process.env`. */
  env?: Record<string, string | undefined>
  /** Base of relative config file paths; defaults to `process.cwd()`. */
  cwd?: string
}

type Source = { kind: 'cli' | 'env' | 'file'; name: string }

const BY_KEY = new Map<string, OptionSpec>(OPTIONS.map((o) => [o.key, o]))

/**
 * Parses a boolean environment value. Unlike the C SentryPeer, which turns a feature on whenever the
 * variable is set (even to `0`), `0`/`false`/`no`/`off` mean off and `1`/`true`/`yes`/`on` mean on.
 */
export function parseEnvBoolean(value: string): boolean | undefined {
  const v = value.trim().toLowerCase()
  if (v === '1' || v === 'true' || v === 'yes' || v === 'on') return true
  if (v === '0' || v === 'false' || v === 'no' || v === 'off') return false
  return undefined
}

function describe(key: string, source: Source | undefined): string {
  const spec = BY_KEY.get(key)
  if (source?.kind === 'env') return `environment variable ${source.name}`
  if (source?.kind === 'file') return `config file key "${source.name}"`
  if (spec) return spec.short ? `option -${spec.short}/--${spec.long}` : `option --${spec.long}`
  return `option ${key}`
}

function readEnv(env: Record<string, string | undefined>): {
  values: Record<string, unknown>
  sources: Map<string, Source>
} {
  const values: Record<string, unknown> = {}
  const sources = new Map<string, Source>()
  for (const spec of OPTIONS) {
    for (const name of spec.env) {
      const raw = env[name]
      if (raw === undefined || raw === '') continue
      const source: Source = { kind: 'env', name }
      if (spec.kind === 'boolean') {
        const b = parseEnvBoolean(raw)
        if (b === undefined) {
          throw new ConfigError(
            describe(spec.key, source),
            `"${raw}" is not a boolean (use 1/0 or true/false)`,
          )
        }
        values[spec.key] = b
      } else if (spec.kind === 'list') {
        values[spec.key] = raw
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '')
      } else {
        values[spec.key] = raw
      }
      sources.set(spec.key, source)
      break
    }
  }
  return { values, sources }
}

function readConfigFile(path: string, cwd: string, source: Source): Record<string, unknown> {
  let text: string
  try {
    text = readFileSync(resolve(cwd, path), 'utf8')
  } catch (err) {
    throw new ConfigError(describe('configFile', source), `cannot read ${path}: ${(err as Error).message}`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new ConfigError(describe('configFile', source), `${path} is not JSON: ${(err as Error).message}`)
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ConfigError(describe('configFile', source), `${path} must hold a JSON object`)
  }
  return json as Record<string, unknown>
}

/**
 * Builds the daemon configuration from the command line, the environment and the JSON config file, and
 * validates it. Throws {@link ConfigError} naming the option at fault; the CLI maps it to exit code 2.
 *
 * @example
 * const config = loadConfig({ cli: { sipResponsive: true }, env: process.env })
 */
export function loadConfig(init: LoadConfigInit = {}): SentryPeerConfig {
  const cwd = init.cwd ?? process.cwd()
  const cli: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(init.cli ?? {})) if (v !== undefined) cli[k] = v
  const env = readEnv(init.env ?? {})

  const sources = new Map<string, Source>()
  let file: Record<string, unknown> = {}
  const configFile = (cli.configFile ?? env.values.configFile) as string | undefined
  if (configFile !== undefined) {
    const source: Source =
      cli.configFile !== undefined
        ? { kind: 'cli', name: '--config-file' }
        : (env.sources.get('configFile') as Source)
    file = readConfigFile(configFile, cwd, source)
    for (const key of Object.keys(file)) sources.set(key, { kind: 'file', name: key })
  }
  for (const [key, source] of env.sources) sources.set(key, source)
  for (const key of Object.keys(cli)) sources.set(key, { kind: 'cli', name: key })

  const merged = { ...file, ...env.values, ...cli }
  const result = configInputSchema.safeParse(merged)
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '')
      const rest = issue.path.slice(1).join('.')
      if (issue.code === 'unrecognized_keys') {
        return `config file: unknown key(s) ${issue.keys.map((k) => `"${[key, k].filter(Boolean).join('.')}"`).join(', ')}`
      }
      return `${describe(key, sources.get(key))}${rest ? ` (${rest})` : ''}: ${issue.message}`
    })
    const first = result.error.issues[0]
    const firstKey = String(first?.path[0] ?? 'config')
    const err = new ConfigError(describe(firstKey, sources.get(firstKey)), '')
    err.message = lines.join('\n')
    throw err
  }
  return withDefaults(result.data)
}
