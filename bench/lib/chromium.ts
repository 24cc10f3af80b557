/**
 * Shared helpers for benchmarks that run in Debian's Chromium (harness.md): a Vite dev server that
 * serves the renderer's source modules by URL, a persistent (on-disk) Chromium profile launched
 * with the same flags as playwright.config.ts, a blank page on the server's origin, the machine
 * description written next to every figure, and median/p90.
 *
 * Never `playwright install`: the browser is /usr/bin/chromium (or CHROMIUM_PATH).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type BrowserContext, type Page } from '@playwright/test'
import { createServer, type ViteDevServer } from 'vite'

/** The repository root (bench/lib/ → ../..). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url))

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** The flags of playwright.config.ts (harness.md: as root, no sandbox; no GPU, no network extras). */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
]

/** A running Vite dev server and how to stop it. */
export interface DevServer { url: string; close: () => Promise<void> }

/**
 * Starts Vite's dev server on the project's vite.config.ts (root `renderer/`, aliases @core,
 * @forms, @app) at a fixed port, so source modules can be imported in the page by URL
 * (`/src/data/index.ts`, or `/@fs/<abs path>` for files outside the root such as bench/lib).
 * `optimizeDeps` are the bare packages the benchmark's modules import: pre-bundled before the
 * first request, so the page never meets Vite's "new dependency found, reload" step.
 */
export async function startVite(port: number, optimize: string[] = []): Promise<DevServer> {
  const server: ViteDevServer = await createServer({
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    clearScreen: false,
    server: { port, strictPort: true, host: '127.0.0.1', hmr: false, fs: { allow: [ROOT] } },
    optimizeDeps: { include: optimize, noDiscovery: false },
  })
  await server.listen()
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() }
}

/** A Chromium profile directory on disk (IndexedDB lives there) and its cleanup. */
export interface Profile { dir: string; remove: () => void }

/** A fresh temporary profile directory. */
export function tempProfile(prefix = 'md-bench-'): Profile {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Launches headless Chromium on a persistent (on-disk) profile, as an app restart would reopen it. */
export async function launchProfile(dir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  })
}

/**
 * Opens a blank page on the dev server's origin (same IndexedDB origin as the app would have on
 * that port). The page is answered by a route, so the app itself is not booted and nothing is
 * added to the app for the benchmark.
 */
export async function blankPage(context: BrowserContext, origin: string): Promise<Page> {
  const url = `${origin}/__bench__.html`
  await context.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: '<!doctype html><meta charset="utf-8"><title>bench</title>' }))
  const page = context.pages()[0] ?? (await context.newPage())
  page.on('pageerror', (e) => console.error('[page error]', e.message))
  await page.goto(url)
  return page
}

/** The `/@fs/` URL under which Vite serves a file of this repository. */
export function fsUrl(relFromRoot: string): string {
  return `/@fs${join(ROOT, relFromRoot)}`
}

/** What a figure was measured on: cores, CPU model, memory, Chromium and Node versions. */
export interface Machine { nproc: number; cpu: string; memGiB: number; chromium: string; node: string; date: string }

/** Describes this machine (the line written with every figure in docs/performance.md). */
export function machine(browserVersion?: string): Machine {
  let nproc = cpus().length
  try { nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim()) || nproc } catch { /* keep os.cpus() */ }
  let cpu = cpus()[0]?.model ?? 'unknown'
  try { cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu } catch { /* not Linux */ }
  let chromiumVersion = browserVersion ?? ''
  if (!chromiumVersion) {
    try { chromiumVersion = execFileSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() } catch { chromiumVersion = 'unknown' }
  }
  return {
    nproc, cpu, memGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10, chromium: chromiumVersion,
    node: process.version, date: new Date().toISOString().slice(0, 10),
  }
}

/** One line for the docs: `2026-11-27 · 2 × AMD EPYC · 23 GiB · Chromium 156… · Node v20…`. */
export function machineLine(m: Machine): string {
  return `${m.date} · ${m.nproc} × ${m.cpu} · ${m.memGiB} GiB RAM · Chromium ${m.chromium} (headless) · Node ${m.node}`
}

/** The value below which `q` of the sorted samples fall (nearest rank). */
export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b)
  if (s.length === 0) return NaN
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/**
 * An expression that awaits `call` in the page and returns its result, or `{ __error }` with the
 * error's name, message and stack (a thrown error would lose them crossing page.evaluate).
 */
export const inPage = (call: string) => `(async () => { try { return await ${call} } catch (e) { return { __error: String(e && e.name) + ': ' + String(e && e.message) + '\\n' + String(e && e.stack) } } })()`

/** The value an inPage() call returned; throws the page's error. */
export function checked<T>(v: unknown): T {
  const err = (v as { __error?: string } | null)?.__error
  if (err) throw new Error(`in page: ${err}`)
  return v as T
}

/** Resident memory (bytes) of every process whose command line names the profile directory. */
export function chromiumRss(profileDir: string): number {
  try {
    const out = execFileSync('ps', ['-eo', 'rss=,args='], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 })
    let kb = 0
    for (const line of out.split('\n')) if (line.includes(profileDir)) kb += Number(line.trim().split(/\s+/, 1)[0]) || 0
    return kb * 1024
  } catch {
    return 0
  }
}
