/**
 * The deciding parts of `npm start` (scripts/lib/start-lib.mjs): the marker that remembers a
 * failed Electron download, what counts as offline, the one-line messages, the browser opener.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  clearMarker, downloadFailedLine, downloadSkippedLine, isOfflineError, markerApplies, markerPath,
  openerCommand, readMarker, writeMarker,
} from './lib/start-lib.mjs'

const URL_ = 'http://127.0.0.1:4173/'
const dirs: string[] = []
const tempRoot = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'md-start-'))
  dirs.push(d)
  return d
}
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }) })

describe('the electron-unavailable marker', () => {
  it('lives under node_modules/.cache/marketdesk of the project', () => {
    expect(markerPath('/p')).toBe(path.join('/p', 'node_modules', '.cache', 'marketdesk', 'electron-unavailable'))
  })

  it('is absent until written, remembers date and version, and is gone after clear', () => {
    const file = markerPath(tempRoot())
    expect(readMarker(file)).toBeNull()
    writeMarker(file, '41.7.1', new Date('2026-11-30T09:00:00Z'))
    expect(readMarker(file)).toEqual({ date: '2026-11-30T09:00:00.000Z', electron: '41.7.1' })
    clearMarker(file)
    expect(existsSync(file)).toBe(false)
    expect(readMarker(file)).toBeNull()
    clearMarker(file) // clearing twice is fine
  })

  it('counts unreadable content as a remembered failure', () => {
    const file = markerPath(tempRoot())
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(file, 'not json')
    expect(readMarker(file)).toEqual({ date: '?', electron: '?' })
    expect(markerApplies(readMarker(file), '41.7.1')).toBe(true)
  })

  it('stops a new download only for the electron version that failed', () => {
    expect(markerApplies(null, '41.7.1')).toBe(false)
    expect(markerApplies({ date: '2026-11-30', electron: '41.7.1' }, '41.7.1')).toBe(true)
    expect(markerApplies({ date: '2026-11-30', electron: '41.7.1' }, '42.0.0')).toBe(false)
  })
})

describe('the download failure', () => {
  it('is "offline" when the installer could not reach the network', () => {
    expect(isOfflineError('RequestError: getaddrinfo ENOTFOUND github.com\n    at ClientRequest.<anonymous>')).toBe(true)
    expect(isOfflineError('Error: getaddrinfo EAI_AGAIN github.com')).toBe(true)
    expect(isOfflineError('connect ETIMEDOUT 140.82.112.3:443')).toBe(true)
    expect(isOfflineError('Error: Generated checksum for "electron-v41.7.1-linux-x64.zip" did not match')).toBe(false)
    expect(isOfflineError('')).toBe(false)
  })

  it('is reported in one line, zh-CN first, with the URL and both ways to retry', () => {
    const line = downloadFailedLine({ url: URL_, offline: true, markerRel: 'node_modules/.cache/marketdesk/electron-unavailable' })
    expect(line).not.toContain('\n')
    expect(line.startsWith('无法下载 Electron（无网络），改为在浏览器中打开：http://127.0.0.1:4173/')).toBe(true)
    expect(line).toContain('Electron cannot be downloaded (offline); serving the app in your browser')
    expect(line).toContain('node_modules/.cache/marketdesk/electron-unavailable')
    expect(line).toContain('npm start -- --retry-electron')
    expect(downloadFailedLine({ url: URL_, offline: false, markerRel: 'm' })).toMatch(/^无法下载 Electron（下载失败）.*\(the download failed\)/)
  })

  it('when remembered, is mentioned in one line with its day and how to retry', () => {
    const line = downloadSkippedLine({ date: '2026-11-30T09:00:00.000Z', markerRel: 'm' })
    expect(line).not.toContain('\n')
    expect(line).toContain('上次（2026-11-30）无法下载 Electron，本次不再尝试')
    expect(line).toContain('npm start -- --retry-electron')
  })
})

describe('openerCommand', () => {
  it('uses xdg-open on Linux with a display, open on macOS, cmd /c start on Windows', () => {
    expect(openerCommand('linux', URL_, { DISPLAY: ':0' })).toEqual({ cmd: 'xdg-open', args: [URL_], verbatim: false })
    expect(openerCommand('linux', URL_, { WAYLAND_DISPLAY: 'wayland-0' })?.cmd).toBe('xdg-open')
    expect(openerCommand('darwin', URL_, {})).toEqual({ cmd: 'open', args: [URL_], verbatim: false })
    expect(openerCommand('win32', URL_, {})).toEqual({ cmd: 'cmd', args: ['/c', 'start', '""', URL_], verbatim: true })
  })

  it('opens nothing on CI or on Linux without a display', () => {
    expect(openerCommand('linux', URL_, {})).toBeNull()
    expect(openerCommand('linux', URL_, { DISPLAY: ':0', CI: 'true' })).toBeNull()
    expect(openerCommand('win32', URL_, { CI: '1' })).toBeNull()
    expect(openerCommand('darwin', URL_, { CI: 'true' })).toBeNull()
    expect(openerCommand('darwin', URL_, { CI: 'false' })?.cmd).toBe('open')
  })
})
