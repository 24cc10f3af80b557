/**
 * Browser side of bench/sync.bench.ts: runs in Chromium (real, on-disk IndexedDB), imported from
 * the Vite dev server by URL. The PCs are the app's own pieces — DeskDb + DexieSyncStore +
 * SyncEngine — and the shared folder is the engine's in-page `MemoryTransport` (no IPC, no disk
 * folder: the figures are the database and the engine, not the share).
 *
 * Records: quotations shaped as `documents.create` writes them into the outbox (flat fields,
 * `values.<key>`), referring to 60 customers, about 1 KB each as stored.
 */
import type { OutboxRow } from '@core/model'
import { SyncEngine } from '@core/sync/engine'
import { generateKeys } from '@core/sync/keys'
import { MemoryFolder, MemoryTransport } from '@core/sync/transport'
import { markSyncTransaction, openDb, type DeskDb } from '@app/data/db'
import { DexieSyncStore } from '@app/sync/dexie-store'

const PRODUCTS = ['阻燃PC/ABS合金', '玻纤增强PP', '增韧PA66', '阻燃ABS', '透明PC', '耐候ASA']
const CITIES = ['深圳市', '东莞市', '佛山市', '广州市', '中山市', '惠州市']
const BRANDS = ['华兴', '美达', '精诚', '华艺', '德赛', '海天', '新锐', '宏发', '白云', '格林']

function uuid(i: number, kind: number): string {
  const h = (i >>> 0).toString(16).padStart(12, '0')
  return `0000000${kind}-0000-4000-8000-${h}`
}

/** Outbox rows of `customers` customers and `n` quotations, as the data layer writes them. */
function outboxRows(n: number, customers = 60): OutboxRow[] {
  const at = '2026-11-20T02:00:00.000Z'
  const rows: OutboxRow[] = []
  for (let c = 0; c < customers; c++) {
    const id = uuid(c, 1)
    rows.push({ table: 'docs', key: id, op: 'put', at, exported: 0, fields: {
      id, form: 'customer', number: `KH2611-A1-${String(c + 1).padStart(4, '0')}`, state: 'active', version: 1,
      createdAt: at, createdBy: 'u1', updatedAt: at, updatedBy: 'u1',
      'values.fullName': `${CITIES[c % CITIES.length]}${BRANDS[c % BRANDS.length]}塑胶制品有限公司${c}`, 'values.shortName': `${BRANDS[c % BRANDS.length]}${c}`,
      'values.paymentMethod': 'credit', 'values.creditDays': 60, 'values.industry': 'appliance', 'values.traded': true,
    } })
  }
  for (let i = 0; i < n; i++) {
    const id = uuid(i, 2)
    const day = String((i % 28) + 1).padStart(2, '0')
    rows.push({ table: 'docs', key: id, op: 'put', at, exported: 0, fields: {
      id, form: 'quotation', number: `BJ2611-A1-${String(i + 1).padStart(5, '0')}`, state: i % 3 === 0 ? 'approved' : 'draft', version: 1,
      createdAt: `2026-11-${day}T02:00:00.000Z`, createdBy: 'u1', updatedAt: `2026-11-${day}T02:00:00.000Z`, updatedBy: 'u1',
      'values.customer': uuid(i % customers, 1), 'values.contact': '何俊', 'values.quoteDate': `2026-11-${day}`, 'values.validUntil': '2026-12-31',
      'values.currency': 'CNY', 'values.tradeMethod': '送货上门', 'values.paymentMethod': 'credit', 'values.creditDays': 60,
      'values.deliveryPlace': `${CITIES[i % CITIES.length]}顺德区北滘镇工业大道${i % 97}号仓库`, 'values.packaging': '25kg/袋，汽运',
      'values.qualityRequirement': `按双方确认的样品及色卡，${PRODUCTS[i % PRODUCTS.length]}，UL94 V-0，符合 RoHS`,
      'values.remarks': i % 5 === 0 ? '月结 60 天，含税含运费送到客户仓库。' : null,
      'values.totalAmount': 2380 * (i % 1000 + 1), 'values.taxAmount': 309 * (i % 1000 + 1), 'values.grandTotal': 2689 * (i % 1000 + 1),
    } })
  }
  return rows
}

interface Pc { db: DeskDb; store: DexieSyncStore; engine: SyncEngine }

async function makePc(dbName: string, folder: MemoryFolder, pc: string, maxBatch = 2000): Promise<Pc> {
  const db = await openDb(dbName)
  const store = new DexieSyncStore(db)
  const keys = await generateKeys(pc)
  const engine = new SyncEngine({ transport: new MemoryTransport(folder), store, keys, clock: { now: () => Date.now() }, name: pc, app: 'bench', maxBatch, sleep: async () => undefined })
  return { db, store, engine }
}

async function drop(...names: string[]): Promise<void> {
  for (const n of names) {
    await new Promise<void>((resolve, reject) => {
      const r = indexedDB.deleteDatabase(n)
      r.onsuccess = () => resolve()
      r.onerror = () => reject(r.error)
      r.onblocked = () => resolve()
    })
  }
}

export interface RatioResult {
  n: number
  segments: number
  folderBytes: number
  exportMs: number
  importMs: number
  rawMs: number
  /** The same rows with their `$sync` merge state, as the import stores them. */
  rawWithStateMs: number
  docsImported: number
  /** Import ms per phase (DexieSyncStore.phases; 'decode, verify, merge' is the rest of the import). */
  phases: Record<string, number>
  /** Export ms per phase. */
  exportPhases: Record<string, number>
}

/**
 * One run: PC W exports `n` quotations (stamping + signing + publishing), PC R imports them
 * (verify + merge + materialize + one transaction per segment), and the same final rows R shows
 * are bulkPut into a fresh database in transactions of the same size (the baseline).
 */
export async function ratio(n: number, run: number): Promise<RatioResult> {
  const names = [`bw${run}`, `br${run}`, `braw${run}`, `braws${run}`]
  await drop(...names)
  const folder = new MemoryFolder()
  const w = await makePc(names[0]!, folder, 'W1')
  await w.engine.createVault()
  await w.db.outbox.bulkAdd(outboxRows(n))
  const exportPhases: Record<string, number> = {}
  w.store.phases = exportPhases
  const timed = <K extends 'pendingOutbox' | 'markPublished' | 'cursors'>(name: K) => {
    const f = w.store[name].bind(w.store) as (...a: unknown[]) => Promise<unknown>
    ;(w.store as unknown as Record<string, unknown>)[name] = async (...a: unknown[]) => {
      const t0 = performance.now()
      try { return await f(...a) } finally { exportPhases[name] = (exportPhases[name] ?? 0) + performance.now() - t0 }
    }
  }
  timed('pendingOutbox')
  timed('markPublished')
  let t = performance.now()
  await w.engine.exportOnce()
  const exportMs = performance.now() - t
  w.store.phases = undefined
  exportPhases['stamp (merge, encode, sign), publish, rest'] = exportMs - Object.values(exportPhases).reduce((a, x) => a + x, 0)
  const segments = folder.paths('pcs/W1/seg').length
  const folderBytes = folder.paths().reduce((a, p) => a + (folder.get(p)?.length ?? 0), 0)

  const r = await makePc(names[1]!, folder, 'R1')
  await r.engine.joinVault()
  const phases: Record<string, number> = {}
  r.store.phases = phases
  t = performance.now()
  await r.engine.importOnce()
  const importMs = performance.now() - t
  r.store.phases = undefined
  phases['decode, verify, merge, rest'] = importMs - Object.values(phases).reduce((a, x) => a + x, 0)
  const rows = await r.db.docs.toArray()
  const withState = await r.db.transaction('r', r.db.docs, () => { markSyncTransaction(); return r.db.docs.toArray() })

  const raw = await openDb(names[2]!)
  t = performance.now()
  for (let i = 0; i < rows.length; i += 2000) {
    const chunk = rows.slice(i, i + 2000)
    await raw.transaction('rw', raw.docs, () => raw.docs.bulkPut(chunk))
  }
  const rawMs = performance.now() - t
  const raw2 = await openDb(names[3]!)
  t = performance.now()
  for (let i = 0; i < withState.length; i += 2000) {
    const chunk = withState.slice(i, i + 2000)
    await raw2.transaction('rw', raw2.docs, () => { markSyncTransaction(); return raw2.docs.bulkPut(chunk) })
  }
  const rawWithStateMs = performance.now() - t
  for (const db of [w.db, r.db, raw, raw2]) db.close()
  await drop(...names)
  return { n, segments, folderBytes, exportMs, importMs, rawMs, rawWithStateMs, docsImported: rows.length, phases, exportPhases }
}

export interface SnapshotResult {
  n: number
  exportMs: number
  snapshotMs: number
  snapshotBytes: number
  bootstrapMs: number
  docs: number
  quotations: number
  /** Bootstrap ms per phase, and the number of commits (chunks) it took. */
  phases: Record<string, number>
  commits: number
  /** Raw Dexie bulkPut of the same final rows, 5,000 per transaction. */
  rawMs: number
}

/** A founder with `n` quotations writes a snapshot; a new PC joins and starts from it. */
export async function snapshot(n: number): Promise<SnapshotResult> {
  const names = ['sw', 'sr']
  await drop(...names)
  const folder = new MemoryFolder()
  const w = await makePc(names[0]!, folder, 'W1', 5000)
  await w.engine.createVault()
  const rows = outboxRows(n)
  for (let i = 0; i < rows.length; i += 20_000) await w.db.outbox.bulkAdd(rows.slice(i, i + 20_000))
  let t = performance.now()
  await w.engine.exportOnce()
  const exportMs = performance.now() - t
  t = performance.now()
  const rel = await w.engine.writeSnapshot()
  const snapshotMs = performance.now() - t
  const snapshotBytes = rel ? folder.get(rel)?.length ?? 0 : 0
  w.db.close()

  const r = await makePc(names[1]!, folder, 'R1')
  const phases: Record<string, number> = {}
  r.store.phases = phases
  let commits = 0
  r.store.onCommit = () => { commits++ }
  t = performance.now()
  await r.engine.joinVault()
  await r.engine.importOnce()
  const bootstrapMs = performance.now() - t
  r.store.phases = undefined
  phases['read + verify + parse the snapshot, rest'] = bootstrapMs - Object.values(phases).reduce((a, x) => a + x, 0)
  const docs = await r.db.docs.count()
  const quotations = ((await r.db.meta.get('count:quotation'))?.value as number | undefined) ?? 0
  // The baseline: the same final rows (without their cells) bulkPut into a fresh database, same chunk size.
  const finalRows = await r.db.docs.toArray()
  r.db.close()
  await drop(...names)
  await drop('sraw')
  const raw = await openDb('sraw')
  t = performance.now()
  for (let i = 0; i < finalRows.length; i += 5000) {
    const chunk = finalRows.slice(i, i + 5000)
    await raw.transaction('rw', raw.docs, () => raw.docs.bulkPut(chunk))
  }
  const rawMs = performance.now() - t
  raw.close()
  await drop('sraw')
  return { n, exportMs, snapshotMs, snapshotBytes, bootstrapMs, docs, quotations, phases, commits, rawMs }
}

/** Where one import's time goes, measured piece by piece on `n` quotations (for docs/performance.md). */
export async function profile(n: number): Promise<Record<string, number>> {
  const { canonicalJson, sha256Hex } = await import('@core/identity')
  const { applyChange, emptyRecord, materialize } = await import('@core/sync/merge')
  const { searchWordsFor } = await import('@app/data/documents')
  const { formById } = await import('@forms/registry')
  const rows = outboxRows(n)
  const out: Record<string, number> = {}
  let t = performance.now()
  const states = rows.map((r, i) => {
    const s = emptyRecord(r.table, r.key)
    applyChange(s, { table: r.table, key: r.key, op: 'put', fields: r.fields, hlc: `000000000000${i}.000000.W1`, pc: 'W1' })
    return s
  })
  out.mergeMs = performance.now() - t
  t = performance.now()
  const ms = states.map((s) => materialize(s))
  out.materializeMs = performance.now() - t
  t = performance.now()
  const json = states.map((s) => canonicalJson(s))
  out.canonicalJsonMs = performance.now() - t
  t = performance.now()
  await Promise.all(json.map((j) => sha256Hex(new TextEncoder().encode(j))))
  out.sha256Ms = performance.now() - t
  t = performance.now()
  const q = formById('quotation')
  for (const m of ms) searchWordsFor(q, String(m.values.number), { contact: m.values['values.contact'] } as never, '佛山市美达电器有限公司')
  out.searchWordsMs = performance.now() - t
  await drop('bprof')
  const db = await openDb('bprof')
  const stateRows = states.map((s, i) => ({ id: `${s.table}\u0000${s.key}`, s: json[i]!, h: String(i), alive: true, c: 0 }))
  t = performance.now()
  for (let i = 0; i < stateRows.length; i += 2000) {
    const chunk = stateRows.slice(i, i + 2000)
    await db.transaction('rw', db.syncState, () => db.syncState.bulkPut(chunk))
  }
  out.syncStatePutMs = performance.now() - t
  db.close()
  await drop('bprof')
  return out
}
