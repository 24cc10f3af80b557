/**
 * Backup and restore benchmark in real Chromium (on-disk IndexedDB), through the app's own code
 * (renderer/src/data/backup.ts).
 * Run: npx tsx bench/backup.bench.ts   (BENCH_N=10000 quotations, BENCH_ATT=400 attachments of
 *                                        BENCH_ATT_KB=512 KB = 200 MiB, BENCH_RUNS=2, BENCH_FOLDER=1)
 *
 * For each of plain and AES-encrypted: a backup written to a file on disk in the page (the
 * origin-private file system), then a restore of that file onto a fresh profile (verify every part,
 * then write). Then, once, the same plain backup into the backup folder through the backup:*
 * handlers over the e2e bridge, which moves the bytes as base64 over the DevTools protocol: that
 * figure is the test harness's, not Electron's IPC (structured clone). Peak memory is sampled every 200 ms during each operation:
 * the page's JS heap (CDP Performance.getMetrics), the resident memory of all of this profile's
 * Chromium processes, and this Node process (which runs the main-process handlers), each above its
 * level just before the operation.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { blankPage, checked, chromiumRss, fsUrl, inPage, launchProfile, machine, machineLine, median, startVite, tempProfile } from './lib/chromium'
import type { BackupRun, RestoreRun, SeedResult } from './lib/backup-page'
import { installBridge } from '../e2e/support/bridge'

const PORT = Number(process.env.BENCH_PORT ?? 5186)
const N = Number(process.env.BENCH_N ?? 10_000)
const ATT = Number(process.env.BENCH_ATT ?? 400)
const ATT_KB = Number(process.env.BENCH_ATT_KB ?? 512)
const RUNS = Number(process.env.BENCH_RUNS ?? 2)
const FOLDER = process.env.BENCH_FOLDER !== '0'
const PASSWORD = 'bench-备份密码'
const MODULE = fsUrl('bench/lib/backup-page.ts')

interface Peak { heap: number; chromium: number; node: number }

/** Runs `op` while sampling memory; returns its result and the peaks above the levels before it. */
async function measured<T>(sample: () => Promise<{ heap: number; chromium: number; node: number }>, op: () => Promise<T>): Promise<{ value: T; peak: Peak }> {
  const base = await sample()
  const peak: Peak = { heap: 0, chromium: 0, node: 0 }
  let stop = false
  const loop = (async () => {
    while (!stop) {
      const s = await sample().catch(() => base)
      peak.heap = Math.max(peak.heap, s.heap - base.heap)
      peak.chromium = Math.max(peak.chromium, s.chromium - base.chromium)
      peak.node = Math.max(peak.node, s.node - base.node)
      await new Promise((r) => setTimeout(r, 200))
    }
  })()
  try {
    return { value: await op(), peak }
  } finally {
    stop = true
    await loop
  }
}

const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`

async function main(): Promise<void> {
  const watchdog = setTimeout(() => { console.error('backup bench: timed out after 40 minutes'); process.exit(2) }, 40 * 60_000)
  watchdog.unref()
  const server = await startVite(PORT, ['dexie', 'pinyin-pro', 'fflate', '@zip.js/zip.js', '@noble/hashes/sha2.js', '@noble/hashes/scrypt.js', '@noble/curves/ed25519.js'])
  const profile = tempProfile('md-backup-bench-')
  const folder = mkdtempSync(join(tmpdir(), 'md-backup-folder-'))
  const load0 = loadavg().map((x) => x.toFixed(1)).join(' ')
  let browserVersion = ''
  const results: Array<{ label: string; ms: number[]; peaks: Peak[]; size?: number }> = []
  let seeded: SeedResult | undefined
  try {
    const ctx = await launchProfile(profile.dir)
    browserVersion = ctx.browser()?.version() ?? ''
    const bridge = await installBridge(ctx, { userDataDir: mkdtempSync(join(tmpdir(), 'md-backup-userdata-')) })
    const page = await blankPage(ctx, server.url)
    const cdp = await ctx.newCDPSession(page)
    await cdp.send('Performance.enable')
    const sample = async () => {
      const m = await cdp.send('Performance.getMetrics')
      const heap = m.metrics.find((x) => x.name === 'JSHeapUsedSize')?.value ?? 0
      return { heap, chromium: chromiumRss(profile.dir), node: process.memoryUsage().rss }
    }
    await page.evaluate(`(async () => { window.__b = await import(${JSON.stringify(MODULE)}); return true })()`)
    bridge.dialogs.queueOpen([folder])
    checked(await page.evaluate(inPage('window.desk.backupChooseFolder({})')))

    seeded = checked<SeedResult>(await page.evaluate(inPage(`window.__b.seed(${N}, ${ATT}, ${ATT_KB})`)))
    console.log(`seeded ${seeded.docs} documents, ${seeded.lines} lines, ${seeded.audit} audit entries, ${seeded.attachments} attachments (${mib(seeded.blobBytes)}) in ${sec(seeded.ms)}`)

    for (const [label, password] of [['plain', undefined], ['AES-256', PASSWORD]] as const) {
      const b: { label: string; ms: number[]; peaks: Peak[]; size?: number } = { label: `backup, ${label}, to a file on disk`, ms: [], peaks: [] }
      const r: { label: string; ms: number[]; peaks: Peak[] } = { label: `restore, ${label}, from that file (verify every part, then write)`, ms: [], peaks: [] }
      for (let run = 0; run < RUNS; run++) {
        const pw = password ? JSON.stringify(password) : 'undefined'
        const id = `${run}${label === 'plain' ? 0 : 1}`
        const done = await measured(sample, async () => checked<BackupRun>(await page.evaluate(inPage(`window.__b.backup(${pw}, 'disk', '${id}')`))))
        b.ms.push(done.value.ms)
        b.peaks.push(done.peak)
        b.size = done.value.size
        console.log(`${b.label}: ${sec(done.value.ms)}, ${mib(done.value.size)} file, peaks: heap +${mib(done.peak.heap)}, Chromium RSS +${mib(done.peak.chromium)}, Node +${mib(done.peak.node)}`)
        const back = await measured(sample, async () => checked<RestoreRun>(await page.evaluate(inPage(`window.__b.restore(${JSON.stringify(done.value.name)}, ${pw}, '${id}')`))))
        r.ms.push(back.value.ms)
        r.peaks.push(back.peak)
        console.log(`${r.label}: ${sec(back.value.ms)} → ${back.value.docs} documents, ${back.value.lines} lines, ${back.value.audit} audit, ${back.value.attachments} attachments, ${back.value.blobs} blobs, bytes match ${back.value.blobsMatch}; peaks: heap +${mib(back.peak.heap)}, Chromium RSS +${mib(back.peak.chromium)}, Node +${mib(back.peak.node)}`)
        if (back.value.docs !== seeded.docs || back.value.blobs !== seeded.attachments || !back.value.blobsMatch) throw new Error('restore incomplete')
        await page.evaluate(inPage(`window.__b.drop(${JSON.stringify(done.value.name)})`))
      }
      results.push(b, r)
    }
    if (FOLDER) {
      const f: { label: string; ms: number[]; peaks: Peak[]; size?: number } = { label: 'backup, plain, into the backup folder over the e2e bridge (harness cost)', ms: [], peaks: [] }
      const done = await measured(sample, async () => checked<BackupRun>(await page.evaluate(inPage("window.__b.backup(undefined, 'folder', 'f')"))))
      f.ms.push(done.value.ms)
      f.peaks.push(done.peak)
      f.size = done.value.size
      console.log(`${f.label}: ${sec(done.value.ms)}, peaks: heap +${mib(done.peak.heap)}, Chromium RSS +${mib(done.peak.chromium)}, Node +${mib(done.peak.node)}`)
      results.push(f)
    }
    await ctx.close()
  } finally {
    await server.close()
    profile.remove()
    rmSync(folder, { recursive: true, force: true })
  }
  const load1 = loadavg().map((x) => x.toFixed(1)).join(' ')
  const m = machine(browserVersion)
  const max = (xs: number[]) => Math.max(...xs)
  console.log('')
  console.log(`## Backup and restore (bench/backup.bench.ts) — ${machineLine(m)}; load average ${load0} → ${load1}`)
  console.log('')
  console.log(`${seeded!.docs.toLocaleString('en')} documents (${N.toLocaleString('en')} quotations + customers), ${seeded!.lines.toLocaleString('en')} lines, ${seeded!.audit.toLocaleString('en')} audit entries, ${seeded!.attachments} attachments = ${mib(seeded!.blobBytes)}; median of ${RUNS} (the folder run: 1), peak = highest of the runs above the level before the operation`)
  console.log('')
  console.log('| operation | time | file | peak JS heap | peak Chromium RSS | peak Node RSS (main handlers) |')
  console.log('|---|---:|---:|---:|---:|---:|')
  for (const r of results) {
    console.log(`| ${r.label} | ${sec(median(r.ms))} | ${r.size ? mib(r.size) : ''} | +${mib(max(r.peaks.map((p) => p.heap)))} | +${mib(max(r.peaks.map((p) => p.chromium)))} | +${mib(max(r.peaks.map((p) => p.node)))} |`)
  }
  clearTimeout(watchdog)
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1) })
