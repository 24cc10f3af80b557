/**
 * Sync between two PCs over real transports (issue 11), in one run: PC A makes BENCH_N changes
 * (10,000), then syncs; PC B syncs until it has every one of them. Each transport in turn:
 *   memory — the engine's in-memory folder (the engine and store alone, no I/O);
 *   folder — the renderer's folder transport → each PC's own main-process `shared:*` handlers → a temp folder;
 *   webdav — the same transport and handlers with their WebDAV backend → a local webdav-server
 *            (in-process, ephemeral port, Basic auth, PhysicalFileSystem over a temp folder).
 * Both PCs run SyncEngine over MemorySyncStore in this Node process, so the figures are the
 * engine plus the transport (not IndexedDB: bench/sync.bench.ts measures that in Chromium).
 * Two ways of working: A syncs once after all changes (segments of 2,000), or A syncs after every
 * BENCH_N/100 changes (100 segments: the per-file cost of a busy day).
 *
 * Run: npm run bench -- webdav      (BENCH_N=10000, BENCH_RUNS=3 runs per transport and way; medians)
 * Prints per run: A's export, B's import, their sum; the transport operations each PC asked for,
 * the files and bytes in the share, and for WebDAV the HTTP requests by method.
 */
import { randomUUID } from 'node:crypto'
import { cpus, loadavg, totalmem } from 'node:os'
import { performance } from 'node:perf_hooks'
import { SimOffice, memoryShare, type SimShare } from '../renderer/core/sync/sim'
import type { TransportStats } from '../renderer/core/sync/fault-injection'
import { folderShare, webdavShare, type LocalDav } from '../renderer/src/sync/test-shares'

const N = Number(process.env.BENCH_N ?? 10_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const ROUNDS = (process.env.BENCH_ROUNDS ?? '1,100').split(',').map(Number)

type Kind = 'memory' | 'folder' | 'webdav'
const KINDS: Kind[] = ['memory', 'folder', 'webdav']

interface Run {
  kind: Kind
  rounds: number
  exportMs: number
  importMs: number
  a: TransportStats
  b: TransportStats
  files: number
  bytes: number
  http: Record<string, number> | undefined
}

async function makeShare(kind: Kind): Promise<SimShare & { dav?: LocalDav }> {
  if (kind === 'memory') return memoryShare()
  return kind === 'folder' ? folderShare() : webdavShare()
}

const ops = (s: TransportStats) => s.list + s.read + s.write + s.remove
const diff = (x: TransportStats, y: TransportStats): TransportStats => ({ list: x.list - y.list, read: x.read - y.read, write: x.write - y.write, remove: x.remove - y.remove })
const httpDiff = (x: Record<string, number>, y: Record<string, number>) => Object.fromEntries(Object.entries(x).map(([k, v]) => [k, v - (y[k] ?? 0)]).filter(([, v]) => (v as number) > 0))

async function once(kind: Kind, rounds: number, n = N): Promise<Run> {
  const share = await makeShare(kind)
  try {
    const office = await SimOffice.create(2, {}, share)
    const [a, b] = office.pcs as [NonNullable<(typeof office.pcs)[0]>, NonNullable<(typeof office.pcs)[0]>]
    const a0 = { ...a.transport.stats }, b0 = { ...b.transport.stats }
    const http0 = { ...(share.dav?.requests ?? {}) }
    const per = Math.ceil(n / rounds)
    // A: the clerk's changes, published after every `per` of them (writing them is not timed).
    let exportMs = 0
    for (let i = 0; i < n; i += per) {
      for (let k = i; k < Math.min(n, i + per); k++) {
        // A quotation header's fields; the UUIDs (its customer, its creator's grant) do not compress, as in the app.
        a.store.localWrite('docs', `q${k}`, 'put', { number: `BJ2612-A7-${String(k).padStart(5, '0')}`, customer: randomUUID(), grant: randomUUID(), customerName: `客户${k % 97}`, amount: 100_000 + k, state: 'draft', note: '常规报价' })
      }
      const t0 = performance.now()
      const r = await a.engine.exportOnce()
      exportMs += performance.now() - t0
      if (!r.ok || (await a.engine.status()).waiting !== 0) throw new Error(`${kind}: A's export did not publish everything`)
    }
    // B: syncs until it has all N changes.
    const t1 = performance.now()
    for (let round = 0; round < 5; round++) {
      await b.engine.importOnce()
      if (b.store.view('docs', `q${n - 1}`)?.values.amount === 100_000 + n - 1) break
    }
    const importMs = performance.now() - t1
    for (let k = 0; k < n; k++) if (b.store.view('docs', `q${k}`)?.values.amount !== 100_000 + k) throw new Error(`${kind}: B is missing q${k}`)
    const files = share.folder.paths()
    const bytes = files.reduce((s, f) => s + (share.folder.get(f)?.length ?? 0), 0)
    return {
      kind, rounds, exportMs, importMs, a: diff(a.transport.stats, a0), b: diff(b.transport.stats, b0), files: files.length, bytes,
      http: share.dav ? httpDiff(share.dav.requests, http0) : undefined,
    }
  } finally {
    await share.close()
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((p, q) => p - q)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ')
const statLine = (s: TransportStats) => `${ops(s)} (list ${s.list} · read ${s.read} · write ${s.write} · remove ${s.remove})`

async function main(): Promise<void> {
  const load0 = load()
  const started = new Date().toISOString().slice(0, 16).replace('T', ' ')
  const runs: Run[] = []
  // Warm-up (not counted): the JIT and the first server start would otherwise fall on the first transport.
  for (const kind of KINDS) await once(kind, 10, Math.min(N, 1000))
  for (const rounds of ROUNDS) {
    for (let i = 0; i < RUNS; i++) {
      // Transports interleaved, so a burst of load elsewhere hits all three alike.
      for (const kind of KINDS) {
        const r = await once(kind, rounds)
        runs.push(r)
        console.log(`${kind.padEnd(6)} ${rounds === 1 ? 'one sync ' : `${rounds} syncs`} run ${i + 1}: A export ${sec(r.exportMs)} · B import ${sec(r.importMs)} · total ${sec(r.exportMs + r.importMs)}`
          + ` · ops A ${ops(r.a)} / B ${ops(r.b)} · ${r.files} files, ${(r.bytes / 2 ** 20).toFixed(2)} MiB${r.http ? ` · HTTP ${Object.entries(r.http).map(([k, v]) => `${k} ${v}`).join(' ')}` : ''} · load ${load()}`)
      }
    }
  }
  const load1 = load()
  console.log('')
  console.log(`## WebDAV against the folder (bench/webdav.bench.ts) — ${started} UTC · ${cpus().length} × ${cpus()[0]?.model ?? '?'} · ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM · Node ${process.version}; load average ${load0} → ${load1}`)
  for (const rounds of ROUNDS) {
    console.log('')
    console.log(`| ${N.toLocaleString('en')} changes on A, ${rounds === 1 ? 'one sync' : `a sync every ${Math.ceil(N / rounds).toLocaleString('en')} changes (${rounds} segments)`}; median of ${RUNS} | A export | B import | A→B total | over memory | transport ops A / B | files, MiB | HTTP requests (A + B) |`)
    console.log('|---|---|---|---|---|---|---|---|')
    const memTotal = median(runs.filter((r) => r.kind === 'memory' && r.rounds === rounds).map((r) => r.exportMs + r.importMs))
    for (const kind of KINDS) {
      const rs = runs.filter((r) => r.kind === kind && r.rounds === rounds)
      const total = median(rs.map((r) => r.exportMs + r.importMs))
      const last = rs[rs.length - 1]!
      const http = last.http ? `${Object.values(last.http).reduce((s, v) => s + v, 0)} (${Object.entries(last.http).map(([k, v]) => `${k} ${v}`).join(' · ')})` : '—'
      console.log(`| ${kind} | ${sec(median(rs.map((r) => r.exportMs)))} | ${sec(median(rs.map((r) => r.importMs)))} | ${sec(total)} (runs ${rs.map((r) => ((r.exportMs + r.importMs) / 1000).toFixed(2)).join(', ')}) | ${kind === 'memory' ? '—' : `${total >= memTotal ? '+' : '−'}${sec(Math.abs(total - memTotal))} (× ${(total / memTotal).toFixed(1)})`} | ${statLine(last.a)} / ${statLine(last.b)} | ${last.files}, ${(last.bytes / 2 ** 20).toFixed(2)} | ${http} |`)
    }
  }
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1) })
