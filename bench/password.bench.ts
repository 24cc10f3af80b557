/**
 * Sign-in cost: the password KDF of renderer/core/trust/password.ts, the same code the sign-in
 * screen runs. Run: npx tsx bench/password.bench.ts   (about 25 s)
 * - makeCredential and openCredential (right and wrong password) with DEFAULT_KDF, median of 5
 * - the longest the event loop was blocked during one openCredential (scryptAsync yields every
 *   ~10 ms; a long block would freeze the window while the clerk waits)
 * - the N sweep DEFAULT_KDF was chosen from: makeCredential with N = 2^14 … 2^17, r = 8, p = 1
 * Target: one derivation 0.3–0.5 s on the office PC. Wall times on a shared machine follow its
 * load, printed with the table.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { performance } from 'node:perf_hooks'
import { DEFAULT_KDF, makeCredential, openCredential, type KdfParams } from '../renderer/core/trust/password'

const RUNS = 5
const PASSWORD = 'hengtai2026'

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/** Wall time of `f`. */
async function timed(f: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now()
  await f()
  return performance.now() - t0
}

/** The longest gap between 1-ms timer ticks while `f` ran (separate runs: the timer costs a little). */
async function longestBlock(f: () => Promise<unknown>): Promise<number> {
  let last = performance.now(), maxBlockMs = 0
  const tick = setInterval(() => {
    const now = performance.now()
    maxBlockMs = Math.max(maxBlockMs, now - last)
    last = now
  }, 1)
  await f()
  clearInterval(tick)
  return Math.max(maxBlockMs, performance.now() - last)
}

function machine(): string {
  let nproc = cpus().length
  try { nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim()) || nproc } catch { /* keep os.cpus() */ }
  let cpu = cpus()[0]?.model ?? 'unknown'
  try { cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu } catch { /* not Linux */ }
  return `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ${nproc} × ${cpu} · ${(totalmem() / 2 ** 30).toFixed(1)} GiB · Node ${process.version}`
}

const fmt = (ms: number): string => `${ms.toFixed(0)} ms`
const runs = (xs: number[]): string => xs.map((x) => x.toFixed(0)).join(', ')

async function main(): Promise<void> {
  const seed = crypto.getRandomValues(new Uint8Array(32))
  const loadBefore = loadavg().map((x) => x.toFixed(1)).join(' ')
  await makeCredential(PASSWORD, seed, { ...DEFAULT_KDF, N: 2 ** 10 }) // load the modules, warm the JIT

  const make: number[] = [], open: number[] = [], wrong: number[] = [], blocks: number[] = []
  let cred = await makeCredential(PASSWORD, seed)
  for (let i = 0; i < RUNS; i++) {
    make.push(await timed(async () => { cred = await makeCredential(PASSWORD, seed) }))
    let opened: Uint8Array | null = null
    open.push(await timed(async () => { opened = await openCredential(PASSWORD, cred) }))
    if (!opened) throw new Error('openCredential failed with the right password')
    let refused: Uint8Array | null = seed
    wrong.push(await timed(async () => { refused = await openCredential(PASSWORD + 'x', cred) }))
    if (refused !== null) throw new Error('openCredential accepted a wrong password')
  }
  for (let i = 0; i < RUNS; i++) blocks.push(await longestBlock(() => openCredential(PASSWORD, cred)))

  const sweep: Array<{ kdf: KdfParams; times: number[] }> = []
  for (const log of [14, 15, 16, 17]) {
    const kdf: KdfParams = { alg: 'scrypt', N: 2 ** log, r: 8, p: 1 }
    const times: number[] = []
    for (let i = 0; i < RUNS; i++) times.push(await timed(() => makeCredential(PASSWORD, seed, kdf)))
    sweep.push({ kdf, times })
  }
  const loadAfter = loadavg().map((x) => x.toFixed(1)).join(' ')

  const d = DEFAULT_KDF
  console.log(`Password KDF — ${machine()} · load average ${loadBefore} → ${loadAfter}`)
  console.log(`DEFAULT_KDF: scrypt N = 2^${Math.log2(d.N)}, r = ${d.r}, p = ${d.p} (${(128 * d.r * d.N) / 2 ** 20} MiB per derivation); median of ${RUNS}`)
  console.log('| measure | median | runs | target |')
  console.log('|---|---:|---|---|')
  const target = (ms: number): string => (ms >= 300 && ms <= 500 ? 'ok (0.3–0.5 s)' : ms < 300 ? 'under 0.3 s' : 'OVER 0.5 s')
  console.log(`| makeCredential (set a password) | ${fmt(median(make))} | ${runs(make)} | ${target(median(make))} |`)
  console.log(`| openCredential, right password (sign in) | ${fmt(median(open))} | ${runs(open)} | ${target(median(open))} |`)
  console.log(`| openCredential, wrong password | ${fmt(median(wrong))} | ${runs(wrong)} | — |`)
  console.log(`| longest event-loop block during a sign-in | ${fmt(median(blocks))} | ${runs(blocks)} | — |`)
  console.log('')
  console.log('| N (r = 8, p = 1) | memory | makeCredential median | runs |')
  console.log('|---|---:|---:|---|')
  for (const s of sweep) {
    console.log(`| 2^${Math.log2(s.kdf.N)}${s.kdf.N === d.N ? ' (default)' : ''} | ${(128 * s.kdf.r * s.kdf.N) / 2 ** 20} MiB | ${fmt(median(s.times))} | ${runs(s.times)} |`)
  }
}

main().then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1) })
