/**
 * The faults of sync.md and the fork tests of issue 7 as suites over any shared folder (issue 11):
 * the in-memory folder (faults.test.ts, forks.test.ts), the real folder stack and WebDAV
 * (renderer/src/sync/transport-faults.test.ts). A suite receives a `SuiteBackend` that makes empty
 * shares; every PC sees the share through a `FaultyTransport`, and the tests touch the folder only
 * through its `FolderHandle`, so each fault means the same over every transport.
 *
 * Test names say `fault N` (or `fork …`) and, for any backend but memory, the transport:
 * `[webdav] fault 6: …`. The in-memory run keeps the names it always had.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { sha256Hex } from '../identity'
import { formatNumber } from '../numbering'
import { findDuplicates } from './duplicates'
import { decodeHlc } from './hlc'
import { paths } from './names'
import { numberCollisions } from './numbers'
import { SimOffice, type ShareFactory, type SimPc, type SimShare } from './sim'
import { simulate, type SimulationOptions } from './simulate'
import type { EngineOptions } from './engine'

/** One transport the suites run over. */
export interface SuiteBackend {
  /** Shown in test names (`[webdav] fault 6: …`); empty for the in-memory run, whose names stay as they were. */
  name: string
  /** A fresh, empty share (each office gets its own). */
  share: ShareFactory
  /**
   * Tests that cannot apply to this transport, by the part of their name before the first `:`
   * (`fault 27`, `fork replay`), with the reason; they are listed as skipped with it.
   */
  skip?: Record<string, string>
  /** Per-test timeout in ms for slower transports. */
  timeoutMs?: number
}

const put = (pc: SimPc, key: string, fields: Record<string, unknown>, table = 'docs') => pc.store.localWrite(table, key, 'put', fields)
const del = (pc: SimPc, key: string, table = 'docs') => pc.store.localWrite(table, key, 'delete', {})
const codes = async (pc: SimPc) => (await pc.engine.status()).problems.map((p) => p.code)
const val = (pc: SimPc, key: string, field: string, table = 'docs') => pc.store.view(table, key)?.values[field]
const segFiles = (office: SimOffice, pc: string) => office.folder.paths(paths.segDir(pc))
const lastSeg = (office: SimOffice, pc: string) => segFiles(office, pc).at(-1) as string

/** Offices on fresh shares of `b`, closed after each test; `test`/`group` name and skip by backend. */
function harness(b: SuiteBackend) {
  const open: SimShare[] = []
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close()
  })
  const newShare = async (): Promise<SimShare> => {
    const s = await b.share()
    open.push(s)
    return s
  }
  const create = async (n: number, defaults: Partial<EngineOptions> = {}) => SimOffice.create(n, defaults, await newShare())
  const blank = async () => new SimOffice({}, await newShare())
  const office3 = async () => {
    const office = await create(3)
    return { office, a: office.pcs[0] as SimPc, b: office.pcs[1] as SimPc, c: office.pcs[2] as SimPc }
  }
  const test = (title: string, fn: () => Promise<void>) => {
    const full = b.name ? `[${b.name}] ${title}` : title
    const reason = b.skip?.[title.split(':')[0] as string]
    if (reason !== undefined) it.skip(`${full} (not over ${b.name}: ${reason})`, fn)
    else it(full, fn, b.timeoutMs)
  }
  const group = (title: string, fn: () => void) => describe(b.name ? `${title} [${b.name}]` : title, fn)
  return { newShare, create, blank, office3, test, group }
}

/** The faults of sync.md (1–31; 32 is the property test) and the encrypted-vault variants, over `backend`. */
export function faultSuite(backend: SuiteBackend): void {
  const { newShare, create, blank, office3, test, group } = harness(backend)

  group('faults of sync.md', () => {
    test('fault 1: share unmounted (mount point empty) → sync pauses with a notice, nothing deleted, resumes after remount', async () => {
      const { office, a, b } = await office3()
      put(a, 'q1', { number: 'BJ-1' })
      await office.syncAll()
      b.transport.faults.unmounted = true
      put(b, 'q2', { number: 'BJ-2' })
      const st = await b.engine.syncOnce()
      expect(st.paused).toBe(true)
      expect(st.problems.map((p) => p.message)).toContain('共享文件夹不可用，同步已暂停（本机数据不受影响）')
      expect(val(b, 'q1', 'number')).toBe('BJ-1')
      expect(office.folder.paths().length).toBeGreaterThan(0)
      b.transport.faults.unmounted = false
      await office.syncAll()
      expect(val(a, 'q2', 'number')).toBe('BJ-2')
      expect(await codes(b)).toEqual([])
      expect(await office.converged()).toBe(true)
    })

    test('fault 2: folder points at another office\'s vault or an empty folder → detected, never merged', async () => {
      const { office, a } = await office3()
      put(a, 'q1', { number: 'BJ-1' })
      await office.syncAll()
      const other = await create(2)
      put(other.pcs[0]!, 'z1', { number: 'OTHER-1' })
      await other.syncAll()
      const before = other.folder.paths()
      const wrong = other.share.transport(a.id)
      const lost = await office.addPc(a.id, { keys: a.keys, store: a.store })
      ;(lost as { transport: unknown }).transport = wrong
      const engine = office.restart(lost, { transport: wrong })
      expect((await engine.inspectFolder()).kind).toBe('vault')
      expect(await engine.inspectFolder()).toMatchObject({ ours: false, joined: true })
      const st = await engine.syncOnce()
      expect(st.problems.map((p) => p.code)).toContain('foreignVault')
      expect(other.folder.paths()).toEqual(before)
      expect(a.store.view('docs', 'z1')).toBeUndefined()
      await expect(engine.joinVault()).rejects.toThrow(/vaults never merge/)
      // A new empty folder: also paused, and the user is offered create/join.
      const empty = (await newShare()).transport(a.id)
      const e2 = office.restart(lost, { transport: empty })
      expect(await e2.inspectFolder()).toEqual({ kind: 'empty' })
      expect((await e2.syncOnce()).paused).toBe(true)
      expect(val(a, 'q1', 'number')).toBe('BJ-1')
    })

    test('fault 3: all files of one PC deleted → nothing deleted anywhere, others report the gap, the owner republishes', async () => {
      const { office, a, b, c } = await office3()
      put(a, 'q1', { v: 1 })
      await office.syncAll()
      put(a, 'q2', { v: 2 })
      await a.engine.syncOnce()
      put(a, 'q3', { v: 3 })
      await a.engine.syncOnce()
      // B imports everything; C is offline for A's last two segments.
      for (const f of segFiles(office, a.id).slice(-2)) office.folder.hide(f, [c.id])
      await b.engine.syncOnce()
      await c.engine.syncOnce()
      expect(val(c, 'q3', 'v')).toBeUndefined()
      for (const f of office.folder.hiddenPaths()) office.folder.reveal(f)
      office.folder.wipe(paths.pcDir(a.id))
      await b.engine.syncOnce()
      await c.engine.syncOnce()
      office.advance(10 * 60_000)
      expect((await c.engine.syncOnce()).problems.map((p) => p.message)).toContain(`缺少来自电脑 ${a.id} 的数据`)
      expect(val(b, 'q2', 'v')).toBe(2)
      expect(val(c, 'q1', 'v')).toBe(1)
      await a.engine.syncOnce()
      expect(segFiles(office, a.id).length).toBeGreaterThanOrEqual(3)
      await office.syncAll()
      expect(val(c, 'q3', 'v')).toBe(3)
      expect(await codes(c)).toEqual([])
      expect(await office.converged()).toBe(true)
    })

    test('fault 4: folder restored from an older backup → PCs republish what is missing, nobody\'s state goes back', async () => {
      const { office, a, b, c } = await office3()
      put(a, 'q1', { v: 1 })
      await office.syncAll()
      const backup = office.folder.backup()
      put(a, 'q1', { v: 2 })
      put(b, 'q2', { v: 'b' })
      await office.syncAll()
      const digests = await office.digests()
      office.folder.restore(backup)
      await c.engine.importOnce()
      expect(await office.digests()).toEqual(digests)
      await office.syncAll()
      put(c, 'q3', { v: 'c' })
      await office.syncAll()
      expect(val(c, 'q1', 'v')).toBe(2)
      expect(val(a, 'q3', 'v')).toBe('c')
      expect(await office.converged()).toBe(true)
      // A PC that joins now still gets everything.
      const d = await office.addPc('PC04')
      await d.engine.joinVault()
      await d.engine.syncOnce()
      await a.engine.syncOnce()
      await a.engine.approve('PC04')
      await office.syncAll()
      expect(val(d, 'q1', 'v')).toBe(2)
      expect(await office.converged()).toBe(true)
    })

    test('fault 5: share read-only or full for one PC → its import continues, export fails cleanly with a notice, nothing half-written', async () => {
      const { office, a, b } = await office3()
      a.transport.faults.readOnly = true
      put(a, 'qa', { v: 'a' })
      put(b, 'qb', { v: 'b' })
      const before = segFiles(office, a.id)
      await b.engine.syncOnce()
      const st = await a.engine.syncOnce()
      expect(st.problems.map((p) => p.code)).toContain('exportFailed')
      expect(st.waiting).toBe(1)
      expect(val(a, 'qb', 'v')).toBe('b')
      expect(segFiles(office, a.id)).toEqual(before)
      a.transport.faults.readOnly = false
      a.transport.faults.full = true
      expect((await a.engine.exportOnce()).ok).toBe(false)
      a.transport.faults.full = false
      await office.syncAll()
      expect(val(b, 'qa', 'v')).toBe('a')
      expect((await a.engine.status()).waiting).toBe(0)
    })

    test('fault 6: truncated segment → retried, quarantined after the grace period for that PC only, cursor does not pass it; the owner repairs it', async () => {
      const { office, a, b, c } = await office3()
      put(a, 'q1', { v: 1 })
      await a.engine.syncOnce()
      put(a, 'q2', { v: 2 })
      await a.engine.syncOnce()
      put(c, 'qc', { v: 'c' })
      await c.engine.syncOnce()
      const files = segFiles(office, a.id)
      const broken = files.at(-2) as string
      office.folder.truncate(broken, 40)
      await b.engine.syncOnce()
      expect(val(b, 'q1', 'v')).toBeUndefined()
      expect(val(b, 'q2', 'v')).toBeUndefined()
      expect(val(b, 'qc', 'v')).toBe('c')
      expect(await codes(b)).not.toContain('quarantined')
      office.advance(2 * 60_000)
      const st = await b.engine.syncOnce()
      expect(st.problems.map((p) => p.message)).toContain(`某电脑的文件已隔离：来自电脑 ${a.id} 的第 ${Number(broken.slice(-14, -4))} 号文件已损坏，已隔离`)
      expect(val(b, 'q2', 'v')).toBeUndefined()
      // A reads B's status, sees the quarantine of its own file and writes it again.
      await a.engine.syncOnce()
      await b.engine.syncOnce()
      expect(val(b, 'q2', 'v')).toBe(2)
      expect(await codes(b)).toEqual([])
    })

    test('fault 7 (oversize): a file too large to read → set aside after the grace period for that PC only; the others keep flowing', async () => {
      const { office, a, b, c } = await office3()
      put(a, 'q1', { v: 1 })
      await a.engine.syncOnce()
      put(c, 'qc', { v: 'c' })
      await c.engine.syncOnce()
      const huge = lastSeg(office, a.id)
      b.transport.faults.oversize.add(huge)
      await b.engine.syncOnce()
      expect(val(b, 'qc', 'v')).toBe('c')
      expect(val(b, 'q1', 'v')).toBeUndefined()
      office.advance(2 * 60_000)
      const st = await b.engine.syncOnce()
      expect(st.problems.map((p) => p.code)).toContain('quarantined')
      expect(val(b, 'qc', 'v')).toBe('c')
    })

    test('fault 7: byte flipped, content doubled, zero-byte file → rejected, quarantined, alert', async () => {
      for (const damage of ['flip', 'double', 'zero'] as const) {
        const { office, a, b } = await office3()
        put(a, 'q1', { v: 1 })
        await a.engine.syncOnce()
        const f = lastSeg(office, a.id)
        if (damage === 'flip') office.folder.flipByte(f, 30)
        if (damage === 'double') office.folder.doubleContent(f)
        if (damage === 'zero') office.folder.put(f, new Uint8Array())
        await b.engine.syncOnce()
        office.advance(2 * 60_000)
        await b.engine.syncOnce()
        expect(val(b, 'q1', 'v'), damage).toBeUndefined()
        expect(await codes(b), damage).toContain('quarantined')
      }
    })

    test('fault 8: a file still being written is read → hash fails, retried, never half-applied', async () => {
      const { office, a, b } = await office3()
      for (let i = 0; i < 200; i++) put(a, `q${i}`, { v: i })
      await a.engine.syncOnce()
      const f = lastSeg(office, a.id)
      const full = office.folder.get(f) as Uint8Array
      office.folder.put(f, full.slice(0, Math.floor(full.length * 0.7)))
      await b.engine.syncOnce()
      expect([...Array(200).keys()].filter((i) => val(b, `q${i}`, 'v') !== undefined)).toEqual([])
      office.folder.put(f, full)
      await b.engine.syncOnce()
      expect([...Array(200).keys()].every((i) => val(b, `q${i}`, 'v') === i)).toBe(true)
      expect(await codes(b)).toEqual([])
    })

    test('fault 9: temp and junk names are ignored without errors', async () => {
      const { office, a, b } = await office3()
      put(a, 'q1', { v: 1 })
      await a.engine.syncOnce()
      const f = lastSeg(office, a.id)
      const junk = [`${f}.part`, f.replace(/[^/]+$/, '~$x.seg'), 'desktop.ini', `${paths.segDir(a.id)}/Thumbs.db`,
        f.replace(/[^/]+$/, '.syncthing.0000000009.seg.tmp'), f.replace('.seg', ' (conflicted copy).seg'), 'pcs/desktop.ini', 'pcs/新建文件夹/x', 'tmp/abc']
      for (const j of junk) office.folder.put(j, office.folder.get(f) as Uint8Array)
      const st = await b.engine.syncOnce()
      expect(st.problems).toEqual([])
      expect(val(b, 'q1', 'v')).toBe(1)
      await office.syncAll()
      expect(await office.converged()).toBe(true)
    })

    test('fault 10: EBUSY on write → bounded retry; on failure the batch is retried next round; no duplicate or lost change', async () => {
      const { office, a, b } = await office3()
      put(a, 'q1', { v: 1 })
      a.transport.faults.busyWrites = 3
      expect((await a.engine.exportOnce()).ok).toBe(true)
      put(a, 'q2', { v: 2 })
      a.transport.faults.busyWrites = 1000
      const r = await a.engine.exportOnce()
      expect(r.ok).toBe(false)
      expect(r.problem?.code).toBe('exportFailed')
      a.transport.faults.busyWrites = 0
      const before = segFiles(office, a.id).length
      await a.engine.exportOnce()
      expect(segFiles(office, a.id).length).toBe(before + 1)
      await b.engine.syncOnce()
      expect(val(b, 'q1', 'v')).toBe(1)
      expect(val(b, 'q2', 'v')).toBe(2)
      expect(b.store.record('docs', 'q2')?.fields.v).toHaveLength(1)
    })

    test('fault 11: stale listing, a listed file not found → retried, nothing inferred from absence', async () => {
      const { office, a, b } = await office3()
      put(a, 'q1', { v: 1 })
      await office.syncAll()
      put(a, 'q2', { v: 2 })
      await a.engine.syncOnce()
      const f = lastSeg(office, a.id)
      b.transport.faults.vanishOnRead.add(f)
      await b.engine.syncOnce()
      expect(val(b, 'q2', 'v')).toBeUndefined()
      expect(val(b, 'q1', 'v')).toBe(1)
      // A listing that shows nothing at all for A: still nothing deleted.
      b.transport.faults.staleListing = new Map([[paths.segDir(a.id), []]])
      await b.engine.syncOnce()
      expect(val(b, 'q1', 'v')).toBe(1)
      b.transport.faults.staleListing = null
      b.transport.faults.vanishOnRead.clear()
      await b.engine.syncOnce()
      expect(val(b, 'q2', 'v')).toBe(2)
    })

    test('fault 12: segment N+1 arrives before N → N+1 waits; after a timeout "missing data from PC x"; nothing skipped', async () => {
      const { office, a, b } = await office3()
      put(a, 'q1', { v: 1 })
      await a.engine.syncOnce()
      const n = lastSeg(office, a.id)
      put(a, 'q2', { v: 2 })
      await a.engine.syncOnce()
      office.folder.hide(n, [b.id])
      await b.engine.syncOnce()
      expect(val(b, 'q2', 'v')).toBeUndefined()
      expect(await codes(b)).not.toContain('missingData')
      office.advance(6 * 60_000)
      await b.engine.syncOnce()
      expect((await b.engine.status()).problems.map((p) => p.message)).toContain(`缺少来自电脑 ${a.id} 的数据`)
      office.folder.reveal(n)
      await b.engine.syncOnce()
      expect(val(b, 'q1', 'v')).toBe(1)
      expect(val(b, 'q2', 'v')).toBe(2)
      expect(await codes(b)).toEqual([])
    })

    test('fault 13: network drop during a write → read-back catches it; the batch stays unexported until verified', async () => {
      const { office, a, b } = await office3()
      put(a, 'q1', { v: 1 })
      a.transport.faults.dropWrites = 1
      const r = await a.engine.exportOnce()
      expect(r.ok).toBe(false)
      expect(a.store.outboxRows().filter((x) => x.table === 'docs').every((x) => x.exported === 0)).toBe(true)
      expect((await a.engine.status()).waiting).toBe(1)
      await a.engine.exportOnce()
      expect(a.store.outboxRows().every((x) => x.exported === 1)).toBe(true)
      await b.engine.syncOnce()
      expect(val(b, 'q1', 'v')).toBe(1)
      void office
    })

    test('fault 14: a PC clock 3 minutes off → that PC shows a warning; ordering stays causal; nothing lost', async () => {
      const { office, a, b } = await office3()
      a.offsetMs = 3 * 60_000
      put(a, 'q1', { price: 100 })
      await a.engine.syncOnce()
      await b.engine.syncOnce()
      const st = await b.engine.status()
      expect(st.problems.find((p) => p.code === 'clockSkew')?.message).toBe(`时钟偏差：电脑 ${a.id} 的时钟与本机相差约 3 分钟`)
      // B edits after seeing A's value, with a clock 3 minutes behind A's stamps: B still wins.
      put(b, 'q1', { price: 90 })
      await office.syncAll()
      expect(val(a, 'q1', 'price')).toBe(90)
      expect(a.store.conflicts()).toEqual([])
      expect(await office.converged()).toBe(true)
    })

    test('fault 15: a PC clock a year ahead → its changes applied but flagged; others not dragged forward; later edits still win', async () => {
      const { office, a, b } = await office3()
      const year = 365 * 86_400_000
      a.offsetMs = year
      put(a, 'q1', { state: 'approved' })
      await a.engine.syncOnce()
      await b.engine.syncOnce()
      expect(val(b, 'q1', 'state')).toBe('approved')
      expect(await codes(b)).toContain('clockSkew')
      put(b, 'q1', { state: 'closed' })
      await b.engine.syncOnce()
      const w = b.store.record('docs', 'q1')!.fields.state!.map((x) => decodeHlc(x.h)!)
      const bWrite = w.find((h) => h.pc.split('~')[0] === b.id)!
      expect(bWrite.wall).toBeLessThan(office.time + 60_000)
      await office.syncAll()
      for (const pc of office.pcs) expect(val(pc, 'q1', 'state')).toBe('closed')
      expect(await office.converged()).toBe(true)
    })

    test('fault 16: same field edited on two PCs in the same millisecond → the same winner everywhere, one conflict entry', async () => {
      const { office, a, b } = await office3()
      put(a, 'q1', { price: 1 })
      await office.syncAll()
      put(a, 'q1', { price: 2 })
      put(b, 'q1', { price: 3 })
      await a.engine.exportOnce()
      await b.engine.exportOnce()
      await office.syncAll()
      const shown = office.pcs.map((p) => val(p, 'q1', 'price'))
      expect(new Set(shown).size).toBe(1)
      for (const p of office.pcs) expect(p.store.conflicts()).toHaveLength(1)
      expect(shown[0]).toBe(b.id > a.id ? 3 : 2)
    })

    test('fault 17: different fields of one record edited on two PCs → merged, no conflict', async () => {
      const { office, a, b } = await office3()
      put(a, 'q1', { 'values.customer': '华东机械', 'values.qty': 1 })
      await office.syncAll()
      put(a, 'q1', { 'values.customer': '华东机械有限公司' })
      put(b, 'q1', { 'values.qty': 5 })
      await office.syncAll()
      for (const p of office.pcs) {
        expect(p.store.view('docs', 'q1')?.values).toEqual({ 'values.customer': '华东机械有限公司', 'values.qty': 5 })
        expect(p.store.conflicts()).toEqual([])
      }
    })

    test('fault 18: same field, different values → one shown value everywhere plus a conflict listing both; resolving on one PC clears it on all', async () => {
      const { office, a, b, c } = await office3()
      put(a, 'q1', { price: 100 })
      await office.syncAll()
      put(a, 'q1', { price: 120 })
      office.advance(5)
      put(b, 'q1', { price: 130 })
      await office.syncAll()
      for (const p of office.pcs) {
        const [conflict] = p.store.conflicts()
        expect(conflict?.values.map((v) => v.value).sort()).toEqual([120, 130])
        expect(val(p, 'q1', 'price')).toBe(conflict?.values[0]?.value)
      }
      expect((await c.engine.status()).conflicts).toBe(1)
      // B resolves by picking A's value; the choice reaches every PC.
      put(b, 'q1', { price: 120 })
      await office.syncAll()
      for (const p of office.pcs) {
        expect(p.store.conflicts()).toEqual([])
        expect(val(p, 'q1', 'price')).toBe(120)
      }
    })

    test('fault 19: record deleted on A while edited on B → stays, with a conflict; B\'s edits kept; same outcome in every import order', async () => {
      const { office, a, b, c } = await office3()
      put(a, 'cust1', { name: '客户甲', phone: '1' }, 'customers')
      await office.syncAll()
      del(a, 'cust1', 'customers')
      put(b, 'cust1', { phone: '2' }, 'customers')
      await a.engine.exportOnce()
      await b.engine.exportOnce()
      // C imports B first, then A; A and B see the other's change after their own.
      office.folder.hide(segFiles(office, a.id).at(-1) as string, [c.id])
      await c.engine.importOnce()
      office.folder.reveal(segFiles(office, a.id).at(-1) as string)
      await office.syncAll()
      for (const p of office.pcs) {
        const v = p.store.view('customers', 'cust1')!
        expect(v.alive).toBe(true)
        expect(v.values.phone).toBe('2')
        expect(v.conflicts.map((x) => x.kind)).toEqual(['editDelete'])
      }
      expect(await office.converged()).toBe(true)
    })

    test('fault 20: customer deleted while a quote for it is made elsewhere → the quote is kept, the customer shows a conflict', async () => {
      const { office, a, b } = await office3()
      put(a, 'cust1', { name: '客户甲' }, 'customers')
      await office.syncAll()
      del(a, 'cust1', 'customers')
      // Convention: a record that refers to another also "touches" it (an empty put), so a delete that
      // did not see the reference becomes an edit/delete conflict instead of an orphan.
      put(b, 'q9', { customerId: 'cust1', number: 'BJ-9' })
      put(b, 'cust1', {}, 'customers')
      await office.syncAll()
      for (const p of office.pcs) {
        expect(val(p, 'q9', 'number')).toBe('BJ-9')
        expect(p.store.view('customers', 'cust1')?.alive).toBe(true)
        expect(p.store.view('customers', 'cust1')?.conflicts[0]?.kind).toBe('editDelete')
      }
    })

    test('fault 21: the same real customer created on two PCs → both kept; a duplicate finder offers them', async () => {
      const { office, a, b } = await office3()
      put(a, 'c-a', { name: '华东机械有限公司', taxId: '9131' }, 'customers')
      put(b, 'c-b', { name: '华东机械 有限公司', taxId: '9132' }, 'customers')
      put(b, 'c-x', { name: '南方电气', taxId: '9133' }, 'customers')
      await office.syncAll()
      for (const p of office.pcs) {
        expect(p.store.view('customers', 'c-a')?.alive).toBe(true)
        expect(p.store.view('customers', 'c-b')?.alive).toBe(true)
        expect(findDuplicates(await p.store.allRecords(), 'customers', ['name', 'taxId'])).toEqual([{ table: 'customers', match: 'name:华东机械', keys: ['c-a', 'c-b'] }])
      }
    })

    test('fault 22: import interrupted halfway (power loss), then rerun → same final state, nothing doubled', async () => {
      const { office, a, b, c } = await office3()
      for (let round = 0; round < 4; round++) {
        for (let i = 0; i < 30; i++) put(a, `q${i}`, { v: round * 100 + i })
        await a.engine.exportOnce()
      }
      await c.engine.syncOnce()
      b.store.crashOnCommit = 3
      await expect(b.engine.importOnce()).rejects.toThrow(/power loss/)
      office.restart(b)
      await b.engine.syncOnce()
      await b.engine.syncOnce()
      expect(await b.store.digest()).toBe(await c.store.digest())
      expect(b.store.record('docs', 'q0')?.fields.v).toHaveLength(4)
      expect(val(b, 'q29', 'v')).toBe(329)
    })

    test('fault 23: crash between writing a segment and marking it exported → the same bytes are published again', async () => {
      const { office, a, b } = await office3()
      put(a, 'q1', { v: 1 })
      a.store.crashOnMarkPublished = true
      await a.engine.exportOnce()
      const f = lastSeg(office, a.id)
      const bytes = office.folder.get(f)!.slice()
      expect(a.store.outboxRows().find((r) => r.key === 'q1')?.exported).toBe(0)
      a.store.crashOnMarkPublished = false
      office.restart(a)
      put(a, 'q2', { v: 2 })
      await a.engine.exportOnce()
      expect(office.folder.get(f)).toEqual(bytes)
      expect(a.store.outboxRows().every((r) => r.exported === 1)).toBe(true)
      await b.engine.syncOnce()
      expect(val(b, 'q1', 'v')).toBe(1)
      expect(val(b, 'q2', 'v')).toBe(2)
      // Even if the half-published file was damaged meanwhile, the owner restores the same bytes.
      office.folder.truncate(f, 10)
      a.store.crashOnMarkPublished = true
      put(a, 'q3', { v: 3 })
      await a.engine.exportOnce()
      a.store.crashOnMarkPublished = false
      office.folder.truncate(lastSeg(office, a.id), 10)
      await a.engine.exportOnce()
      await b.engine.syncOnce()
      expect(val(b, 'q3', 'v')).toBe(3)
    })

    test('fault 24: local database wiped, identity kept → rebuilt from snapshot plus segments; publishes no deletions', async () => {
      const { office, a, b, c } = await office3()
      for (let i = 0; i < 20; i++) put(b, `q${i}`, { v: i })
      await office.syncAll()
      expect(await a.engine.writeSnapshot()).toMatch(/^snapshots\//)
      put(a, 'late', { v: 'after snapshot' })
      put(b, 'mine', { v: 'b after snapshot' })
      await office.syncAll()
      const bSeqs = segFiles(office, b.id).length
      b.store.wipe()
      office.restart(b)
      await b.engine.joinVault()
      await b.engine.syncOnce()
      expect(val(b, 'q5', 'v')).toBe(5)
      expect(val(b, 'late', 'v')).toBe('after snapshot')
      expect(val(b, 'mine', 'v')).toBe('b after snapshot')
      expect(segFiles(office, b.id).length).toBe(bSeqs)
      put(b, 'new', { v: 'n' })
      await office.syncAll()
      expect(val(c, 'new', 'v')).toBe('n')
      expect(val(c, 'q5', 'v')).toBe(5)
      expect(await office.converged()).toBe(true)
    })

    test('fault 25: an unknown PC\'s folder appears → its changes are held until the PC is approved', async () => {
      const { office, a, b } = await office3()
      const x = await office.addPc('PCX')
      await x.engine.joinVault()
      put(x, 'qx', { v: 'x' })
      await x.engine.syncOnce()
      await a.engine.syncOnce()
      await b.engine.syncOnce()
      expect(val(a, 'qx', 'v')).toBeUndefined()
      const st = await a.engine.status()
      const pending = st.problems.find((p) => p.code === 'pendingApproval')
      expect(pending?.message).toMatch(/^新电脑 PCX 等待批准（指纹 [0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}）$/)
      expect(st.pcs.find((p) => p.pc === 'PCX')?.trusted).toBe(false)
      await a.engine.approve('PCX')
      await office.syncAll()
      expect(val(a, 'qx', 'v')).toBe('x')
      expect(val(b, 'qx', 'v')).toBe('x')
      expect(await office.converged()).toBe(true)
    })

    test('fault 26: a segment edited in a text editor → signature fails; quarantined; alert', async () => {
      const { office, a, b } = await office3()
      put(a, 'q1', { price: 100 })
      await a.engine.syncOnce()
      const f = lastSeg(office, a.id)
      const text = new TextDecoder('latin1').decode(office.folder.get(f)!)
      const edited = text.replace('"app":"0.1.0"', '"app":"9.9.9"')
      expect(edited).not.toBe(text)
      office.folder.put(f, Uint8Array.from(edited, (ch) => ch.charCodeAt(0)))
      await b.engine.syncOnce()
      office.advance(2 * 60_000)
      await b.engine.syncOnce()
      expect(val(b, 'q1', 'price')).toBeUndefined()
      expect((await b.store.fileIssues())[0]?.kind).toBe('badSignature')
      expect(await codes(b)).toContain('quarantined')
    })

    test('fault 27: wrong passphrase on an encrypted vault → "cannot decrypt yet"; nothing lost; catches up with the right one', async () => {
      const office = await blank()
      const a = await office.addPc('PC01')
      const b = await office.addPc('PC02')
      await a.engine.createVault({ passphrase: '春江水暖', iterations: 2000 })
      await a.engine.exportOnce()
      await b.engine.joinVault()
      expect(await b.engine.unlock('秋风')).toBe(false)
      put(b, 'qb', { v: 'b' })
      const st = await b.engine.syncOnce()
      expect(st.problems.map((p) => p.message)).toContain('暂时无法解密：请输入正确的办公室同步口令')
      put(a, 'qa', { v: 'a' })
      await a.engine.syncOnce()
      expect(new TextDecoder('latin1').decode(office.folder.get(lastSeg(office, a.id))!)).not.toContain('"qa"')
      expect(b.store.outboxRows().find((r) => r.key === 'qb')).toBeDefined()
      expect(await b.engine.unlock('春江水暖')).toBe(true)
      await b.engine.syncOnce()
      await a.engine.syncOnce()
      await a.engine.approve('PC02')
      await office.syncAll()
      expect(val(b, 'qa', 'v')).toBe('a')
      expect(val(a, 'qb', 'v')).toBe('b')
      expect(await office.converged()).toBe(true)
    })

    test('fault 28: a scan half-copied when its record arrives → "attachment pending", record usable, retried', async () => {
      const { office, a, b } = await office3()
      const pdf = new TextEncoder().encode('%PDF-1.7 signed scan '.repeat(50))
      const hash = await sha256Hex(pdf)
      a.store.putLocalBlob(hash, pdf)
      put(a, 'att1', { docId: 'q1', hash, name: '签字扫描.pdf', mime: 'application/pdf', size: pdf.length, kind: 'signedScan' }, 'attachments')
      await a.engine.syncOnce()
      office.folder.truncate(paths.blob(hash), 100)
      const st = await b.engine.syncOnce()
      expect(b.store.view('attachments', 'att1')?.values.name).toBe('签字扫描.pdf')
      expect(st.problems.map((p) => p.message)).toContain('1 个附件待接收')
      office.folder.put(paths.blob(hash), pdf)
      await b.engine.syncOnce()
      expect(await b.store.getBlob(hash)).toEqual(pdf)
      expect((await b.engine.status()).pendingAttachments).toBe(0)
    })

    test('fault 29: the same PDF attached on two PCs → stored once, referenced twice', async () => {
      const { office, a, b, c } = await office3()
      const pdf = new TextEncoder().encode('%PDF-1.7 same scan')
      const hash = await sha256Hex(pdf)
      for (const [pc, id] of [[a, 'att-a'], [b, 'att-b']] as const) {
        pc.store.putLocalBlob(hash, pdf)
        put(pc, id, { docId: 'q1', hash, name: 'scan.pdf', size: pdf.length }, 'attachments')
      }
      await office.syncAll()
      expect(office.folder.paths('blobs')).toEqual([paths.blob(hash)])
      expect(c.store.blobCount()).toBe(1)
      expect(c.store.view('attachments', 'att-a')?.values.hash).toBe(hash)
      expect(c.store.view('attachments', 'att-b')?.values.hash).toBe(hash)
    })

    test('fault 30: an older app receives changes of a newer schema → stored unapplied, "update required", no crash', async () => {
      const { office, a, b, c } = await office3()
      office.restart(a, { schema: 2, app: '0.2.0' })
      put(a, 'q1', { v: 'new format' })
      put(c, 'qc', { v: 'c' })
      await a.engine.syncOnce()
      await c.engine.syncOnce()
      const st = await b.engine.syncOnce()
      expect(st.problems.map((p) => p.message)).toContain(`需要更新：电脑 ${a.id} 使用了更新版本的数据格式，请更新本软件`)
      expect(val(b, 'q1', 'v')).toBeUndefined()
      expect(val(b, 'qc', 'v')).toBe('c')
      expect((await b.store.fileIssues())[0]?.bytes?.length).toBeGreaterThan(0)
      office.restart(b, { schema: 2, app: '0.2.0' })
      await b.engine.syncOnce()
      expect(val(b, 'q1', 'v')).toBe('new format')
      expect(await codes(b)).toEqual([])
    })

    test('fault 31: two offline PCs issue a quote number in the same series → numbers never collide', async () => {
      const { office, a, b } = await office3()
      const issue = (pc: SimPc, code: string, key: string) => put(pc, key, { number: formatNumber('BJ', '2026-01-05', code, 1) })
      issue(a, 'A7', 'qa')
      issue(b, 'K3', 'qb')
      await office.syncAll()
      const numbers = ['qa', 'qb'].map((k) => val(a, k, 'number'))
      expect(numbers).toEqual(['BJ2601-A7-0001', 'BJ2601-K3-0001'])
      expect(new Set(numbers).size).toBe(2)
      expect(numberCollisions(await a.store.allRecords())).toEqual([])
      // Two PCs given the same code while offline: detected identically everywhere after sync.
      issue(a, 'Z9', 'za')
      issue(b, 'Z9', 'zb')
      await office.syncAll()
      const found = await Promise.all(office.pcs.map(async (p) => numberCollisions(await p.store.allRecords())))
      expect(found[0]).toHaveLength(1)
      expect(found[0]![0]).toMatchObject({ number: 'BJ2601-Z9-0001' })
      expect(found[0]![0]!.flagged).toHaveLength(1)
      for (const f of found) expect(f).toEqual(found[0])
    })
  })


  group('encrypted vault (issue 7)', () => {
    const PASS = '恒泰办公室2026'
    async function encryptedOffice() {
      const office = await blank()
      const a = await office.addPc('PC01')
      const b = await office.addPc('PC02')
      const c = await office.addPc('PC03')
      await a.engine.createVault({ passphrase: PASS, iterations: 2000 })
      await a.engine.exportOnce()
      for (const pc of [b, c]) {
        await pc.engine.joinVault(PASS)
        await pc.engine.exportOnce()
      }
      await a.engine.importOnce()
      for (const pc of [b, c]) await a.engine.approve(pc.id)
      await a.engine.exportOnce()
      await office.syncAll()
      return { office, a, b, c }
    }
    const latin1 = (b: Uint8Array) => new TextDecoder('latin1').decode(b)

    test('a blob\'s file name on an encrypted share is not the sha256 of its bytes; half-copied → pending, then received (fault 28)', async () => {
      const { office, a, b } = await encryptedOffice()
      const pdf = new TextEncoder().encode('%PDF-1.7 signed scan '.repeat(50))
      const hash = await sha256Hex(pdf)
      a.store.putLocalBlob(hash, pdf)
      put(a, 'att1', { docId: 'q1', hash, name: '签字扫描.pdf', mime: 'application/pdf', size: pdf.length, kind: 'signedScan' }, 'attachments')
      await a.engine.syncOnce()
      const blobs = office.folder.paths('blobs')
      expect(blobs).toHaveLength(1)
      expect(blobs[0]).toMatch(/^blobs\/[0-9a-f]{64}\.blob$/)
      expect(blobs[0]).not.toBe(paths.blob(hash))
      const stored = office.folder.get(blobs[0]!)!
      expect(latin1(stored)).not.toContain('%PDF')
      expect(latin1(stored)).not.toContain(hash)
      office.folder.truncate(blobs[0]!, 100)
      const st = await b.engine.syncOnce()
      expect(b.store.view('attachments', 'att1')?.values.name).toBe('签字扫描.pdf')
      // The record still carries the plaintext hash, checked after decryption.
      expect(b.store.view('attachments', 'att1')?.values.hash).toBe(hash)
      expect(st.problems.map((p) => p.message)).toContain('1 个附件待接收')
      office.folder.put(blobs[0]!, stored)
      await b.engine.syncOnce()
      expect(await b.store.getBlob(hash)).toEqual(pdf)
      expect((await b.engine.status()).pendingAttachments).toBe(0)
    })

    test('the same PDF attached on two PCs of an encrypted vault → one file under one keyed name, referenced twice (fault 29)', async () => {
      const { office, a, b, c } = await encryptedOffice()
      const pdf = new TextEncoder().encode('%PDF-1.7 same scan')
      const hash = await sha256Hex(pdf)
      for (const [pc, id] of [[a, 'att-a'], [b, 'att-b']] as const) {
        pc.store.putLocalBlob(hash, pdf)
        put(pc, id, { docId: 'q1', hash, name: 'scan.pdf', size: pdf.length }, 'attachments')
      }
      await office.syncAll()
      const blobs = office.folder.paths('blobs')
      expect(blobs).toHaveLength(1)
      expect(blobs[0]).not.toBe(paths.blob(hash))
      expect(c.store.blobCount()).toBe(1)
      expect(await c.store.getBlob(hash)).toEqual(pdf)
      expect(c.store.view('attachments', 'att-a')?.values.hash).toBe(hash)
      expect(c.store.view('attachments', 'att-b')?.values.hash).toBe(hash)
    })

    test('an encrypted PC whose files were all deleted republishes the very same bytes (faults 3, 23)', async () => {
      const { office, a, b } = await encryptedOffice()
      put(a, 'q1', { number: 'BJ-1' })
      await office.syncAll()
      const before = new Map(segFiles(office, a.id).map((p) => [p, office.folder.get(p)!]))
      expect(before.size).toBeGreaterThan(0)
      for (const p of before.keys()) expect(latin1(office.folder.get(p)!)).toMatch(/^MDENC2/)
      office.folder.wipe(paths.pcDir(a.id))
      await office.syncAll()
      for (const [p, bytes] of before) expect(office.folder.get(p)).toEqual(bytes)
      expect(val(b, 'q1', 'number')).toBe('BJ-1')
      expect(await office.converged()).toBe(true)
    })
  })
}

/** The fork tests of issue 7 (copies of a PC, clocks, replayed files), over `backend`. */
export function forkSuite(backend: SuiteBackend): void {
  const { create, office3, test, group } = harness(backend)

  group('copies of a PC (issue 7)', () => {
    test('fork clone: two machines with one identity both edit; every PC ends with every value, the copy takes a new identity and everyone is told', async () => {
      const { office, a, b, c } = await office3()
      put(a, 'q1', { price: 100 })
      await office.syncAll()
      const twin = office.clonePc(b)
      put(b, 'q1', { note: '原机' })
      put(twin, 'q2', { note: '副本' })
      put(twin, 'q1', { delivery: '顺德' })
      await b.engine.syncOnce()
      await twin.engine.syncOnce()
      // The copy saw its number taken by the original's file: it goes on under a new identity.
      expect(twin.id).not.toBe(b.id)
      expect(await codes(twin)).toContain('identityRenewed')
      await office.syncAll()
      // The others see a new PC waiting; it is approved like any new PC, then everything arrives.
      for (const pc of [a, c]) expect(await codes(pc)).toContain('pendingApproval')
      expect(await office.approveWaiting()).toBe(1)
      await office.syncAll(3)
      for (const pc of office.pcs) {
        expect(val(pc, 'q1', 'price')).toBe(100)
        expect(val(pc, 'q1', 'note')).toBe('原机')
        expect(val(pc, 'q1', 'delivery')).toBe('顺德')
        expect(val(pc, 'q2', 'note')).toBe('副本')
      }
      expect(await office.converged()).toBe(true)
    })

    test('fork conflicted copy: a cloud client keeps the copy\'s file beside the original (both spellings); readers keep both versions and raise a fork alarm', async () => {
      for (const spelling of [(n: string) => `${n} (conflicted copy 2026-11-30).seg`, (n: string) => `${n}-PC02 (Someone's conflicted copy 2026-11-30).seg`]) {
        const { office, a, b, c } = await office3()
        // The copy writes into its own synced folder before it sees the original's file (no renewal yet).
        const twin = office.clonePc(b, { renewIdentity: undefined })
        put(b, 'q1', { note: '原机' })
        put(twin, 'q2', { note: '副本' })
        await b.engine.syncOnce()
        // The copy's segment under the same number arrives renamed by the cloud client.
        const seq = (await b.store.cursors())[b.id]!.seq
        await twin.engine.importOnce() // stamps its change as the same number, not yet published
        const mine = (await twin.store.ownSegments()).find((s) => s.seq === seq && !s.published)!
        const base = paths.segment(b.id, seq).replace(/\.seg$/, '')
        office.folder.put(`${paths.segDir(b.id)}/${spelling(base.slice(base.lastIndexOf('/') + 1))}`, mine.bytes)
        await a.engine.syncOnce()
        await c.engine.syncOnce()
        for (const pc of [a, c]) {
          expect(val(pc, 'q1', 'note')).toBe('原机')
          expect(val(pc, 'q2', 'note')).toBe('副本')
          expect(await codes(pc)).toContain('fork')
        }
      }
    })

    test('fork second version at the real name: two readers applied different files under one number; each learns it from the other\'s status', async () => {
      const { office, a, b, c } = await office3()
      const twin = office.clonePc(b, { renewIdentity: undefined })
      put(b, 'q1', { note: '原机' })
      put(twin, 'q2', { note: '副本' })
      await b.engine.exportOnce()
      const seq = (await b.store.cursors())[b.id]!.seq
      const rel = paths.segment(b.id, seq)
      const original = office.folder.get(rel)!
      await twin.engine.importOnce()
      const theirs = (await twin.store.ownSegments()).find((s) => s.seq === seq && !s.published)!.bytes
      await a.engine.syncOnce()
      // The cloud client shows c the other version under the same name.
      office.folder.put(rel, theirs)
      await c.engine.syncOnce()
      office.folder.put(rel, original)
      await a.engine.syncOnce()
      await c.engine.syncOnce()
      await a.engine.syncOnce()
      expect(await codes(a)).toContain('fork')
      expect(await codes(c)).toContain('fork')
    })

    test('fork restored profile: a backup put back after the PC went on working takes a new identity and keeps what it had not sent', async () => {
      const { office, a, b } = await office3()
      put(b, 'q1', { note: 'v1' })
      await office.syncAll()
      const saved = b.store.clone()
      put(b, 'q1', { note: 'v2' })
      put(b, 'q3', { note: '备份之后' })
      await office.syncAll()
      // The disk fails; yesterday's backup is restored on the same PC, and a clerk types on it.
      const oldId = b.id
      office.restorePc(b, saved)
      put(b, 'q4', { note: '恢复之后' })
      await b.engine.syncOnce()
      expect(b.id).not.toBe(oldId)
      expect(await office.approveWaiting()).toBe(1)
      await office.syncAll(3)
      for (const pc of office.pcs) {
        expect(val(pc, 'q1', 'note')).toBe('v2')
        expect(val(pc, 'q3', 'note')).toBe('备份之后')
        expect(val(pc, 'q4', 'note')).toBe('恢复之后')
      }
      expect(val(a, 'q4', 'note')).toBe('恢复之后')
      expect(await office.converged()).toBe(true)
    })

    test('fork restored profile after compaction: the old files are gone; the restored PC catches up from the snapshot', async () => {
      const { office, a, b } = await office3()
      put(b, 'q1', { note: 'v1' })
      await office.syncAll()
      const saved = b.store.clone()
      for (let i = 0; i < 3; i++) { put(b, `q${10 + i}`, { note: `后${i}` }); put(a, `q${20 + i}`, { note: `A${i}` }); await office.syncAll() }
      await a.engine.writeSnapshot()
      await office.syncAll()
      for (const pc of office.pcs) await pc.engine.compact()
      office.restorePc(b, saved)
      put(b, 'q4', { note: '恢复之后' })
      await office.syncAll()
      await office.approveWaiting()
      await office.syncAll(3)
      for (const pc of office.pcs) {
        for (let i = 0; i < 3; i++) { expect(val(pc, `q${10 + i}`, 'note')).toBe(`后${i}`); expect(val(pc, `q${20 + i}`, 'note')).toBe(`A${i}`) }
        expect(val(pc, 'q4', 'note')).toBe('恢复之后')
      }
      expect(await office.converged()).toBe(true)
    })
  })


  group('clocks (issue 7)', () => {
    test('fork clock back + restart: the HLC resumes above the last value it issued, so no change id repeats', async () => {
      const { office, a } = await office3()
      put(a, 'q1', { n: 1 })
      await a.engine.syncOnce()
      const before = (a.store.record('docs', 'q1')!.fields.n!).map((w) => w.h)
      a.offsetMs = -86_400_000 // someone sets the clock back a day, then the app restarts
      office.restart(a)
      put(a, 'q1', { n: 2 })
      await a.engine.syncOnce()
      const ws = a.store.record('docs', 'q1')!.fields.n!
      const newest = ws.find((w) => w.v === 2)!
      expect(before.every((h) => newest.h > h)).toBe(true)
      expect(val(a, 'q1', 'n')).toBe(2)
      await office.syncAll()
      for (const pc of office.pcs) expect(val(pc, 'q1', 'n')).toBe(2)
    })

    test('fork same identity, same millisecond: two copies never issue the same change id', async () => {
      const { office, b } = await office3()
      const twin = office.clonePc(b)
      put(b, 'q9', { x: 1 })
      put(twin, 'q9', { x: 2 })
      await b.engine.importOnce()
      await twin.engine.importOnce()
      const hb = b.store.record('docs', 'q9')!.fields.x![0]!.h
      const ht = twin.store.record('docs', 'q9')!.fields.x![0]!.h
      expect(hb).not.toBe(ht)
    })
  })


  group('replayed files (issue 7)', () => {
    test('fork replay: an old file of a PC copied to its next number raises an alarm that clears once the PC publishes the real file', async () => {
      const { office, a, b } = await office3()
      put(b, 'q1', { note: '一' })
      await office.syncAll()
      const mine = (await b.store.cursors())[b.id]!.seq
      // Someone copies b's first file to b's next number (a replay).
      office.folder.put(paths.segment(b.id, mine + 1), office.folder.get(paths.segment(b.id, 1))!)
      for (let i = 0; i < 2; i++) {
        office.advance(20 * 60_000)
        await a.engine.importOnce()
        await b.engine.importOnce()
      }
      for (const pc of [a, b]) expect((await pc.engine.status()).problems.some((p) => p.pc === b.id && p.code === 'quarantined')).toBe(true)
      // b goes on: its real next file replaces the replay, and the alarm on a clears.
      put(b, 'q1', { note: '二' })
      await b.engine.syncOnce()
      expect(b.id).toBe(b.keys.pc)
      await office.syncAll()
      expect(val(a, 'q1', 'note')).toBe('二')
      for (const pc of [a, b]) expect((await pc.engine.status()).problems.filter((p) => p.pc === b.id && p.code !== 'clockSkew')).toEqual([])
    })
  })
}

/**
 * Fault 32 over `backend` as fixed runs (the randomized property test over many offices stays in
 * memory, property.test.ts): random edits, schedules, delayed, reordered and duplicated files,
 * cloned PCs and restored databases → all converge, nothing lost.
 */
export function simulationSuite(backend: SuiteBackend, runs: Array<Omit<SimulationOptions, 'share'>>): void {
  const { newShare, test, group } = harness(backend)
  group('fault 32: random offices converge and lose nothing', () => {
    for (const o of runs) {
      test(`fault 32: ${o.pcs} PCs, ${o.ops} ops, seed ${o.seed}, ${o.clones ?? 0} clones, ${o.restores ?? 0} restores → equal digests, nothing lost`, async () => {
        const r = await simulate({ ...o, share: await newShare() })
        expect(r.lost).toEqual([])
        expect(r.converged).toBe(true)
      })
    }
  })
}
