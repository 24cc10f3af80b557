/**
 * The identity printed as a QR code on every page of a returnable form (pdf.md):
 * `MD:<number>:V<version>:P<page>/<pages>:<hash8>` in the QR alphanumeric set, ≤ 47 characters.
 * `hash8` is the first 8 hex digits (uppercase) of the SHA-256 of the printed content.
 */

/** What one printed page says about itself. */
export interface PageIdentity { number: string; version: number; page: number; pages: number; hash8: string }

const SCHEME = 'MD'
const PATTERN = /^MD:([A-Z0-9][A-Z0-9-]{2,23}):V(\d{1,4}):P(\d{1,3})\/(\d{1,3}):([0-9A-F]{8})$/

/** Encodes a page identity as the QR payload. */
export function formatIdentity(id: PageIdentity): string {
  const text = `${SCHEME}:${id.number}:V${id.version}:P${id.page}/${id.pages}:${id.hash8}`
  if (!PATTERN.test(text)) throw new Error(`identity does not fit the QR pattern: ${text}`)
  return text
}

/** Parses a QR payload; null when it is not one of ours (another system's QR, junk). */
export function parseIdentity(text: string): PageIdentity | null {
  const m = PATTERN.exec(text.trim())
  if (!m) return null
  const [, number, v, p, n, hash8] = m as unknown as [string, string, string, string, string, string]
  const page = Number(p), pages = Number(n)
  if (page < 1 || page > pages) return null
  return { number, version: Number(v), page, pages, hash8 }
}

/** Canonical JSON: object keys sorted, so equal content always hashes equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null)
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const obj = value as Record<string, unknown>
  return `{${Object.keys(obj).filter((k) => obj[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`
}

/** SHA-256 hex (lowercase) of bytes, via WebCrypto (present in Node 20 and every browser). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
}

/** The 8-hex content hash printed in the identity: of the canonical JSON of what was printed. */
export async function contentHash8(printed: unknown): Promise<string> {
  const hex = await sha256Hex(new TextEncoder().encode(canonicalJson(printed)))
  return hex.slice(0, 8).toUpperCase()
}
