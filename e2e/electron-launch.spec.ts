/**
 * Launches the real Electron app (only where a binary exists; the CI machine has none) and checks
 * what the hardening promises: the page is app://marketdesk/, has window.desk with exactly the
 * contract's functions, no Node, a CSP, and IPC answers.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { _electron as electron, expect, test } from '@playwright/test'
import { apiNames } from '../electron/shared/ipc'
import { findElectron } from './support/electron-binary'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const found = findElectron(root)
const mainBundle = path.join(root, 'dist-electron', 'main', 'index.cjs')
const skipReason = 'reason' in found ? found.reason : !existsSync(mainBundle) ? `先运行 npm run build / run npm run build first (${mainBundle} missing)` : ''
if (skipReason) console.log(`[electron-launch] skipped: ${skipReason}`)

test('the Electron app starts hardened with window.desk', async () => {
  test.skip(skipReason !== '', skipReason)
  if (!('path' in found)) return
  const app = await electron.launch({ executablePath: found.path, args: [root], cwd: root })
  try {
    const page = await app.firstWindow()
    await page.waitForLoadState('domcontentloaded')
    expect(page.url()).toMatch(/^app:\/\/marketdesk\//)
    const probe = await page.evaluate(async () => ({
      keys: Object.keys(window.desk ?? {}).sort(),
      node: typeof (globalThis as { require?: unknown }).require,
      proc: typeof (globalThis as { process?: unknown }).process,
      info: await window.desk?.appInfo({}),
    }))
    expect(probe.keys).toEqual([...apiNames].sort())
    expect(probe.node).toBe('undefined')
    expect(probe.proc).toBe('undefined')
    expect(probe.info).toMatchObject({ ok: true, value: { version: expect.any(String) } })
    const csp = await page.evaluate(async () => (await fetch(location.href)).headers.get('content-security-policy'))
    expect(csp).toContain("object-src 'none'")
    // A navigation to a foreign page is refused: the URL stays ours.
    await page.evaluate(() => { location.href = 'https://example.com/' }).catch(() => undefined)
    expect(page.url()).toMatch(/^app:\/\/marketdesk\//)
  } finally {
    await app.close()
  }
})
