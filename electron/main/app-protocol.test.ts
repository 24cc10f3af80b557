import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CSP, serveApp, type AppRoots } from './app-protocol'
import { isAllowedExternal, isAppUrl, isOwnBlobUrl } from './security'

let dir: string
let roots: AppRoots
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'desk-proto-'))
  const renderer = path.join(dir, 'renderer')
  await mkdir(path.join(renderer, 'assets'), { recursive: true })
  await writeFile(path.join(renderer, 'index.html'), '<!doctype html><title>MarketDesk</title>')
  await writeFile(path.join(renderer, 'assets', 'app.js'), 'console.log(1)')
  await writeFile(path.join(dir, 'secret.txt'), 'secret')
  await writeFile(path.join(dir, 'font.ttf'), 'ttf')
  await symlink(path.join(dir, 'secret.txt'), path.join(renderer, 'assets', 'leak.js'))
  roots = { renderer, fonts: { 'NotoSansSC_400Regular.ttf': path.join(dir, 'font.ttf') } }
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('app:// protocol', () => {
  it('serves the app with the strict CSP and the right types', async () => {
    const index = await serveApp('app://marketdesk/index.html', roots)
    expect(index.status).toBe(200)
    expect(index.headers.get('content-type')).toMatch(/text\/html/)
    expect(index.headers.get('content-security-policy')).toBe(CSP)
    expect(CSP).toContain("object-src 'none'")
    expect(CSP).not.toMatch(/'unsafe-eval'/)
    expect(await index.text()).toContain('MarketDesk')
    const js = await serveApp('app://marketdesk/assets/app.js', roots)
    expect(js.headers.get('content-type')).toMatch(/javascript/)
    // A router path without an extension gets the page.
    expect(await (await serveApp('app://marketdesk/quotes/123', roots)).text()).toContain('MarketDesk')
  })

  it('serves only the listed fonts', async () => {
    const font = await serveApp('app://marketdesk/fonts/NotoSansSC_400Regular.ttf', roots)
    expect(font.status).toBe(200)
    expect(font.headers.get('content-type')).toBe('font/ttf')
    expect((await serveApp('app://marketdesk/fonts/other.ttf', roots)).status).toBe(404)
  })

  it('serves no font name the map only inherits', async () => {
    const inherited = Object.assign(Object.create({ 'inherited.ttf': path.join(dir, 'secret.txt') }) as Record<string, string>, roots.fonts)
    const withProto: AppRoots = { renderer: roots.renderer, fonts: inherited }
    expect((await serveApp('app://marketdesk/fonts/NotoSansSC_400Regular.ttf', withProto)).status).toBe(200)
    const leak = await serveApp('app://marketdesk/fonts/inherited.ttf', withProto)
    expect(leak.status).toBe(404)
    expect(await leak.text()).not.toContain('secret')
  })

  it.each([
    'app://marketdesk/..%2fsecret.txt',
    'app://marketdesk/assets/..%2f..%2fsecret.txt',
    'app://marketdesk/%2e%2e/secret.txt',
    'app://marketdesk/assets/leak.js',
    'app://other/index.html',
    'file:///etc/passwd',
    'app://marketdesk/missing.js',
  ])('answers 404 for %s', async (url) => {
    const r = await serveApp(url, roots)
    expect(r.status).toBe(404)
    expect(await r.text()).not.toContain('secret')
  })
})

describe('navigation policy', () => {
  it('knows our pages and blob URLs from others', () => {
    expect(isAppUrl('app://marketdesk/index.html')).toBe(true)
    expect(isAppUrl('app://marketdesk.evil/index.html')).toBe(false)
    expect(isAppUrl('https://marketdesk/')).toBe(false)
    expect(isOwnBlobUrl('blob:app://marketdesk/6a1c')).toBe(true)
    expect(isOwnBlobUrl('blob:https://evil/6a1c')).toBe(false)
  })

  it('opens external links only for https on an allow-listed host', () => {
    const allow = new Set(['example.com'])
    expect(isAllowedExternal('https://example.com/help', allow)).toBe(true)
    expect(isAllowedExternal('http://example.com/help', allow)).toBe(false)
    expect(isAllowedExternal('https://example.com.evil.net/', allow)).toBe(false)
    expect(isAllowedExternal('https://user:pw@example.com/', allow)).toBe(false)
    expect(isAllowedExternal('file:///C:/Windows/system32/calc.exe', allow)).toBe(false)
    expect(isAllowedExternal('https://example.com/help')).toBe(false) // default list is empty
  })
})
