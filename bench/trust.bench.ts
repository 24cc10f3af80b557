/**
 * Signed changes and sign-in (issue 6) in real Chromium (on-disk IndexedDB), through the app's own
 * code (bench/lib/trust-page.ts): the directory and document stores, DexieSyncStore, SyncEngine,
 * TrustGate + createGatePort, with the engine's in-page MemoryTransport as the shared folder.
 * Run: npx tsx bench/trust.bench.ts     (BENCH_N=5000 quotations per run, BENCH_RUNS=3)
 *
 * 1. Sign-in: `directory.signIn` of an administrator made by `createOffice` (DEFAULT_KDF), right
 *    password 5 times and wrong password 5 times, medians; the longest main-thread block.
 * 2. Import of signed changes against the same changes unsigned, in one run: PC W installs the
 *    demo directory, signs in 李强 and makes N quotations (60 customers, every third quotation
 *    submitted) through `documents.create` / `documents.transition`, so every change carries its
 *    signed audit entry; W exports. R1 imports with the trust gate, R2 the same folder without
 *    one. Ratio unsignedMs / signedMs, goal ≥ 0.8. R1 must refuse nothing (findings = 0) and both
 *    must end with the same documents. W writes once; each run reloads the page (verifyObject
 *    memoises verdicts per page, so R1 checks every signature itself) and imports W's folder into
 *    two fresh databases; the order R1/R2 alternates between runs.
 */
import { loadavg } from 'node:os'
import { blankPage, checked, fsUrl, inPage, launchProfile, machine, machineLine, median, startVite, tempProfile } from './lib/chromium'
import type { SignInTimes, TrustRun, Written } from './lib/trust-page'

const PORT = Number(process.env.BENCH_PORT ?? 5197)
const N = Number(process.env.BENCH_N ?? 5_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const MODULE = fsUrl('bench/lib/trust-page.ts')
const importModule = `(async () => { window.__trust = await import(${JSON.stringify(MODULE)}); return true })()`

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ')
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`
const ms0 = (ms: number) => `${Math.round(ms)} ms`

async function main(): Promise<void> {
  const watchdog = setTimeout(() => { console.error('trust bench: timed out after 60 minutes'); process.exit(2) }, 60 * 60_000)
  watchdog.unref()
  const server = await startVite(PORT, ['dexie', 'pinyin-pro', 'fflate', '@noble/curves/ed25519.js', '@noble/hashes/sha2.js', '@noble/hashes/scrypt.js'])
  const profile = tempProfile('md-trust-bench-')
  const runs: TrustRun[] = []
  let signIn: SignInTimes | undefined
  let w: Written | undefined
  let browserVersion = ''
  const loads: string[] = [load()]
  let failed = false
  try {
    const ctx = await launchProfile(profile.dir)
    browserVersion = ctx.browser()?.version() ?? ''
    const page = await blankPage(ctx, server.url)
    await page.evaluate(importModule)
    signIn = checked<SignInTimes>(await page.evaluate(inPage('window.__trust.signInTimes(5)')))
    console.log(`sign-in (${signIn.kdf}), load ${load()}: createOffice ${ms0(signIn.createOfficeMs)} · right password ${signIn.rightMs.map(ms0).join(', ')} · wrong ${signIn.wrongMs.map(ms0).join(', ')}`)
    const pr = signIn.probe
    console.log(`  probed sign-in ${ms0(pr.ms)}: long tasks (> 50 ms) ${pr.longTasks.length ? pr.longTasks.map(ms0).join(', ') : 'none'} · ${pr.frames} animation frames, longest gap ${ms0(pr.maxFrameGapMs)} · longest gap between 1-ms timer ticks ${ms0(pr.maxTimerGapMs)}`)
    w = checked<Written>(await page.evaluate(inPage(`window.__trust.write(${N})`)))
    const written = w
    console.log(`W (load ${load()}): ${written.customers} customers + ${written.n} quotations (${written.submitted} submitted) written in ${s(written.writeMs)} (${(written.writeMs / (written.n + written.submitted + written.customers)).toFixed(1)} ms per write); exported ${written.changes} changes in ${s(written.exportMs)} (${written.segments} segments, ${(written.folderBytes / 2 ** 20).toFixed(1)} MiB)`)
    for (let i = 0; i < RUNS; i++) {
      // A fresh page per run: verifyObject's memo starts empty, so R1 checks every signature itself.
      await page.reload()
      await page.evaluate(importModule)
      const signedFirst = i % 2 === 0
      const r = checked<TrustRun>(await page.evaluate(async ([files, docs, run, first]) => {
        try {
          return await (window as unknown as { __trust: typeof import('./lib/trust-page') }).__trust.read(files, docs, run, first)
        } catch (e) {
          return { __error: `${(e as Error)?.name}: ${(e as Error)?.message}\n${(e as Error)?.stack}` }
        }
      }, [written.files, written.docs, i, signedFirst] as const))
      runs.push(r)
      loads.push(load())
      console.log(`run ${i + 1} (load ${load()}; ${signedFirst ? 'gated reader first' : 'ungated reader first'}):`)
      console.log(`  import with gate ${s(r.signed.importMs)} · without ${s(r.unsigned.importMs)} · ratio unsigned/signed ${(r.unsigned.importMs / r.signed.importMs).toFixed(2)}`
        + ` · docs ${r.signed.docs} / ${r.unsigned.docs} (W ${written.docs}) · lines ${r.signed.lines} / ${r.unsigned.lines} · audit ${r.signed.audit} / ${r.unsigned.audit} · findings ${r.signed.findings}`)
      console.log(`  gated phases: ${Object.entries(r.signed.phases).map(([k, v]) => `${k} ${ms0(v)}`).join(' · ')}`)
      console.log(`  ungated phases: ${Object.entries(r.unsigned.phases).map(([k, v]) => `${k} ${ms0(v)}`).join(' · ')}`)
      console.log(`  gate: ${Object.entries(r.gateMs).map(([k, v]) => `${k} ${ms0(v)}`).join(' · ')} | port: ${Object.entries(r.portStats).map(([k, v]) => `${k} ${ms0(v.ms)} (${v.calls}×)`).join(' · ')}`)
      const v = r.verify
      console.log(`  signatures of ${v.entries} audit entries: signedBytes ${ms0(v.signedBytesMs)} · memo hash ${ms0(v.memoHashMs)} · @noble verify ${ms0(v.nobleMs)} (${(v.nobleMs / v.entries).toFixed(2)} ms each)`
        + ` · WebCrypto verify one by one ${ms0(v.webcryptoSeqMs)} (${(v.webcryptoSeqMs / v.entries).toFixed(3)} ms each), all at once ${ms0(v.webcryptoParMs)} · all valid: ${v.allValid}`)
      const j = r.judge
      console.log(`  judging the same entries again (verdicts memoised): judgeAudit ${ms0(j.judgeMs)} · of which around() ${ms0(j.aroundMs)} in ${j.aroundFolds} folds · one fold ${j.foldOnceMs.toFixed(1)} ms · verifyObject memo hits ${ms0(j.verifyMemoHitMs)}`
        + ` · around() memoised by entry set: ${ms0(j.aroundBySetMs)} in ${j.aroundBySetFolds} folds`)
      if (r.signed.findings > 0 || r.findingReasons.length > 0 || r.signed.docs !== r.unsigned.docs || !v.allValid) {
        console.error(`FAILED: the gated reader refused or held changes, or the readers differ:\n  ${r.findingReasons.join('\n  ')}`)
        failed = true
      }
    }
    await ctx.close()
  } finally {
    await server.close()
    profile.remove()
  }
  const m = machine(browserVersion)
  console.log('')
  console.log(`## Signed changes and sign-in (bench/trust.bench.ts) — ${machineLine(m)}; load average (1/5/15 min) ${loads.join(' → ')}`)
  console.log('')
  if (signIn) {
    console.log(`| sign-in (${signIn.kdf}), Chromium, median of ${signIn.rightMs.length} | figure |`)
    console.log('|---|---|')
    console.log(`| \`signIn\`, right password | ${ms0(median(signIn.rightMs))} (runs ${signIn.rightMs.map((x) => Math.round(x)).join(', ')}) |`)
    console.log(`| \`signIn\`, wrong password | ${ms0(median(signIn.wrongMs))} (runs ${signIn.wrongMs.map((x) => Math.round(x)).join(', ')}) |`)
    console.log(`| during one more sign-in (${ms0(signIn.probe.ms)}): longest long task / longest gap between animation frames / between 1-ms timer ticks | ${signIn.probe.longTasks.length ? ms0(Math.max(...signIn.probe.longTasks)) : 'none > 50 ms'} / ${ms0(signIn.probe.maxFrameGapMs)} / ${ms0(signIn.probe.maxTimerGapMs)} |`)
    console.log(`| \`createOffice\` (one makeCredential + 2 signed entries) | ${ms0(signIn.createOfficeMs)} |`)
    console.log('')
  }
  if (runs.length) {
    const med = (f: (r: TrustRun) => number) => median(runs.map(f))
    const ratios = runs.map((r) => r.unsigned.importMs / r.signed.importMs)
    console.log(`| import of ${N.toLocaleString('en')} quotations (${w!.changes.toLocaleString('en')} changes, ${w!.segments} segments), median of ${runs.length} | figure | goal |`)
    console.log('|---|---|---|')
    console.log(`| with the trust gate (signed: judged before merge) | ${s(med((r) => r.signed.importMs))} (runs ${runs.map((r) => s(r.signed.importMs)).join(', ')}) | |`)
    console.log(`| without a gate (same changes, nothing judged) | ${s(med((r) => r.unsigned.importMs))} (runs ${runs.map((r) => s(r.unsigned.importMs)).join(', ')}) | |`)
    console.log(`| **unsigned ÷ signed** | **${median(ratios).toFixed(2)}** (runs ${ratios.map((x) => x.toFixed(2)).join(', ')}) | ≥ 0.8 |`)
    const gateKeys = Object.keys(runs[0]!.gateMs)
    console.log(`| gate time inside the import | ${gateKeys.map((k) => `${k} ${ms0(med((r) => r.gateMs[k] ?? 0))}`).join(' · ')} | |`)
    const portKeys = [...new Set(runs.flatMap((r) => Object.keys(r.portStats)))].sort((a, b) => med((r) => r.portStats[b]?.ms ?? 0) - med((r) => r.portStats[a]?.ms ?? 0))
    console.log(`| of which gate port reads (median ms, calls) | ${portKeys.map((k) => `${k} ${ms0(med((r) => r.portStats[k]?.ms ?? 0))} (${med((r) => r.portStats[k]?.calls ?? 0)}×)`).join(' · ')} | |`)
    console.log(`| signature checks of the ${runs[0]!.verify.entries.toLocaleString('en')} audit entries | @noble ${ms0(med((r) => r.verify.nobleMs))} · WebCrypto one by one ${ms0(med((r) => r.verify.webcryptoSeqMs))} · WebCrypto all at once ${ms0(med((r) => r.verify.webcryptoParMs))} · signedBytes ${ms0(med((r) => r.verify.signedBytesMs))} · memo hash ${ms0(med((r) => r.verify.memoHashMs))} | |`)
    console.log(`| judging them again, signature verdicts memoised (CPU only) | judgeAudit ${ms0(med((r) => r.judge.judgeMs))}, of which \`DirectoryIndex.around\` ${ms0(med((r) => r.judge.aroundMs))} (${runs[0]!.judge.aroundFolds.toLocaleString('en')} folds, one per distinct \`at\`; one fold ${med((r) => r.judge.foldOnceMs).toFixed(1)} ms) · verifyObject memo hits ${ms0(med((r) => r.judge.verifyMemoHitMs))} · around() memoised by entry set ${ms0(med((r) => r.judge.aroundBySetMs))} (${runs[0]!.judge.aroundBySetFolds} folds) | |`)
    console.log(`| W: write (${w!.customers} customers, ${w!.n} quotations, ${w!.submitted} submits) / export, once | ${s(w!.writeMs)} (${(w!.writeMs / (w!.n + w!.submitted + w!.customers)).toFixed(1)} ms per write) / ${s(w!.exportMs)} | |`)
  }
  if (failed) process.exit(1)
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1) })
