#!/usr/bin/env node
/**
 * Bundles the Electron main process and preload with esbuild (CommonJS, Node platform):
 *   electron/main/index.ts    → dist-electron/main/index.cjs
 *   electron/preload/index.ts → dist-electron/preload/index.cjs   (sandboxed: only `electron` may stay external)
 */
import { build } from 'esbuild'
import { statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22', // Electron 41 ships Node 24; node22 syntax is safe
  external: ['electron'],
  sourcemap: true,
  logLevel: 'warning',
  absWorkingDir: root,
}

const outputs = [
  { entryPoints: ['electron/main/index.ts'], outfile: 'dist-electron/main/index.cjs' },
  { entryPoints: ['electron/preload/index.ts'], outfile: 'dist-electron/preload/index.cjs' },
]
for (const o of outputs) {
  await build({ ...common, ...o })
  const kb = (statSync(path.join(root, o.outfile)).size / 1024).toFixed(0)
  console.log(`built ${o.outfile} (${kb} KB)`)
}
