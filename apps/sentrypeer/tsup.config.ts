import { defineConfig } from 'tsup'
import { buildGui } from './src/gui/build-gui.js'

export default defineConfig({
  entry: ['src/cli.ts', 'src/daemon-store-worker.ts'],
  format: ['esm'],
  dts: false,
  sourcemap: true,
  clean: true,
  target: 'node22',
  // The web GUI: app.ts and @sentrypeer/client bundled for the browser into dist/gui.
  onSuccess: () => buildGui('dist/gui'),
})
