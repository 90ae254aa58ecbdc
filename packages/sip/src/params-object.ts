/**
 * @internal Parameter dictionaries: objects without Object.prototype in their chain (a hostile `__proto__`,
 * `constructor` or `toString` parameter name is just a key), created in V8's fast mode
 * (`Object.create(null)` objects start in the slow dictionary mode).
 */
const Params = function Params(this: object) {} as unknown as new () => Record<string, string | true>
Params.prototype = Object.create(null)
Object.freeze(Params.prototype)

export function newParams(): Record<string, string | true> {
  return new Params()
}

const Headers = function Headers(this: object) {} as unknown as new () => Record<string, string>
Headers.prototype = Object.create(null)
Object.freeze(Headers.prototype)

export function newHeaders(): Record<string, string> {
  return new Headers()
}
