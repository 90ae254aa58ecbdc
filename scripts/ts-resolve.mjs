// Lets Node run TypeScript files directly (Node >= 22.18 strips types) in benchmarks and test child
// processes: relative imports are written with `.js` extensions, as the TypeScript sources use them, and
// resolve to the `.ts` file. Use: `node --import <repo>/scripts/ts-resolve.mjs file.ts`.
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
