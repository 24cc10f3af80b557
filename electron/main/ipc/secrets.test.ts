import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Channel } from '../../shared/ipc'
import { createHandlers } from './registry'
import { createSecretStore, fakeSafeStorage, type SafeStorageLike } from './secrets'
import { makeFixture, type Fixture } from './test-fixture'

const PASS = '恒泰办公室2026'
let f: Fixture | undefined

async function withSecrets(safe: SafeStorageLike = fakeSafeStorage()) {
  f = await makeFixture()
  const file = path.join(f.userData, 'secrets.json')
  const h = createHandlers({ ...f.deps, secrets: createSecretStore(file, safe) })
  return { h, file }
}

afterEach(async () => {
  await f?.cleanup()
  f = undefined
})

describe('secret:get/set/clear (issue 7: the remembered passphrase, sealed by the OS)', () => {
  it('remembers the office passphrase sealed by safeStorage in userData; the file never holds it as typed', async () => {
    const { h, file } = await withSecrets()
    expect(await h[Channel.secretGet]({ name: 'officePassphrase' })).toEqual({ ok: true, value: { value: null, available: true } })
    expect(await h[Channel.secretSet]({ name: 'officePassphrase', value: PASS })).toEqual({ ok: true, value: { stored: true } })
    expect(await h[Channel.secretGet]({ name: 'officePassphrase' })).toEqual({ ok: true, value: { value: PASS, available: true } })
    const onDisk = await readFile(file, 'utf8')
    expect(onDisk).not.toContain(PASS)
    expect(Buffer.from(onDisk).includes(Buffer.from(PASS))).toBe(false)
    expect(await h[Channel.secretClear]({ name: 'officePassphrase' })).toEqual({ ok: true, value: { cleared: true } })
    expect(await h[Channel.secretGet]({ name: 'officePassphrase' })).toEqual({ ok: true, value: { value: null, available: true } })
  })

  it('without protected storage (none, or Linux basic_text) nothing is stored and nothing is written', async () => {
    for (const safe of [fakeSafeStorage({ available: false }), fakeSafeStorage({ backend: 'basic_text' })]) {
      const { h, file } = await withSecrets(safe)
      expect(await h[Channel.secretSet]({ name: 'officePassphrase', value: PASS })).toEqual({ ok: true, value: { stored: false } })
      expect(await h[Channel.secretGet]({ name: 'officePassphrase' })).toEqual({ ok: true, value: { value: null, available: false } })
      await expect(readFile(file, 'utf8')).rejects.toThrow()
      await f!.cleanup()
    }
    f = undefined
  })

  it('handlers without a secret store (no Electron) answer "not available"', async () => {
    f = await makeFixture()
    expect(await f.h[Channel.secretGet]({ name: 'officePassphrase' })).toEqual({ ok: true, value: { value: null, available: false } })
    expect(await f.h[Channel.secretSet]({ name: 'officePassphrase', value: PASS })).toEqual({ ok: true, value: { stored: false } })
  })

  it('only the listed names, only short strings: not a general store for the renderer', async () => {
    const { h } = await withSecrets()
    for (const bad of [{ name: 'anything', value: 'x' }, { name: 'officePassphrase', value: '' }, { name: 'officePassphrase', value: 'x'.repeat(1001) }, { name: 'officePassphrase' }]) {
      const r = await h[Channel.secretSet](bad)
      expect(r.ok ? 'ok' : r.code).toBe('BAD_REQUEST')
    }
    const r = await h[Channel.secretGet]({ name: '../settings' })
    expect(r.ok ? 'ok' : r.code).toBe('BAD_REQUEST')
  })

  it('a corrupt file, or a seal from another machine, reads as nothing stored', async () => {
    const { h, file } = await withSecrets()
    await mkdir(path.dirname(file), { recursive: true })
    await writeFile(file, '{not json')
    expect(await h[Channel.secretGet]({ name: 'officePassphrase' })).toEqual({ ok: true, value: { value: null, available: true } })
    await writeFile(file, JSON.stringify({ officePassphrase: Buffer.from('sealed elsewhere').toString('base64'), other: 'x' }))
    expect(await h[Channel.secretGet]({ name: 'officePassphrase' })).toEqual({ ok: true, value: { value: null, available: true } })
    expect(await h[Channel.secretSet]({ name: 'officePassphrase', value: PASS })).toEqual({ ok: true, value: { stored: true } })
    expect(JSON.parse(await readFile(file, 'utf8'))).not.toHaveProperty('other')
  })
})
