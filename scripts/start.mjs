#!/usr/bin/env node
/**
 * `npm start`: builds the renderer and the Electron bundles, then starts the desktop app if a real
 * Electron binary is present (node_modules/electron/path.txt and the file it names, or
 * ELECTRON_PATH), fetching it on the first start. Without one (e.g. installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1) it says why, in
 * Chinese and English, and serves the built renderer with `vite preview` for use in a browser.
 * Flags: --no-build (reuse dist/ and dist-electron/), --browser (skip Electron even if present).
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const args = new Set(process.argv.slice(2))
const PREVIEW_PORT = Number(process.env.PREVIEW_PORT ?? 4173)

function step(cmd, cmdArgs) {
  console.log(`> ${cmd} ${cmdArgs.join(' ')}`)
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}

/** Path of a runnable Electron, or the reason there is none. Never loads the electron package. */
function findElectron() {
  const env = process.env.ELECTRON_PATH
  if (env) return existsSync(env) ? { path: env } : { zh: `ELECTRON_PATH=${env} 不存在`, en: `ELECTRON_PATH=${env} does not exist` }
  const pkg = path.join(root, 'node_modules', 'electron')
  const txt = path.join(pkg, 'path.txt')
  if (!existsSync(txt)) {
    return { zh: '没有 Electron 可执行文件（未能下载，或设置了 ELECTRON_SKIP_BINARY_DOWNLOAD）', en: 'no Electron binary (it could not be downloaded, or ELECTRON_SKIP_BINARY_DOWNLOAD is set)' }
  }
  const bin = path.join(pkg, 'dist', readFileSync(txt, 'utf8').trim())
  return existsSync(bin) ? { path: bin } : { zh: `Electron 可执行文件缺失：${bin}`, en: `the Electron binary is missing: ${bin}` }
}

if (!args.has('--no-build')) {
  step('npx', ['vite', 'build', '--logLevel', 'warn'])
  step('node', ['scripts/build-electron.mjs'])
}

/**
 * npm 11 runs no dependency install scripts unless package.json allows them, and we deny
 * electron's (its download would fail `npm install` on an offline PC). So the binary is fetched
 * here, on the first `npm start`, with electron's own installer; offline it fails and we go on.
 */
function fetchElectron() {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return
  const installer = path.join(root, 'node_modules', 'electron', 'install.js')
  if (!existsSync(installer)) return
  console.log('首次启动：下载 Electron 可执行文件… / first start: downloading the Electron binary…')
  const r = spawnSync(process.execPath, [installer], { cwd: path.dirname(installer), stdio: 'inherit', timeout: 600_000 })
  if (r.status !== 0) console.log('Electron 下载失败（无法连接网络？）/ the Electron download failed (no network?)')
}

let found = args.has('--browser') ? { zh: '按要求以浏览器方式运行（--browser）', en: '--browser was given' } : findElectron()
if (!found.path && !args.has('--browser') && !process.env.ELECTRON_PATH) {
  fetchElectron()
  found = findElectron()
}
if (found.path) {
  console.log(`启动 MarketDesk / starting MarketDesk: ${found.path}`)
  const env = { ...process.env }
  delete env.ELECTRON_RUN_AS_NODE // would start Electron as plain Node instead of the app
  const child = spawn(found.path, [root], { cwd: root, stdio: 'inherit', env })
  child.on('exit', (code) => process.exit(code ?? 0))
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
} else {
  const url = `http://127.0.0.1:${PREVIEW_PORT}/`
  console.log('')
  console.log(`无法启动桌面版：${found.zh}`)
  console.log(`改为在浏览器中运行：请打开 ${url}（打印、保存、导入使用浏览器自带功能；共享文件夹同步不可用）。`)
  console.log(`Cannot start the desktop app: ${found.en}`)
  console.log(`Serving the built app for a browser instead: open ${url} (print/save/import use the browser; shared-folder sync is unavailable).`)
  console.log('按 Ctrl+C 结束 / press Ctrl+C to stop.')
  console.log('')
  const child = spawn('npx', ['vite', 'preview', '--port', String(PREVIEW_PORT), '--strictPort', '--host', '127.0.0.1'], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  })
  child.on('exit', (code) => process.exit(code ?? 0))
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
}
