/**
 * A randomized office day (fault 32): PCs create, edit, delete, resolve and attach at random, sync
 * on random schedules while the folder delays, reorders and duplicates files; at the end everyone
 * syncs and we check that all PCs converge and that no change was lost.
 */
import { sha256Hex } from '../identity'
import { DELETED, history } from './merge'
import { SimOffice, type SimPc, type SimShare } from './sim'

/** Knobs of one simulated run (crashes during import are part of every run). */
export interface SimulationOptions {
  pcs: number
  ops: number
  seed: number
  /** Chance that a freshly written file is hidden from each other PC for a while (delay/reorder). */
  delay?: number
  /** Chance per op that a random segment gets a "conflicted copy" duplicate beside it. */
  duplicate?: number
  /** How many times a PC is cloned (a second machine with its identity and a copy of its data, issue 7). */
  clones?: number
  /** How many times a PC's database is put back from an earlier copy of itself (a restored backup). */
  restores?: number
  /** The shared folder (default: a fresh in-memory one); the caller closes it. */
  share?: SimShare
}

/** What a run found. */
export interface SimulationResult {
  converged: boolean
  nothingLost: boolean
  lost: string[]
  changes: number
  conflicts: number
  segments: number
  ms: number
  digest: string
}

/** Small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed | 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface Made { table: string; key: string; field: string; value: unknown; pc: SimPc }

/** Runs one simulation; deterministic for a given seed. */
export async function simulate(opts: SimulationOptions): Promise<SimulationResult> {
  const started = performance.now()
  const rnd = prng(opts.seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T
  const office = await SimOffice.create(opts.pcs, { graceMs: 10 * 60_000, gapTimeoutMs: 30 * 60_000 }, opts.share)
  // Some clocks are off by up to ±90 s; fault 14/15 are tested separately.
  for (const pc of office.pcs) pc.offsetMs = Math.floor((rnd() - 0.5) * 180_000)
  const made: Made[] = []
  const keys: Array<{ table: string; key: string }> = []
  const fields = ['values.customer', 'values.qty', 'values.price', 'state', 'note']
  const delay = opts.delay ?? 0.3
  const duplicate = opts.duplicate ?? 0.02
  let counter = 0
  const pcIds = office.pcs.map((p) => p.id)
  // Every identity a simulated machine has had (a copy takes a new one; its changes keep their writer).
  const ids = new Map<SimPc, Set<string>>(office.pcs.map((p) => [p, new Set([p.id])]))
  const noteIds = () => { for (const p of office.pcs) (ids.get(p) ?? ids.set(p, new Set()).get(p)!).add(p.id) }
  // Clones and restores happen at random points of the day; a restore puts back a copy saved earlier.
  const at = (n: number) => new Set(Array.from({ length: n }, () => Math.floor(rnd() * opts.ops)))
  const cloneAt = at(opts.clones ?? 0)
  const restoreAt = at(opts.restores ?? 0)
  const saved = new Map<SimPc, ReturnType<SimPc['store']['clone']>>()

  const hideNew = (before: Set<string>, writer: SimPc) => {
    for (const f of office.folder.paths()) {
      if (before.has(f) || !f.includes('/seg/')) continue
      office.folder.hide(f, pcIds.filter((id) => id !== writer.id && rnd() < delay))
    }
  }

  for (let i = 0; i < opts.ops; i++) {
    office.advance(Math.floor(rnd() * 3000))
    const pc = pick(office.pcs)
    if (restoreAt.size && rnd() < 0.05) saved.set(pc, pc.store.clone())
    if (cloneAt.has(i)) {
      const twin = office.clonePc(pc)
      ids.set(twin, new Set(ids.get(pc)))
    }
    if (restoreAt.has(i) && saved.has(pc)) {
      // The disk fails right after a sync; yesterday's copy is put back on the same machine.
      // (Only once everything it made is on the share: what never left a dead disk is lost anyway.)
      let sent = false
      for (let t = 0; t < 3 && !sent; t++) sent = (await pc.engine.exportOnce()).ok && (await pc.engine.status()).waiting === 0
      if (sent) {
        office.restorePc(pc, saved.get(pc)!)
        saved.delete(pc)
      }
    }
    if (rnd() < 0.02) await office.approveWaiting()
    const r = rnd()
    if (r < 0.18 || keys.length === 0) {
      const key = `r${++counter}`
      const table = rnd() < 0.8 ? 'docs' : 'customers'
      const row: Record<string, unknown> = {}
      for (const f of fields) if (rnd() < 0.6) row[f] = `${pc.id}:${++counter}`
      pc.store.localWrite(table, key, 'put', row)
      keys.push({ table, key })
      for (const [f, v] of Object.entries(row)) made.push({ table, key, field: f, value: v, pc })
      made.push({ table, key, field: DELETED, value: false, pc })
    } else if (r < 0.45) {
      const { table, key } = pick(keys)
      const f = pick(fields)
      const v = `${pc.id}:${++counter}`
      pc.store.localWrite(table, key, 'put', { [f]: v })
      made.push({ table, key, field: f, value: v, pc })
    } else if (r < 0.48) {
      const { table, key } = pick(keys)
      pc.store.localWrite(table, key, 'delete', {})
      made.push({ table, key, field: DELETED, value: true, pc })
    } else if (r < 0.52) {
      const open = pc.store.conflicts()
      if (open.length > 0) {
        const c = pick(open)
        const chosen = pick(c.values)
        if (c.field === DELETED) pc.store.localWrite(c.table, c.key, chosen.value === true ? 'delete' : 'put', {})
        else pc.store.localWrite(c.table, c.key, 'put', { [c.field]: chosen.value })
      }
    } else if (r < 0.55) {
      const bytes = new TextEncoder().encode(`%PDF scan ${rnd() < 0.3 ? 'shared' : `${pc.id}-${++counter}`}`)
      const hash = await sha256Hex(bytes)
      pc.store.putLocalBlob(hash, bytes)
      const key = `att${++counter}`
      pc.store.localWrite('attachments', key, 'put', { hash, name: 'scan.pdf', size: bytes.length, docId: pick(keys).key })
      keys.push({ table: 'attachments', key })
      made.push({ table: 'attachments', key, field: 'hash', value: hash, pc })
    } else if (r < 0.75) {
      const before = new Set(office.folder.paths())
      await pc.engine.exportOnce()
      hideNew(before, pc)
    } else if (r < 0.91) {
      await pc.engine.importOnce()
    } else if (r < 0.93) {
      // Power loss during an import (fault 22), then the app restarts with the same store.
      pc.store.crashOnCommit = 1 + Math.floor(rnd() * 3)
      try {
        await pc.engine.importOnce()
      } catch { /* the simulated crash */ }
      pc.store.crashOnCommit = 0
      office.restart(pc)
    } else {
      const hidden = office.folder.hiddenPaths()
      if (hidden.length > 0) office.folder.reveal(pick(hidden), rnd() < 0.5 ? pick(pcIds) : undefined)
    }
    noteIds()
    if (rnd() < duplicate) {
      const segs = office.folder.paths('pcs').filter((p) => p.endsWith('.seg'))
      if (segs.length > 0) {
        const s = pick(segs)
        office.folder.put(s.replace('.seg', ` (${pick(pcIds)}'s conflicted copy).seg`), office.folder.get(s) as Uint8Array)
      }
    }
  }

  // Everyone reconnects: all files delivered, several full rounds.
  for (const f of office.folder.hiddenPaths()) office.folder.reveal(f)
  for (let round = 0; round < 4; round++) {
    office.advance(60_000)
    await office.syncAll(1)
    // PCs that took a new identity (copies) are approved by the administrator, as in an office.
    await office.approveWaiting()
    noteIds()
  }
  await office.syncAll(1)
  const digests = await office.digests()
  const converged = new Set(digests).size === 1
  const lost: string[] = []
  for (const pc of office.pcs) {
    for (const m of made) {
      const st = pc.store.record(m.table, m.key)
      const writer = ids.get(m.pc) ?? new Set([m.pc.id])
      if (!st || !history(st, m.field).some((w) => writer.has(w.pc) && w.value === m.value)) lost.push(`${pc.id}: ${m.table}/${m.key}.${m.field}=${String(m.value)} by ${m.pc.id}`)
    }
  }
  const segments = office.folder.paths('pcs').filter((p) => /\/seg\/\d{10}\.seg$/.test(p)).length
  return {
    converged, nothingLost: lost.length === 0, lost: lost.slice(0, 10), changes: made.length,
    conflicts: office.pcs[0]!.store.conflicts().length, segments, ms: Math.round(performance.now() - started), digest: digests[0] as string,
  }
}
