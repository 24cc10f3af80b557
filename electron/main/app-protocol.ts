/**
 * The app:// protocol: serves the built renderer (and the bundled fonts) with a strict CSP.
 * Plain Node (returns a fetch Response) so it is tested without Electron.
 */
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { resolveInside } from './paths'

export const APP_HOST = 'marketdesk'

/**
 * CSP for every app page. Differences from the bare minimum, and why:
 * - style-src 'unsafe-inline': Element Plus and Vue's transitions set inline styles.
 * - script-src 'wasm-unsafe-eval': pdf.js 5 compiles WebAssembly decoders (JPX/JBIG2 in scanned
 *   PDFs, colour profiles); this allows WebAssembly only, not eval() of JavaScript.
 * - worker-src blob:, img-src blob: data:: pdf.js / pdfmake workers and rendered page images.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self' blob: data:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ')

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.bcmap': 'application/octet-stream',
  '.pfb': 'application/octet-stream',
  '.pdf': 'application/pdf',
}

export interface AppRoots {
  /** dist/renderer */
  renderer: string
  /** Exact font file names served under /fonts/ → their absolute paths (packaged: resources/fonts). */
  fonts?: Record<string, string>
}

const headers = (type: string) => ({
  'content-type': type,
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
})

const notFound = () => new Response('Not found', { status: 404, headers: headers('text/plain; charset=utf-8') })

/** Answers one app:// request from the given roots; anything outside them is a 404. */
export async function serveApp(url: string, roots: AppRoots): Promise<Response> {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return notFound()
  }
  if (u.protocol !== 'app:' || u.host !== APP_HOST) return notFound()
  let rel: string
  try {
    rel = decodeURIComponent(u.pathname).replace(/^\/+/, '')
  } catch {
    return notFound()
  }
  const fontName = rel.startsWith('fonts/') ? rel.slice('fonts/'.length) : undefined
  // Own properties only: a name like "constructor" or one on the map's prototype is not a listed font.
  const font = fontName !== undefined && roots.fonts && Object.hasOwn(roots.fonts, fontName) ? roots.fonts[fontName] : undefined
  // Router paths without a file extension get the single page (history-mode fallback).
  if (rel === '' || !path.extname(rel)) rel = 'index.html'
  try {
    // Fonts: only the exact names listed; everything else: confined to dist/renderer.
    const abs = font ?? (await resolveInside(roots.renderer, rel))
    if (!(await stat(abs)).isFile()) return notFound()
    const body = await readFile(abs)
    return new Response(new Uint8Array(body), { status: 200, headers: headers(MIME[path.extname(abs).toLowerCase()] ?? 'application/octet-stream') })
  } catch {
    return notFound()
  }
}
