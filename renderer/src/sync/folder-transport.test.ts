/**
 * The folder transport over the real main-process handlers and a real temp folder (issue 7): small
 * files refused over their limit before anything parses them, this PC's own files only, and an
 * unmounted share that is never written to.
 */
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { SyncEngine } from '@core/sync/engine'
import { generateKeys } from '@core/sync/keys'
import { paths, SMALL_FILE_MAX } from '@core/sync/names'
import { MemorySyncStore } from '@core/sync/store'
import { isTransient, MemoryFolder, MemoryTransport, TransportError, type SyncTransport } from '@core/sync/transport'
import { fakeClock, makeFixture, type Fixture } from '../../../electron/main/ipc/test-fixture'
import { createFolderTransport } from './folder-transport'
import { deskOf } from './test-office'

const fixtures: Fixture[] = []
afterEach(async () => {
  for (const f of fixtures.splice(0)) await f.cleanup()
})

async function share(): Promise<{ fx: Fixture; root: string }> {
  const fx = await makeFixture({ clock: fakeClock() })
  fixtures.push(fx)
  const root = path.join(fx.dir, 'share')
  await mkdir(root)
  await fx.deps.settings.update({ sharedRoot: root })
  return { fx, root }
}

/** Another PC's handlers (own settings) on the same folder. */
async function secondPc(root: string): Promise<Fixture> {
  const fx = await makeFixture({ clock: fakeClock() })
  fixtures.push(fx)
  await fx.deps.settings.update({ sharedRoot: root })
  return fx
}

const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof TransportError ? e.code : String(e)))

async function engine(transport: SyncTransport, pc: string) {
  const store = new MemorySyncStore()
  const keys = await generateKeys(pc)
  let t = Date.UTC(2026, 10, 20, 2)
  return new SyncEngine({ transport, store, keys, clock: { now: () => (t += 1000) }, name: pc, app: '0.1.0', sleep: async () => {}, retryDelayMs: 0, writeAttempts: 2 })
}

describe('folder transport: hostile sizes', () => {
  it('fork oversized status: status and identity files over 64 KB are refused before they are parsed', async () => {
    const { fx, root } = await share()
    await writeFile(path.join(root, 'vault.json'), '{"id":"V1"}')
    await mkdir(path.join(root, 'pcs', 'PC02'), { recursive: true })
    await writeFile(path.join(root, 'pcs', 'PC02', 'status.json'), `{"pc":"PC02","cursors":{},"pad":"${'x'.repeat(200 * 1024)}"}`)
    await writeFile(path.join(root, 'pcs', 'PC02', 'identity.json'), `{"pc":"PC02","pad":"${'y'.repeat(1024 * 1024)}"}`)
    await mkdir(path.join(root, 'pcs', 'PC03'), { recursive: true })
    await writeFile(path.join(root, 'pcs', 'PC03', 'status.json'), '{"pc":"PC03","cursors":{}}')
    const t = createFolderTransport(deskOf(fx))

    // Asked for explicitly (what the engine passes), and by name for the small files of the folder.
    expect(await codeOf(t.read(paths.status('PC02'), { maxBytes: 64 * 1024 }))).toBe('EFBIG')
    expect(await codeOf(t.read(paths.status('PC02')))).toBe('EFBIG')
    expect(await codeOf(t.read(paths.identity('PC02')))).toBe('EFBIG')
    expect(new TextDecoder().decode(await t.read(paths.status('PC03'), { maxBytes: 64 * 1024 }))).toContain('PC03')
    expect(SMALL_FILE_MAX).toBe(64 * 1024)
    // The main process refuses it from its size, before reading it.
    const r = await fx.h['shared:read']({ rel: paths.status('PC02'), maxBytes: SMALL_FILE_MAX })
    expect(r.ok ? 'ok' : r.code).toBe('FILE_TOO_LARGE')
    expect(!r.ok && r.message).toMatch(/文件过大/)

    // The in-memory transport keeps the same contract.
    const folder = new MemoryFolder()
    folder.put(paths.status('PC02'), 'z'.repeat(SMALL_FILE_MAX + 1))
    const mt = new MemoryTransport(folder)
    expect(await codeOf(mt.read(paths.status('PC02'), { maxBytes: SMALL_FILE_MAX }))).toBe('EFBIG')
    expect(await codeOf(mt.read(paths.status('PC02')))).toBe('EFBIG')
  })
})

describe("folder transport: this PC's own files", () => {
  it("claims this PC's id on its first own write; a refused write is an export failure, not a retry", async () => {
    const { fx, root } = await share()
    const a = await engine(createFolderTransport(deskOf(fx)), 'PC01')
    await a.createVault()
    expect((await a.exportOnce()).ok).toBe(true)
    expect(await readdir(path.join(root, 'pcs'))).toEqual(['PC01'])
    expect((await fx.deps.settings.get()).ownPc).toBe('PC01')

    // A second PC whose main process already holds another id runs an engine under PC01's id
    // (a copied profile): it may not take PC01's folder over.
    const other = await secondPc(root)
    expect((await other.h['shared:claimPc']({ pc: 'PC02' })).ok).toBe(true)
    const t = createFolderTransport(deskOf(other))
    const err = await t.writeIfAbsent(paths.status('PC01'), new Uint8Array([1])).then(() => null, (e: unknown) => e)
    expect(err).toBeInstanceOf(TransportError)
    expect((err as TransportError).code).toBe('EREFUSED')
    expect(isTransient(err)).toBe(false)

    const impostor = await engine(t, 'PC01')
    await impostor.joinVault()
    const r = await impostor.exportOnce()
    expect(r.ok).toBe(false)
    expect(r.problem?.code).toBe('exportFailed')
    expect(await readFile(path.join(root, 'pcs', 'PC01', 'identity.json'), 'utf8')).toContain('"name":"PC01"')
  })
})

describe('folder transport: an unmounted share', () => {
  it('an emptied root pauses sync and stays empty (vault.json is the share\'s marker)', async () => {
    const { fx, root } = await share()
    const a = await engine(createFolderTransport(deskOf(fx)), 'PC01')
    await a.createVault()
    expect((await a.exportOnce()).ok).toBe(true)
    await rename(root, `${root}-server`)
    await mkdir(root)
    expect(await a.inspectFolder()).toEqual({ kind: 'empty' })
    const st = await a.syncOnce()
    expect(st.paused).toBe(true)
    expect(st.problems.map((p) => p.code)).toContain('folderUnavailable')
    expect(await readdir(root)).toEqual([])
  })

  it('fork unmounted share (engine): unmounted in the middle of a round, nothing is written on the mount point', async () => {
    const { fx, root } = await share()
    const inner = createFolderTransport(deskOf(fx))
    let unmountAfterCheck = false
    // The share goes away right after the engine's folder check read vault.json.
    const t: SyncTransport = {
      ...inner,
      async read(rel, opts) {
        const bytes = await inner.read(rel, opts)
        if (rel === paths.vault && unmountAfterCheck) {
          unmountAfterCheck = false
          await rename(root, `${root}-server`)
          await mkdir(root)
        }
        return bytes
      },
    }
    const a = await engine(t, 'PC01')
    await a.createVault()
    expect((await a.exportOnce()).ok).toBe(true)
    unmountAfterCheck = true
    const r = await a.exportOnce()
    expect(r.ok).toBe(false)
    expect(await readdir(root)).toEqual([])
  })
})
