/**
 * Browser side of bench/trust.bench.ts: runs in Chromium (real, on-disk IndexedDB), imported from
 * the Vite dev server by URL. Everything is the app's own code: DeskDb, the directory and document
 * stores (every write signs its audit entry with the signed-in user's key), DexieSyncStore,
 * SyncEngine and the trust gate (TrustGate + createGatePort); the shared folder is the engine's
 * in-page MemoryTransport, as in sync-page.ts.
 *
 * - `signInTimes`: `directory.signIn` of an administrator whose credential uses DEFAULT_KDF (made
 *   by `createOffice` on a fresh database), right and wrong password.
 * - `write`: writer W installs the demo directory, signs in 李强 and makes quotations through
 *   `documents.create` / `documents.transition`, exports, and hands the folder's files back.
 * - `read` (one run): reader R1 (trust gate) and reader R2 (no gate) import that same folder one
 *   after the other, timed.
 *
 * W runs WITHOUT a gate on purpose: `verifyObject` (core/trust/sign.ts) memoises its verdicts in a
 * module-level map, so a gated writer in the same page would pre-verify every entry R1 then checks.
 * The Node side reloads the page before each `read` for the same reason (a fresh module, no memo):
 * R1 verifies every signature itself, as a PC that never saw them would.
 */
import type { Actor, AuditEntry } from '@core/model'
import type { FormData } from '@forms/schema/types'
import { ed25519 } from '@noble/curves/ed25519.js'
import { SyncEngine, type SyncGate } from '@core/sync/engine'
import { fromBase64, generateKeys } from '@core/sync/keys'
import { MemoryFolder, MemoryTransport } from '@core/sync/transport'
import { TrustGate, type GatePort } from '@core/trust/gate'
import { DEFAULT_KDF } from '@core/trust/password'
import { hashHex, signedBytes, userKeys, verifyObject } from '@core/trust/sign'
import { DirectoryIndex, judgeAudit, type JudgeContext } from '@core/trust/judge'
import { foldDirectory, inView, type DirEntry } from '@core/trust/directory'
import { formById } from '@forms/registry'
import { openDb, type DeskDb } from '@app/data/db'
import { createDirectoryStore, type DeskDirectoryStore } from '@app/data/directory'
import { createDocumentStore, type DeskDocumentStore } from '@app/data/documents'
import { DEMO_COMPANY, DEMO_IDS, DEMO_OFFICE, DEMO_PASSWORD, DEMO_USERS, demoDirectory, demoSeed } from '@app/data/seed'
import { DexieSyncStore } from '@app/sync/dexie-store'
import { createGatePort } from '@app/sync/gate-port'

const CITIES = ['深圳市', '东莞市', '佛山市', '广州市', '中山市', '惠州市']
const BRANDS = ['华兴', '美达', '精诚', '华艺', '德赛', '海天', '新锐', '宏发', '白云', '格林']
const PRODUCTS = [
  ['阻燃PC/ABS合金', 'HT-8130 黑色 UL94 V-0'], ['玻纤增强PP', 'HT-PP30G 本色 30%GF'], ['增韧PA66', 'HT-PA66T 黑色'],
  ['阻燃ABS', 'HT-ABS-V0 白色 色卡 W-102'], ['透明PC', 'HT-PC110 透明'], ['耐候ASA', 'HT-ASA20 灰色'],
] as const

const LI_QIANG: Actor = { userId: DEMO_IDS.users.liQiang, name: '李强' }
const now = () => new Date().toISOString()

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

// ------------------------------------------------------------------ sign-in

export interface SignInTimes {
  kdf: string
  /** `createOffice` (one makeCredential with DEFAULT_KDF, two signed directory entries). */
  createOfficeMs: number
  /** `signIn(adminId, right password)`, each run; the first also folds the directory. */
  rightMs: number[]
  /** `signIn(adminId, wrong password)`, each run (the failure count is cleared before each). */
  wrongMs: number[]
  /**
   * One more right sign-in, probed: its time, the long tasks (> 50 ms) seen meanwhile, animation
   * frames and their longest gap, and the longest gap between 1-ms timer ticks.
   */
  probe: { ms: number; longTasks: number[]; frames: number; maxFrameGapMs: number; maxTimerGapMs: number }
}

/** Times `directory.signIn` of a DEFAULT_KDF credential in this page. */
export async function signInTimes(runs = 5): Promise<SignInTimes> {
  const name = 'trust-signin'
  await drop(name)
  const db = await openDb(name)
  const directory = createDirectoryStore(db, { now })
  const password = 'hengtai2026'
  let t = performance.now()
  const admin = await directory.createOffice({ company: { ...DEMO_COMPANY }, pcName: '前台电脑', admin: { name: '张敏', password } })
  const createOfficeMs = performance.now() - t
  const cred = (await directory.directory()).users.get(admin.id)?.credential
  if (JSON.stringify(cred?.kdf) !== JSON.stringify(DEFAULT_KDF)) throw new Error(`credential KDF is ${JSON.stringify(cred?.kdf)}, not DEFAULT_KDF`)
  directory.signOut()
  const rightMs: number[] = []
  for (let i = 0; i < runs; i++) {
    t = performance.now()
    const r = await directory.signIn(admin.id, password)
    rightMs.push(performance.now() - t)
    if (!r.ok) throw new Error(`right password refused: ${JSON.stringify(r)}`)
    directory.signOut()
  }
  const wrongMs: number[] = []
  for (let i = 0; i < runs; i++) {
    await db.meta.delete(`signin:${admin.id}`) // no waiting delay between the timed attempts
    t = performance.now()
    const r = await directory.signIn(admin.id, `${password}x`)
    wrongMs.push(performance.now() - t)
    if (r.ok || r.reason !== 'wrong') throw new Error(`wrong password not refused as wrong: ${JSON.stringify(r)}`)
  }
  await db.meta.delete(`signin:${admin.id}`)
  // Is the window frozen meanwhile? scryptAsync yields every ~10 ms through scheduler.yield() in
  // Chromium, whose continuations run before ordinary timers, so a setInterval probe would report
  // the whole derivation as one block; long tasks (> 50 ms) and the gaps between animation frames
  // say what a clerk would see.
  const longTasks: number[] = []
  const obs = new PerformanceObserver((list) => { for (const e of list.getEntries()) longTasks.push(e.duration) })
  obs.observe({ type: 'longtask' })
  let frames = 0, lastFrame = performance.now(), maxFrameGapMs = 0, on = true
  const frame = (ts: number) => { frames++; maxFrameGapMs = Math.max(maxFrameGapMs, ts - lastFrame); lastFrame = ts; if (on) requestAnimationFrame(frame) }
  requestAnimationFrame(frame)
  let lastTick = performance.now(), maxTimerGapMs = 0
  const tick = setInterval(() => { const n = performance.now(); maxTimerGapMs = Math.max(maxTimerGapMs, n - lastTick); lastTick = n }, 1)
  t = performance.now()
  const r = await directory.signIn(admin.id, password)
  const probedMs = performance.now() - t
  maxTimerGapMs = Math.max(maxTimerGapMs, performance.now() - lastTick)
  clearInterval(tick)
  await new Promise((resolve) => setTimeout(resolve, 100))
  on = false
  for (const e of obs.takeRecords()) longTasks.push(e.duration)
  obs.disconnect()
  if (!r.ok) throw new Error('right password refused (probe run)')
  db.close()
  await drop(name)
  return { kdf: `scrypt N=2^${Math.log2(DEFAULT_KDF.N)} r=${DEFAULT_KDF.r} p=${DEFAULT_KDF.p}`, createOfficeMs, rightMs, wrongMs, probe: { ms: probedMs, longTasks, frames, maxFrameGapMs, maxTimerGapMs } }
}

// ------------------------------------------------------------------ signed changes, gate vs no gate

/** A gate port that adds each method's ms and calls to `stats`. */
function timedPort(port: GatePort, stats: Record<string, { ms: number; calls: number }>): GatePort {
  const out = {} as Record<string, unknown>
  for (const [k, f] of Object.entries(port) as Array<[string, (...a: unknown[]) => unknown]>) {
    out[k] = (...a: unknown[]) => {
      const t0 = performance.now()
      const r = f(...a)
      // Dexie answers with its own promise class: anything with a `then` is timed.
      if (!r || typeof (r as { then?: unknown }).then !== 'function') return r
      return Promise.resolve(r).finally(() => {
        const s = (stats[k] ??= { ms: 0, calls: 0 })
        s.ms += performance.now() - t0
        s.calls++
      })
    }
  }
  return out as unknown as GatePort
}

interface Reader { db: DeskDb; store: DexieSyncStore; engine: SyncEngine; gateMs?: Record<string, number>; portStats?: Record<string, { ms: number; calls: number }> }

async function makeReader(dbName: string, folder: MemoryFolder, pc: string, gated: boolean): Promise<Reader> {
  const db = await openDb(dbName)
  const directory = createDirectoryStore(db, { now })
  // The same office as W (the demo directory, so the genesis is known); only the gate differs.
  await directory.installEntries(await demoDirectory(), DEMO_OFFICE)
  const store = new DexieSyncStore(db)
  let gate: SyncGate | undefined
  const gateMs: Record<string, number> = {}
  const portStats: Record<string, { ms: number; calls: number }> = {}
  if (gated) {
    const inner = new TrustGate(timedPort(createGatePort(db, formById), portStats))
    const timed = <A extends unknown[], R>(name: string, f: (...a: A) => Promise<R>) => async (...a: A): Promise<R> => {
      const t0 = performance.now()
      try { return await f(...a) } finally { gateMs[name] = (gateMs[name] ?? 0) + performance.now() - t0 }
    }
    gate = {
      admit: timed('admit', (p: string, cs: Parameters<SyncGate['admit']>[1]) => inner.admit(p, cs)),
      settle: timed('settle', () => inner.settle()),
      revokedAfter: timed('revokedAfter', (p: string) => inner.revokedAfter(p)),
    }
  }
  const keys = await generateKeys(pc)
  const engine = new SyncEngine({ transport: new MemoryTransport(folder), store, keys, clock: { now: () => Date.now() }, name: pc, app: 'bench', maxBatch: 2000, sleep: async () => undefined, ...(gate ? { gate } : {}) })
  return gated ? { db, store, engine, gateMs, portStats } : { db, store, engine }
}

function customerData(c: number): FormData {
  return {
    values: {
      fullName: `${CITIES[c % CITIES.length]}${BRANDS[c % BRANDS.length]}塑胶制品有限公司${c + 1}`, shortName: `${BRANDS[c % BRANDS.length]}${c + 1}`,
      phone: `0757-2663 ${String(1000 + c).padStart(4, '0')}`, industry: 'appliance', traded: true, paymentMethod: 'credit', creditDays: 60,
    },
    lines: { contacts: [{ id: 'c1', values: { name: '何俊', title: '采购主管', phone: '139 2811 0456', email: null } }] },
  }
}

function quotationData(i: number, customer: string, day: string, validUntil: string): FormData {
  const [p1, s1] = PRODUCTS[i % PRODUCTS.length]!
  const [p2, s2] = PRODUCTS[(i + 3) % PRODUCTS.length]!
  return {
    values: {
      customer, contact: '何俊', quoteDate: day, validUntil, currency: 'CNY', tradeMethod: '送货上门', paymentMethod: 'credit', creditDays: 60,
      deliveryPlace: `${CITIES[i % CITIES.length]}顺德区北滘镇工业大道${i % 97}号仓库`, packaging: '25kg/袋，汽运',
      qualityRequirement: `按双方确认的样品及色卡，${p1}，UL94 V-0，符合 RoHS`, remarks: i % 5 === 0 ? '月结 60 天，含税含运费送到客户仓库。' : null,
    },
    lines: { items: [
      { id: 'i1', values: { productName: p1, spec: s1, quantity: String(1000 + (i % 50) * 100), unit: 'kg', unitPrice: 2380 + (i % 40), taxRate: '13' } },
      { id: 'i2', values: { productName: p2, spec: s2, quantity: '500', unit: 'kg', unitPrice: 1265, taxRate: '13' } },
    ] },
  }
}

/** What one reader did. */
export interface ReaderResult {
  importMs: number
  /** DexieSyncStore.phases of the import ('decode, verify segments, gate, merge, rest' is what the store did not time). */
  phases: Record<string, number>
  docs: number
  lines: number
  audit: number
  findings: number
}

/** Signature work on the audit entries R1 judged, measured piece by piece after the import. */
export interface VerifyCost {
  entries: number
  /** signedBytes (canonical JSON without `sig`, domain tag, UTF-8) of every entry. */
  signedBytesMs: number
  /** hashHex(bytes): the memo key verifyObject computes before it verifies. */
  memoHashMs: number
  /** @noble/curves ed25519.verify (synchronous), what verifyObject runs. */
  nobleMs: number
  /** WebCrypto Ed25519 verify, awaited one after another (key imported once). */
  webcryptoSeqMs: number
  /** WebCrypto Ed25519 verify, all started at once per 2,000 (Promise.all). */
  webcryptoParMs: number
  allValid: boolean
}

/**
 * The gate's judging of the same entries, on the CPU alone (no database), after the import, so
 * every signature verdict is already memoised: what judging costs besides the Ed25519 math.
 */
export interface JudgeCost {
  /** judgeAudit of every entry with a fresh DirectoryIndex (as one `admit` would, all in one batch). */
  judgeMs: number
  /** Of which: `DirectoryIndex.around(view, at)` alone, for each entry (a fold per distinct `at`). */
  aroundMs: number
  /** Distinct folds `around` made. */
  aroundFolds: number
  /** One `foldDirectory` of the directory (its signature checks are memo hits). */
  foldOnceMs: number
  /** verifyObject of every entry again: memo hits, i.e. signedBytes + SHA-256 of the memo key. */
  verifyMemoHitMs: number
  /** `around` memoised by WHICH entries it includes (view + how many are dated ≤ at) instead of by `at`: ms and folds. */
  aroundBySetMs: number
  aroundBySetFolds: number
}

export interface TrustRun {
  signedFirst: boolean
  signed: ReaderResult
  unsigned: ReaderResult
  /** R1's gate: ms inside admit / settle / revokedAfter as the engine called them. */
  gateMs: Record<string, number>
  /** R1's gate port: ms and calls per method (inside gateMs). */
  portStats: Record<string, { ms: number; calls: number }>
  findingReasons: string[]
  verify: VerifyCost
  judge: JudgeCost
}

async function importOnce(r: Reader): Promise<ReaderResult> {
  const phases: Record<string, number> = {}
  r.store.phases = phases
  const t0 = performance.now()
  const res = await r.engine.importOnce()
  const importMs = performance.now() - t0
  r.store.phases = undefined
  if (!res.ok) throw new Error(`import failed: ${JSON.stringify(res)}`)
  phases['decode, verify segments, gate, merge, rest'] = importMs - Object.values(phases).reduce((a, x) => a + x, 0)
  return { importMs, phases, docs: await r.db.docs.count(), lines: await r.db.lines.count(), audit: await r.db.audit.count(), findings: await r.db.findings.count() }
}

async function verifyCost(entries: AuditEntry[]): Promise<VerifyCost> {
  const pubOf = new Map(DEMO_USERS.map((u) => [u.id, fromBase64(userKeys(demoSeed(u.id)).publicKey)]))
  let t = performance.now()
  const bytes = entries.map((e) => signedBytes('audit', e))
  const signedBytesMs = performance.now() - t
  t = performance.now()
  for (const b of bytes) hashHex(b)
  const memoHashMs = performance.now() - t
  const sigs = entries.map((e) => fromBase64(e.sig as string))
  let allValid = true
  t = performance.now()
  entries.forEach((e, i) => { if (!ed25519.verify(sigs[i]!, bytes[i]!, pubOf.get(e.actor.userId)!)) allValid = false })
  const nobleMs = performance.now() - t
  const keys = new Map<string, CryptoKey>()
  for (const [id, raw] of pubOf) keys.set(id, await crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, ['verify']))
  t = performance.now()
  for (let i = 0; i < entries.length; i++) {
    if (!(await crypto.subtle.verify({ name: 'Ed25519' }, keys.get(entries[i]!.actor.userId)!, sigs[i] as Uint8Array<ArrayBuffer>, bytes[i] as Uint8Array<ArrayBuffer>))) allValid = false
  }
  const webcryptoSeqMs = performance.now() - t
  t = performance.now()
  for (let s = 0; s < entries.length; s += 2000) {
    const ok = await Promise.all(entries.slice(s, s + 2000).map((e, j) => crypto.subtle.verify({ name: 'Ed25519' }, keys.get(e.actor.userId)!, sigs[s + j] as Uint8Array<ArrayBuffer>, bytes[s + j] as Uint8Array<ArrayBuffer>)))
    if (ok.some((x) => !x)) allValid = false
  }
  const webcryptoParMs = performance.now() - t
  return { entries: entries.length, signedBytesMs, memoHashMs, nobleMs, webcryptoSeqMs, webcryptoParMs, allValid }
}

function judgeCost(entries: AuditEntry[], dirEntries: DirEntry[]): JudgeCost {
  const ctx = (dir: DirectoryIndex): JudgeContext => ({ dir, form: (id) => formById(id), lastActor: () => undefined, valueBefore: () => undefined })
  const sorted = [...entries].sort((a, b) => (a.at < b.at ? -1 : 1))
  let t = performance.now()
  const c1 = ctx(new DirectoryIndex(dirEntries, DEMO_OFFICE.genesis))
  for (const e of sorted) judgeAudit(e, c1)
  const judgeMs = performance.now() - t
  const idx = new DirectoryIndex(dirEntries, DEMO_OFFICE.genesis)
  t = performance.now()
  const seen = new Set<unknown>()
  for (const e of sorted) seen.add(idx.around(e.view ?? {}, e.at))
  const aroundMs = performance.now() - t
  t = performance.now()
  foldDirectory(dirEntries, DEMO_OFFICE.genesis)
  const foldOnceMs = performance.now() - t
  t = performance.now()
  const pub = userKeys(demoSeed(LI_QIANG.userId)).publicKey
  for (const e of sorted) verifyObject('audit', e, pub)
  const verifyMemoHitMs = performance.now() - t
  // The proposed memo: the entries `around` includes are those in the view plus those dated ≤ at,
  // so the key is the view and the count of entries dated ≤ at (entries sorted by time).
  t = performance.now()
  const byAt = [...dirEntries].sort((a, b) => (a.at < b.at ? -1 : 1))
  const memo = new Map<string, unknown>()
  for (const e of sorted) {
    let lo = 0, hi = byAt.length
    while (lo < hi) { const mid = (lo + hi) >> 1; if (byAt[mid]!.at <= e.at) lo = mid + 1; else hi = mid }
    const view = e.view ?? {}
    const key = `${JSON.stringify(Object.entries(view).sort())}|${lo}`
    if (!memo.has(key)) memo.set(key, foldDirectory(dirEntries.filter((d) => inView(d, view) || d.at <= e.at), DEMO_OFFICE.genesis))
  }
  const aroundBySetMs = performance.now() - t
  return { judgeMs, aroundMs, aroundFolds: seen.size, foldOnceMs, verifyMemoHitMs, aroundBySetMs, aroundBySetFolds: memo.size }
}

/** What W wrote and exported, and the folder's files (base64) for the readers of each run. */
export interface Written {
  n: number
  customers: number
  submitted: number
  /** W: creating the customers and quotations and submitting, through the document store. */
  writeMs: number
  exportMs: number
  changes: number
  segments: number
  folderBytes: number
  docs: number
  files: Record<string, string>
}

function b64(bytes: Uint8Array): string {
  let bin = ''
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(bin)
}

function unb64(text: string): Uint8Array {
  const bin = atob(text)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

/**
 * PC W makes `n` quotations for `customers` customers as 李强 (every `submitEvery`-th one
 * submitted for approval) through the document store, exports, and hands back the folder.
 */
export async function write(n: number, customers = 60, submitEvery = 3): Promise<Written> {
  const name = 'trust-w'
  await drop(name)
  const folder = new MemoryFolder()
  const wdb = await openDb(name)
  const directory: DeskDirectoryStore = createDirectoryStore(wdb, { now })
  await directory.installEntries(await demoDirectory(), DEMO_OFFICE)
  const signedIn = await directory.signIn(LI_QIANG.userId, DEMO_PASSWORD)
  if (!signedIn.ok) throw new Error(`李强 could not sign in: ${JSON.stringify(signedIn)}`)
  const documents: DeskDocumentStore = createDocumentStore(wdb, { forms: formById, now, settings: () => directory.settings(), signer: () => directory.current() })
  const wStore = new DexieSyncStore(wdb)
  const wEngine = new SyncEngine({ transport: new MemoryTransport(folder), store: wStore, keys: await generateKeys('W1'), clock: { now: () => Date.now() }, name: 'W1', app: 'bench', maxBatch: 2000, sleep: async () => undefined })
  await wEngine.createVault({ office: { id: DEMO_OFFICE.id, name: DEMO_OFFICE.name, genesis: DEMO_OFFICE.genesis, demo: true } })

  const day = now().slice(0, 10)
  const validUntil = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)
  let t = performance.now()
  const customerIds: string[] = []
  for (let c = 0; c < customers; c++) customerIds.push((await documents.create('customer', customerData(c), LI_QIANG)).doc.id)
  let submitted = 0
  for (let i = 0; i < n; i++) {
    const q = await documents.create('quotation', quotationData(i, customerIds[i % customers]!, day, validUntil), LI_QIANG)
    if (i % submitEvery === 0) {
      await documents.transition(q.doc.id, 'submit', 'pending', {}, LI_QIANG)
      submitted++
    }
  }
  const writeMs = performance.now() - t
  t = performance.now()
  const exp = await wEngine.exportOnce()
  const exportMs = performance.now() - t
  if (!exp.ok) throw new Error(`export failed: ${JSON.stringify(exp)}`)
  const changes = await wdb.outbox.count()
  const segments = folder.paths('pcs/W1/seg').length
  const folderBytes = folder.paths().reduce((a, p) => a + (folder.get(p)?.length ?? 0), 0)
  const docs = await wdb.docs.count()
  wdb.close()
  await drop(name)
  const files: Record<string, string> = {}
  for (const p of folder.paths()) files[p] = b64(folder.get(p)!)
  return { n, customers, submitted, writeMs, exportMs, changes, segments, folderBytes, docs, files }
}

/**
 * One run, in a freshly loaded page: R1 (trust gate) and R2 (no gate) import the same folder
 * (W's files), in the order given, each timed; then the signature and judging work is measured
 * piece by piece on R1's entries. `docs` is what W had: both readers must end with it.
 */
export async function read(files: Record<string, string>, docs: number, runIndex: number, signedFirst: boolean): Promise<TrustRun> {
  const names = [`tr1-${runIndex}`, `tr2-${runIndex}`]
  await drop(...names)
  const folder = new MemoryFolder()
  for (const [p, b] of Object.entries(files)) folder.put(p, unb64(b))
  // Each reader publishes its own outbox (the installed directory) first, untimed, so the timed
  // import is the import alone.
  const r1 = await makeReader(names[0]!, folder, 'R1', true)
  const r2 = await makeReader(names[1]!, folder, 'R2', false)
  for (const r of [r1, r2]) await r.engine.joinVault()
  for (const r of [r1, r2]) await r.engine.exportOnce()
  for (const k of Object.keys(r1.gateMs!)) delete r1.gateMs![k]
  for (const k of Object.keys(r1.portStats!)) delete r1.portStats![k]
  let signed: ReaderResult, unsigned: ReaderResult
  if (signedFirst) {
    signed = await importOnce(r1)
    unsigned = await importOnce(r2)
  } else {
    unsigned = await importOnce(r2)
    signed = await importOnce(r1)
  }
  const findingReasons = signed.findings ? (await r1.db.findings.limit(5).toArray()).map((f) => `${f.verdict} ${f.change.table}/${f.change.key}: ${f.reason.en}`) : []
  if (docs !== signed.docs || docs !== unsigned.docs) findingReasons.push(`docs: W ${docs}, R1 ${signed.docs}, R2 ${unsigned.docs}`)
  const audits = await r1.db.audit.toArray()
  const verify = await verifyCost(audits)
  const judge = judgeCost(audits, await r1.db.directory.toArray())
  r1.db.close()
  r2.db.close()
  await drop(...names)
  return { signedFirst, signed, unsigned, gateMs: { ...r1.gateMs! }, portStats: { ...r1.portStats! }, findingReasons, verify, judge }
}
