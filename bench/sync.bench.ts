/**
 * Sync benchmark in real Chromium (on-disk IndexedDB), through the app's own sync pieces:
 * DeskDb + DexieSyncStore + SyncEngine, with the engine's in-page MemoryTransport as the shared
 * folder (the figures measure the database and the engine, not a network share).
 * Run: npx tsx bench/sync.bench.ts          (BENCH_N=10000 quotations per ratio run, 3 runs;
 *                                             BENCH_SNAP_N=100000 records for the snapshot)
 *
 * 1. Import rate against raw Dexie bulkPut in the same run: PC W exports N quotations, PC R
 *    imports them (verify, merge, materialize, one transaction per 2,000-change segment); then the
 *    rows R ended with are bulkPut into a fresh database in transactions of 2,000. Target ≥ 0.8.
 * 2. Export cost per 1,000 changes (stamp + sign + publish + read-back), from the same runs.
 * 3. A new PC bootstrapped from a snapshot of BENCH_SNAP_N records (commits of 5,000). Target ≤ 60 s at 100,000.
 * Each run also prints where the time went (DexieSyncStore.phases), for import, export and bootstrap.
 */
import { loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import { blankPage, checked, fsUrl, inPage, launchProfile, machine, machineLine, median, startVite, tempProfile } from './lib/chromium'
import type { RatioResult, SnapshotResult } from './lib/sync-page'

const PORT = Number(process.env.BENCH_PORT ?? 5198)
const N = Number(process.env.BENCH_N ?? 10_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const SNAP_N = Number(process.env.BENCH_SNAP_N ?? 100_000)
const MODULE = fsUrl('bench/lib/sync-page.ts')
/** Runs a call in the page and brings its error back with name, message and stack. */

const importModule = `(async () => { window.__sync = await import(${JSON.stringify(MODULE)}); return true })()`

async function main(): Promise<void> {
  const watchdog = setTimeout(() => { console.error('sync bench: timed out after 25 minutes'); process.exit(2) }, 25 * 60_000)
  watchdog.unref()
  const server = await startVite(PORT, ['dexie', 'pinyin-pro', 'fflate'])
  const profile = tempProfile('md-sync-bench-')
  const runs: RatioResult[] = []
  let snap: SnapshotResult | undefined
  let browserVersion = ''
  const load0 = loadavg().map((x) => x.toFixed(1)).join(' ')
  try {
    const ctx = await launchProfile(profile.dir)
    browserVersion = ctx.browser()?.version() ?? ''
    const page = await blankPage(ctx, server.url)
    await page.evaluate(importModule)
    for (let i = 0; i < RUNS; i++) {
      const r = checked<RatioResult>(await page.evaluate(inPage(`window.__sync.ratio(${N}, ${i})`)))
      runs.push(r)
      console.log(`run ${i + 1}: export ${(r.exportMs / 1000).toFixed(2)} s · import ${(r.importMs / 1000).toFixed(2)} s · raw bulkPut ${(r.rawMs / 1000).toFixed(2)} s`
        + ` · ratio ${(r.rawMs / r.importMs).toFixed(2)} · raw bulkPut with $sync ${(r.rawWithStateMs / 1000).toFixed(2)} s · ${r.segments} segments, ${(r.folderBytes / 2 ** 20).toFixed(1)} MiB in the folder, ${r.docsImported} docs`)
      console.log(`  import phases: ${Object.entries(r.phases).map(([k, v]) => `${k} ${Math.round(v)} ms`).join(' · ')}`)
      console.log(`  export phases: ${Object.entries(r.exportPhases).map(([k, v]) => `${k} ${Math.round(v)} ms`).join(' · ')}`)
    }
    if (SNAP_N > 0) {
      snap = checked<SnapshotResult>(await page.evaluate(inPage(`window.__sync.snapshot(${SNAP_N})`)))
      console.log(`snapshot of ${snap.n} quotations (+60 customers): founder export ${(snap.exportMs / 1000).toFixed(1)} s, writeSnapshot ${(snap.snapshotMs / 1000).toFixed(1)} s`
        + ` (${(snap.snapshotBytes / 2 ** 20).toFixed(1)} MiB), new PC join + bootstrap ${(snap.bootstrapMs / 1000).toFixed(1)} s in ${snap.commits} commits → ${snap.docs} docs, ${snap.quotations} quotations counted`)
      console.log(`  bootstrap phases: ${Object.entries(snap.phases).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(' · ')}`)
      console.log(`  raw bulkPut of the same ${snap.docs} rows, 5,000 per transaction: ${(snap.rawMs / 1000).toFixed(1)} s`)
    }
    await ctx.close()
  } finally {
    await server.close()
    profile.remove()
  }
  const load1 = loadavg().map((x) => x.toFixed(1)).join(' ')
  const m = machine(browserVersion)
  const med = (f: (r: RatioResult) => number) => median(runs.map(f))
  const importRate = N / (med((r) => r.importMs) / 1000)
  const rawRate = N / (med((r) => r.rawMs) / 1000)
  console.log('')
  console.log(`## Sync (bench/sync.bench.ts) — ${machineLine(m)}; load average ${load0} → ${load1}`)
  console.log('')
  console.log(`| measure (${N.toLocaleString('en')} quotations, median of ${RUNS}) | figure | target |`)
  console.log('|---|---|---|')
  console.log(`| import (verify + merge + materialize + cursor, one tx per segment) | ${(med((r) => r.importMs) / 1000).toFixed(2)} s = ${Math.round(importRate)} records/s | |`)
  console.log(`| raw Dexie bulkPut of the same rows, same tx size | ${(med((r) => r.rawMs) / 1000).toFixed(2)} s = ${Math.round(rawRate)} records/s | |`)
  console.log(`| import rate ÷ bulkPut rate | ${(importRate / rawRate).toFixed(2)} (runs: ${runs.map((r) => (r.rawMs / r.importMs).toFixed(2)).join(', ')}) | ≥ 0.8 |`)
  console.log(`| raw bulkPut of the same rows with their \`$sync\` merge state / its ratio | ${(med((r) => r.rawWithStateMs) / 1000).toFixed(2)} s / ${(med((r) => r.rawWithStateMs) / med((r) => r.importMs)).toFixed(2)} | |`)
  const phaseNames = Object.keys(runs[0]?.phases ?? {})
  console.log(`| import phases (median ms) | ${phaseNames.map((k) => `${k} ${Math.round(med((r) => r.phases[k] ?? 0))}`).join(' · ')} | |`)
  console.log(`| export per 1,000 changes (stamp + sign + publish + read back) | ${(med((r) => r.exportMs) / (N / 1000)).toFixed(0)} ms | |`)
  if (snap) {
    console.log(`| new PC from a snapshot of ${snap.n.toLocaleString('en')} records (join + verify + commits of 5,000) | ${(snap.bootstrapMs / 1000).toFixed(1)} s | ≤ 60 s at 100,000 |`)
    console.log(`| raw Dexie bulkPut of the same rows, same run | ${(snap.rawMs / 1000).toFixed(1)} s | |`)
    console.log(`| founder: export ${snap.n.toLocaleString('en')} changes / write the snapshot | ${(snap.exportMs / 1000).toFixed(1)} s / ${(snap.snapshotMs / 1000).toFixed(1)} s (${(snap.snapshotBytes / 2 ** 20).toFixed(1)} MiB) | |`)
  }
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1) })
