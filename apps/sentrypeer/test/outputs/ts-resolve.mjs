// Lets a child Node process import the TypeScript sources directly (Node >= 22.18 strips types): relative
// imports are written with `.js` extensions, as the sources use them, and resolve to the `.ts` file.
import { registerHooks } from 'node:module'

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context)
    } catch (error) {
      if (specifier.startsWith('.') && specifier.endsWith('.js')) {
        return nextResolve(`${specifier.slice(0, -3)}.ts`, context)
      }
      throw error
    }
  },
})
