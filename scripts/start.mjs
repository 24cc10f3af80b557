#!/usr/bin/env node
/**
 * `npm start`: builds the renderer and the Electron bundles, then starts the desktop app if a real
 * Electron binary is present (node_modules/electron/path.txt and the file it names, or
 * ELECTRON_PATH), fetching it on the first start. Without one (e.g. installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1) it says why, in
 * Chinese and English, and serves the built renderer with `vite preview` for use in a browser.
 * A failed download is reported in one line and remembered (node_modules/.cache/marketdesk/
 * electron-unavailable), so an offline PC does not retry it on every start; the browser is opened
 * on the served app (not on CI, not on Linux without a display).
 * Flags: --no-build (reuse dist/ and dist-electron/), --browser (skip Electron even if present),
 * --retry-electron (forget a failed download and try again).
 * MARKETDESK_DEBUG=1 shows the Electron installer's own output (its stack trace when it fails).
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  clearMarker, downloadFailedLine, downloadSkippedLine, isOfflineError, markerApplies, markerPath,
  openerCommand, readMarker, writeMarker,
} from './lib/start-lib.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const args = new Set(process.argv.slice(2))
const PREVIEW_PORT = Number(process.env.PREVIEW_PORT ?? 4173)
const PREVIEW_URL = `http://127.0.0.1:${PREVIEW_PORT}/`
const DEBUG = process.env.MARKETDESK_DEBUG === '1'

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
 * here, on the first `npm start`, with electron's own installer. Offline it fails: we say so in one
 * line (its stack trace only with MARKETDESK_DEBUG=1), remember it, and go on in the browser.
 */
function fetchElectron() {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return
  const pkgDir = path.join(root, 'node_modules', 'electron')
  const installer = path.join(pkgDir, 'install.js')
  if (!existsSync(installer)) return
  let version = '?'
  try { version = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version } catch { /* keep '?' */ }
  const marker = markerPath(root)
  const markerRel = path.relative(root, marker).replaceAll('\\', '/')
  if (args.has('--retry-electron')) clearMarker(marker)
  const failed = readMarker(marker)
  if (markerApplies(failed, version)) {
    console.log(downloadSkippedLine({ date: failed.date, markerRel }))
    return
  }
  console.log('首次启动：下载 Electron 可执行文件… / first start: downloading the Electron binary…')
  const r = spawnSync(process.execPath, [installer], { cwd: pkgDir, timeout: 600_000, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  if (DEBUG) process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`)
  if (r.status === 0) return
  const output = `${r.error?.message ?? ''}\n${r.stdout ?? ''}\n${r.stderr ?? ''}`
  try { writeMarker(marker, version) } catch { /* read-only node_modules: we will simply try again next time */ }
  console.log(downloadFailedLine({ url: PREVIEW_URL, offline: isOfflineError(output), markerRel }))
}

/** Opens the served app in the default browser once it answers; any failure is silent (the URL is printed). */
function openBrowserWhenUp(child) {
  const opener = openerCommand(process.platform, PREVIEW_URL, process.env)
  if (!opener) return
  const deadline = Date.now() + 30_000
  let exited = false
  child.on('exit', () => { exited = true })
  const attempt = () => {
    if (exited || Date.now() > deadline) return
    const req = http.get(PREVIEW_URL, (res) => {
      res.resume()
      try {
        const p = spawn(opener.cmd, opener.args, { stdio: 'ignore', detached: true, windowsVerbatimArguments: opener.verbatim })
        p.on('error', () => {})
        p.unref()
      } catch { /* no opener on this PC */ }
    })
    req.on('error', () => setTimeout(attempt, 300))
    req.setTimeout(2000, () => req.destroy())
  }
  attempt()
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
  const url = PREVIEW_URL
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
  openBrowserWhenUp(child)
}
