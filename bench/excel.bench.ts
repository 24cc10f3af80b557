/**
 * 导出 Excel benchmark (issue 10): a list of 10,000 quotations exported to .xlsx in Chromium along
 * the app's path after the rows are read (exportListRows → buildWorkbook with exceljs in the Excel
 * worker), from the app's modules served by Vite; then the same on the main thread, to compare.
 * Prints the median time of the runs after the first (the first also loads exceljs), the file size,
 * the longest main-thread task, and the peak memory above the level before each run: the page's JS
 * heap (CDP; the worker's heap is not in it) and the resident memory of this profile's Chromium
 * processes (the worker's included). Run: npx tsx bench/excel.bench.ts [--runs 5] [--rows 10000]
 */
import { loadavg } from 'node:os'
import { blankPage, checked, chromiumRss, fsUrl, inPage, launchProfile, machine, machineLine, median, startVite, tempProfile } from './lib/chromium'
import type { ExcelRun } from './lib/excel-page'

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? Number(process.argv[i + 1]) : dflt
}
const RUNS = arg('runs', 5)
const ROWS = arg('rows', 10_000)

const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`

async function main(): Promise<void> {
  const watchdog = setTimeout(() => { console.error('excel bench: timed out after 15 minutes'); process.exit(2) }, 15 * 60_000)
  watchdog.unref()
  const server = await startVite(5191, ['exceljs', 'fflate', 'pinyin-pro'])
  const profile = tempProfile('md-excel-bench-')
  const load0 = loadavg().map((x) => x.toFixed(1)).join(' ')
  let browserVersion = ''
  type Run = { r: ExcelRun; heap: number; rss: number; rssAbs: number }
  const all: Record<'worker' | 'main', Run[]> = { worker: [], main: [] }
  try {
    const ctx = await launchProfile(profile.dir)
    browserVersion = ctx.browser()?.version() ?? ''
    const page = await blankPage(ctx, server.url)
    await page.evaluate(`import(${JSON.stringify(fsUrl('bench/lib/excel-page.ts'))}).then((m) => { window.__x = m })`)
    const cdp = await ctx.newCDPSession(page)
    await cdp.send('Performance.enable')
    const sample = async () => {
      const m = await cdp.send('Performance.getMetrics')
      return { heap: m.metrics.find((x) => x.name === 'JSHeapUsedSize')?.value ?? 0, rss: chromiumRss(profile.dir) }
    }
    for (const where of ['worker', 'main'] as const) for (let i = 0; i < RUNS; i++) {
      const runs = all[where]
      await cdp.send('HeapProfiler.collectGarbage').catch(() => undefined)
      const base = await sample()
      const peak = { heap: 0, rss: 0, rssAbs: base.rss }
      let stop = false
      const loop = (async () => {
        while (!stop) {
          const s = await sample().catch(() => base)
          peak.heap = Math.max(peak.heap, s.heap - base.heap)
          peak.rss = Math.max(peak.rss, s.rss - base.rss)
          peak.rssAbs = Math.max(peak.rssAbs, s.rss)
          await new Promise((r) => setTimeout(r, 50))
        }
      })()
      const r = checked<ExcelRun>(await page.evaluate(inPage(`window.__x.run(${ROWS}, '${where}')`)))
      stop = true
      await loop
      runs.push({ r, ...peak })
      console.log(`${where} run ${i + 1}${i === 0 ? ' (loads exceljs)' : ''}: ${sec(r.ms)} (map ${r.mapMs.toFixed(0)} ms, workbook ${sec(r.writeMs)}), ${(r.bytes / 2 ** 20).toFixed(2)} MiB; longest task ${r.longestTask.toFixed(0)} ms; ` +
        `peaks: page heap +${mib(peak.heap)}, Chromium RSS +${mib(peak.rss)} (${mib(peak.rssAbs)} in all)`)
    }
    await ctx.close()
  } finally {
    await server.close()
    profile.remove()
  }
  console.log(`\n${machineLine(machine(browserVersion))}; load average before ${load0}, after ${loadavg().map((x) => x.toFixed(1)).join(' ')}`)
  console.log(`${ROWS} quotation rows (8 columns: text, dates, money, state), one sheet with 合计; ${RUNS} runs each in one page`)
  console.log(`| measure | in the Excel worker (the app): run 1 | median of runs 2–${RUNS} | on the main thread: median of runs 2–${RUNS} |`)
  console.log('|---|---:|---:|---:|')
  const w = all.worker, m = all.main
  const med = (rs: Run[], f: (x: Run) => number) => median(rs.slice(1).map(f))
  console.log(`| rows → .xlsx bytes | ${sec(w[0]!.r.ms)} | ${sec(med(w, (x) => x.r.ms))} | ${sec(med(m, (x) => x.r.ms))} |`)
  console.log(`| of which exportListRows (main thread) | ${w[0]!.r.mapMs.toFixed(0)} ms | ${med(w, (x) => x.r.mapMs).toFixed(0)} ms | ${med(m, (x) => x.r.mapMs).toFixed(0)} ms |`)
  console.log(`| file size | ${(w[0]!.r.bytes / 2 ** 20).toFixed(2)} MiB | | |`)
  console.log(`| longest main-thread task | ${w[0]!.r.longestTask.toFixed(0)} ms | ${med(w, (x) => x.r.longestTask).toFixed(0)} ms | ${med(m, (x) => x.r.longestTask).toFixed(0)} ms |`)
  console.log(`| peak page JS heap, above start | +${mib(w[0]!.heap)} | +${mib(med(w, (x) => x.heap))} | +${mib(med(m, (x) => x.heap))} |`)
  console.log(`| peak Chromium RSS, above start | +${mib(w[0]!.rss)} | +${mib(med(w, (x) => x.rss))} | +${mib(med(m, (x) => x.rss))} |`)
  console.log(`| Chromium RSS in all, at most | ${mib(Math.max(...w.map((x) => x.rssAbs)))} | | ${mib(Math.max(...m.map((x) => x.rssAbs)))} |`)
}

await main()
