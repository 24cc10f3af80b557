/** Test helpers: a fresh fake IndexedDB per test, a stepping clock, the stores wired as the app wires them. */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { formById } from '@forms/registry'
import type { Actor } from '@core/model'
import { openDb, type DeskDb } from './db'
import { createDirectoryStore, type DeskDirectoryStore } from './directory'
import { createDocumentStore, type DeskDocumentStore } from './documents'
import { DEMO_OFFICE, DEMO_PASSWORD, demoDirectory } from './seed'
import { FAST_KDF } from '@core/trust/password'

export const sales: Actor = { userId: '5e1f0a10-0000-4000-8000-000000000002', name: '李强' }
export const director: Actor = { userId: '5e1f0a10-0000-4000-8000-000000000004', name: '陈志远' }
/** 张敏 of CS: only CS and marketing management may mark a customer 老客户 (the customer's status section). */
export const cs: Actor = { userId: '5e1f0a10-0000-4000-8000-000000000001', name: '张敏' }

/** A clock that advances one second per call, starting at `start` (ISO). */
export function steppingClock(start = '2026-11-20T02:00:00.000Z'): () => string {
  let t = Date.parse(start)
  return () => new Date((t += 1000)).toISOString()
}

export async function setup(opts: { idb?: IDBFactory; name?: string; now?: () => string; searchWaitMs?: number; digestGate?: (form: string) => Promise<void> } = {}) {
  const idb = opts.idb ?? new IDBFactory()
  const db = await openDb(opts.name ?? 'marketdesk', idb, IDBKeyRange)
  const now = opts.now ?? steppingClock()
  const directory = createDirectoryStore(db, { now, kdf: FAST_KDF })
  // Searches wait for the list digest (the index fallback is tested on its own, with a wait of 0).
  const store = createDocumentStore(db, { forms: formById, now, settings: () => directory.settings(), signer: () => directory.current(), searchWaitMs: opts.searchWaitMs ?? Number.POSITIVE_INFINITY, digestGate: opts.digestGate })
  await installDemoDirectory(directory)
  await signInAs(directory, sales)
  // A create names its actor: that clerk signs in first, as a person would at the keyboard (every
  // write is signed, and its rights judged, as whoever is signed in).
  const documents: typeof store = {
    ...store,
    async create(form, data, actor, o) {
      // Only a switch between clerks: nobody signed in stays nobody (a write must then be refused).
      const current = directory.current()
      if (current && current.user.id !== actor.userId) await signInAs(directory, actor)
      return store.create(form, data, actor, o)
    },
  }
  return { idb, db, now, directory, documents }
}

/** The demo office's signed directory (its users, with the demo password), on a profile that has none. */
export async function installDemoDirectory(directory: DeskDirectoryStore): Promise<void> {
  if ((await directory.office()).kind === 'none') await directory.installEntries(await demoDirectory(), DEMO_OFFICE)
}

/** Signs a demo user in (every write is signed by the signed-in user); throws when refused. */
export async function signInAs(directory: DeskDirectoryStore, actor: Actor, grantId: string | null = null): Promise<void> {
  const r = await directory.signIn(actor.userId, DEMO_PASSWORD, grantId)
  if (!r.ok) throw new Error(`sign-in of ${actor.name} refused: ${r.message.zh}`)
}

/**
 * Row counts of every table, to prove a failed write left nothing behind. Not `digests`: the kept
 * list digests are saved on a timer (5 s after the lists last changed), not by a write.
 */
export async function tableCounts(db: DeskDb): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const t of db.tables) if (t.name !== 'digests') out[t.name] = await t.count()
  return out
}

/**
 * An approved 内部联络函 (R17), which a change of the business rules or of the approval chain cites:
 * written by CS (张敏), approved by the director (陈志远). Leaves the director signed in.
 */
export async function approvedMemo(ctx: { documents: DeskDocumentStore; directory: DeskDirectoryStore }, concerns: 'policy' | 'approvals' = 'approvals'): Promise<{ id: string; number: string }> {
  const made = await ctx.documents.create('memo', {
    values: {
      subject: '审批流程调整', applicant: cs.userId, fromDept: '营销部', toDepts: '营销部、财务部', concerns, effectiveDate: '2026-12-01',
      currentPractice: '按表单默认的审批人', change: '调整审批人与金额权限', reason: '营销例会决定',
    },
    lines: {},
  }, cs)
  await signInAs(ctx.directory, cs)
  await ctx.documents.transition(made.doc.id, 'submit', 'review', {}, cs)
  await signInAs(ctx.directory, director)
  const done = await ctx.documents.transition(made.doc.id, 'approve', 'approved', {}, director)
  return { id: done.doc.id, number: done.doc.number }
}
