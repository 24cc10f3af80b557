/**
 * Test helper: PCs of one office in one Node process, each with its own fake IndexedDB and its own
 * main-process handlers (electron/main/ipc/registry.ts, the code Electron runs), all pointed at ONE
 * real temp folder. Only tests import this file.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { Channel } from '@shared/ipc'
import type { Actor } from '@core/model'
import type { FormData } from '@forms/schema/types'
import { formById } from '@forms/registry'
import { makeFixture, type Fixture } from '../../../electron/main/ipc/test-fixture'
import { openDb, type DeskDb } from '../data/db'
import { createDirectoryStore, type DeskDirectoryStore } from '../data/directory'
import { createDocumentStore, type DeskDocumentStore } from '../data/documents'
import { createFolderTransport, type SharedFolderApi } from './folder-transport'
import { IdentityStore } from './identity'
import { createSyncService, type EngineTuning, type SyncService } from './sync-service'
import { installDemoDirectory, signInAs } from '../data/test-setup'
import { FAST_KDF } from '@core/trust/password'
import { TrustGate } from '@core/trust/gate'
import { createGatePort } from './gate-port'

export const clerkA: Actor = { userId: '5e1f0a10-0000-4000-8000-000000000002', name: '李强' }
/** 张敏 of CS, who records customers as 老客户 (only CS and marketing management may). */
export const csClerk: Actor = { userId: '5e1f0a10-0000-4000-8000-000000000001', name: '张敏' }
export const clerkB: Actor = { userId: '5e1f0a10-0000-4000-8000-000000000003', name: '王芳' }
/** The demo office's administrator. */
export const admin: Actor = { userId: '5e1f0a10-0000-4000-8000-000000000001', name: '张敏' }

/** One wall clock for the office, stepping a second per reading (PC clocks agree here). */
export function officeClock(start = '2026-11-20T02:00:00.000Z') {
  let t = Date.parse(start)
  return { now: () => (t += 1000), iso: () => new Date((t += 1000)).toISOString() }
}

/** `window.desk`'s shared functions, answered by real handlers. */
export function deskOf(fx: Fixture): SharedFolderApi {
  return {
    sharedList: (r) => fx.h[Channel.sharedList](r),
    sharedRead: (r) => fx.h[Channel.sharedRead](r),
    sharedWriteIfAbsent: (r) => fx.h[Channel.sharedWriteIfAbsent](r),
    sharedRemove: (r) => fx.h[Channel.sharedRemove](r),
    sharedClaimPc: (r) => fx.h[Channel.sharedClaimPc](r),
  }
}

export interface TestPc {
  name: string
  db: DeskDb
  idb: IDBFactory
  documents: DeskDocumentStore
  directory: DeskDirectoryStore
  sync: SyncService
  fx: Fixture
  /** Reopens the PC (an app restart): same IndexedDB, same identity, new service. */
  restart(tuning?: EngineTuning): Promise<TestPc>
}

/** A PC with its own database and handlers, its shared root set to `shared`, PC code `code`. */
export async function makePc(shared: string, name: string, code: string, clock: ReturnType<typeof officeClock>, tuning: EngineTuning = {}, idb = new IDBFactory(), fx?: Fixture): Promise<TestPc> {
  const fixture = fx ?? (await makeFixture())
  await fixture.deps.settings.update({ sharedRoot: shared })
  const db = await openDb(`marketdesk-${code}`, idb, IDBKeyRange)
  const directory = createDirectoryStore(db, { now: clock.iso, kdf: FAST_KDF })
  if ((await db.settings.get('pcCode'))?.value !== code) await directory.setPcCode(code)
  await installDemoDirectory(directory)
  await signInAs(directory, clerkA)
  const store = createDocumentStore(db, { forms: formById, now: clock.iso, settings: () => directory.settings(), signer: () => directory.current() })
  // Tests write as different clerks on one PC: the clerk named by a write signs in first, as a
  // person would at the keyboard (every write is signed by whoever is signed in).
  const asActor = async (actor: unknown) => {
    const a = actor as Actor | undefined
    if (a && typeof a.userId === 'string' && directory.current()?.user.id !== a.userId) await signInAs(directory, a)
  }
  const documents = new Proxy(store, {
    get(target, prop) {
      const f = Reflect.get(target, prop, target) as unknown
      if (typeof f !== 'function' || !['create', 'update', 'remove', 'addAttachment'].includes(String(prop))) return f
      return async (...args: unknown[]) => {
        await asActor(prop === 'create' || prop === 'addAttachment' ? args[3 - (prop === 'create' ? 1 : 0)] : prop === 'remove' ? args[1] : args[2])
        return (f as (...x: unknown[]) => unknown).apply(target, args)
      }
    },
  })
  const identity = new IdentityStore({ name: `identity-${code}`, indexedDB: idb, IDBKeyRange })
  const sync = await createSyncService({
    db, transport: createFolderTransport(deskOf(fixture)), name, app: '0.1.0', identity, pcHint: code, clock, debounceMs: 20,
    // As the app runs it: every change passes this PC's trust gate before it merges.
    gate: new TrustGate(createGatePort(db, formById)), signer: () => directory.current(),
    engine: { sleep: async () => undefined, retryDelayMs: 0, graceMs: 0, gapTimeoutMs: 0, ...tuning },
  })
  const pc: TestPc = {
    name, db, idb, documents, directory, sync, fx: fixture,
    async restart(t = tuning) {
      sync.stop()
      await sync.idle()
      db.close()
      return makePc(shared, name, code, clock, t, idb, fixture)
    },
  }
  return pc
}

/** A temp shared folder and the cleanup of every fixture made on it. */
export async function sharedFolder(): Promise<{ dir: string; cleanup: (pcs: TestPc[]) => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'desk-shared-'))
  return {
    dir,
    async cleanup(pcs) {
      for (const p of pcs) {
        p.sync.stop()
        await p.sync.idle()
        p.db.close()
        await p.fx.cleanup()
      }
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** A creates the vault; every other PC joins and is approved by A; all sync until each trusts all. */
export async function formOffice(pcs: TestPc[]): Promise<void> {
  const [a, ...rest] = pcs as [TestPc, ...TestPc[]]
  await a.sync.createVault()
  for (const p of rest) {
    await p.sync.joinVault()
    await p.sync.syncNow()
  }
  await a.sync.syncNow()
  for (const p of rest) await approveAsAdmin(a, p.sync.pc)
  await syncAll(pcs)
}

/** The demo administrator (张敏) approves a PC on `on`, as the app does: a signed entry, then the engine's approval. */
export async function approveAsAdmin(on: TestPc, pc: string): Promise<void> {
  const before = on.directory.current()
  await signInAs(on.directory, admin)
  const peer = (await on.sync.store.peers()).find((p) => p.pc === pc)!
  const entry = await on.directory.approvePc({ pc, name: peer.name, publicKey: peer.publicKey })
  await on.sync.approvePc(pc, { entry: entry.id })
  if (before) await signInAs(on.directory, { userId: before.user.id, name: before.user.name }, before.grantId)
}

/** Rounds in turn until nothing moves (two full passes). */
export async function syncAll(pcs: TestPc[], passes = 2): Promise<void> {
  for (let i = 0; i < passes; i++) for (const p of pcs) await p.sync.syncNow()
}

export function customerData(fullName: string): FormData {
  return {
    values: { fullName, shortName: null, address: null, phone: null, legalPerson: null, industry: 'appliance', scale: 'large', traded: true, paymentMethod: 'cash', creditDays: null, taxNo: null, bank: null, bankAccount: null, remarks: null },
    lines: { contacts: [{ id: 'c1', values: { name: '何俊', title: '采购主管', phone: null, email: null } }] },
  }
}

export function quotationData(customer: string): FormData {
  return {
    values: { customer, contact: '何俊', quoteDate: '2026-11-20', validUntil: '2026-12-20', currency: 'CNY', paymentMethod: 'credit', creditDays: 60 },
    lines: { items: [
      { id: 'i1', values: { productName: '阻燃PC/ABS合金', spec: null, quantity: '1000', unit: 'kg', unitPrice: 2380, taxRate: '13' } },
      { id: 'i2', values: { productName: '玻纤增强PP', spec: null, quantity: '500', unit: 'kg', unitPrice: 1265, taxRate: '13' } },
    ] },
  }
}

/** Edits a document's values as the edit page does (load, change, save). */
export async function edit(pc: TestPc, id: string, patch: Record<string, unknown>, actor: Actor = clerkA) {
  const loaded = (await pc.documents.load(id))!
  const lines: FormData['lines'] = {}
  for (const l of loaded.lines) (lines[l.field] ??= []).push({ id: l.id, values: l.values })
  return pc.documents.update(id, { values: { ...loaded.doc.values, ...patch } as FormData['values'], lines }, actor)
}
