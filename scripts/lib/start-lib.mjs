/**
 * The parts of `npm start` (scripts/start.mjs) that decide rather than do, kept apart so they can be
 * tested: the marker that remembers a failed Electron download, what a failure looks like, the
 * one line that reports it, and the command that opens a browser on this platform.
 * Plain Node ESM: start.mjs runs before anything is built, without tsx.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/** Where a failed Electron download is remembered, under the project root. */
export function markerPath(root) {
  return path.join(root, 'node_modules', '.cache', 'marketdesk', 'electron-unavailable')
}

/**
 * The remembered failure, or null when there is none. `{ date, electron }`: when it failed (ISO)
 * and for which electron package version; unreadable content still counts as a failure ('?').
 */
export function readMarker(file) {
  let text
  try { text = readFileSync(file, 'utf8') } catch { return null }
  try {
    const m = JSON.parse(text)
    return { date: typeof m.date === 'string' ? m.date : '?', electron: typeof m.electron === 'string' ? m.electron : '?' }
  } catch {
    return { date: '?', electron: '?' }
  }
}

/** Remembers that the download of electron `version` failed at `now`. */
export function writeMarker(file, version, now = new Date()) {
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, JSON.stringify({ date: now.toISOString(), electron: version }) + '\n')
}

/** Forgets the failure (`--retry-electron`). */
export function clearMarker(file) {
  rmSync(file, { force: true })
}

/**
 * True when the remembered failure applies to the installed electron package: a marker for
 * another version (after `npm install` moved electron on) does not stop a new attempt.
 */
export function markerApplies(marker, installedVersion) {
  return marker !== null && (marker.electron === '?' || marker.electron === installedVersion)
}

/** True when the installer's output says the network could not be reached (not some other failure). */
export function isOfflineError(output) {
  return /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH)\b/.test(output)
}

const RETRY = 'npm start -- --retry-electron'

/** The one line printed when the download failed (zh-CN / English): what happened, where the app is, how to retry. */
export function downloadFailedLine({ url, offline, markerRel }) {
  const zhWhy = offline ? '无网络' : '下载失败'
  const enWhy = offline ? 'offline' : 'the download failed'
  return `无法下载 Electron（${zhWhy}），改为在浏览器中打开：${url}（下次启动不再尝试下载；要重试请删除 ${markerRel} 或运行 ${RETRY}）`
    + ` / Electron cannot be downloaded (${enWhy}); serving the app in your browser (not retried on the next start: delete ${markerRel} or run ${RETRY})`
}

/** The one line printed when an earlier failure is remembered and the download is skipped. */
export function downloadSkippedLine({ date, markerRel }) {
  const day = date.slice(0, 10)
  return `上次（${day}）无法下载 Electron，本次不再尝试；要重试请删除 ${markerRel} 或运行 ${RETRY}`
    + ` / Electron could not be downloaded on ${day}; not retrying (delete ${markerRel} or run ${RETRY})`
}

/**
 * How to open `url` in the default browser on `platform`, or null when no browser should be
 * opened: on CI, and on Linux without a graphical session (neither DISPLAY nor WAYLAND_DISPLAY).
 * `verbatim`: pass the arguments to cmd.exe unquoted (`start ""` takes the empty title literally).
 */
export function openerCommand(platform, url, env) {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0'
  if (ci) return null
  if (platform === 'darwin') return { cmd: 'open', args: [url], verbatim: false }
  if (platform === 'win32') return { cmd: 'cmd', args: ['/c', 'start', '""', url], verbatim: true }
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return null
  return { cmd: 'xdg-open', args: [url], verbatim: false }
}
