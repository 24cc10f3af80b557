/**
 * User signatures (Ed25519 through @noble/curves): synchronous, so a write can sign its audit entry
 * inside its IndexedDB transaction (an await on WebCrypto there would commit the transaction early).
 * Every signed thing is its canonical JSON without `sig`, behind a domain tag, so an audit entry's
 * signature can never be replayed as a directory entry's.
 */
import { ed25519 } from '@noble/curves/ed25519.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { canonicalJson } from '../identity'
import { fromBase64, toBase64 } from '../sync/keys'

/** What a signature covers: `audit` entries and `directory` entries. */
export type SignedKind = 'audit' | 'directory'

/** A user's key pair: the 32-byte private seed (kept wrapped at rest) and the base64 public key. */
export interface UserKeys { seed: Uint8Array; publicKey: string }

/** A new random key pair, or the pair of a given seed (the demo office uses fixed seeds). */
export function userKeys(seed: Uint8Array = ed25519.utils.randomSecretKey()): UserKeys {
  return { seed, publicKey: toBase64(ed25519.getPublicKey(seed)) }
}

/** The bytes a signature covers: the domain tag, then the canonical JSON of the object less `sig`. */
export function signedBytes(kind: SignedKind, obj: object): Uint8Array {
  const { sig: _sig, ...rest } = obj as Record<string, unknown>
  return new TextEncoder().encode(`marketdesk-${kind}-v1\n${canonicalJson(rest)}`)
}

/** Signs `obj` (without its `sig`) with the user's seed; returns the base64 signature. */
export function signObject(kind: SignedKind, obj: object, seed: Uint8Array): string {
  return toBase64(ed25519.sign(signedBytes(kind, obj), seed))
}

const verified = new Map<string, boolean>()

/** Verifies `obj.sig` against a base64 public key; false (never a throw) for malformed input. Memoised. */
export function verifyObject(kind: SignedKind, obj: { sig?: unknown }, publicKey: string | undefined): boolean {
  if (typeof obj.sig !== 'string' || typeof publicKey !== 'string') return false
  const bytes = signedBytes(kind, obj)
  const memo = `${publicKey}|${obj.sig}|${hashHex(bytes)}`
  const hit = verified.get(memo)
  if (hit !== undefined) return hit
  let ok = false
  try {
    const pub = fromBase64(publicKey), sig = fromBase64(obj.sig)
    ok = pub.length === 32 && sig.length === 64 && ed25519.verify(sig, bytes, pub)
  } catch { ok = false }
  if (verified.size > 50_000) verified.clear()
  verified.set(memo, ok)
  return ok
}

const importedKeys = new Map<string, Promise<CryptoKey | null>>()

function webKey(publicKey: string): Promise<CryptoKey | null> {
  let k = importedKeys.get(publicKey)
  if (!k) {
    k = (async () => {
      try {
        const raw = fromBase64(publicKey)
        return raw.length === 32 ? await crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, ['verify']) : null
      } catch { return null }
    })()
    if (importedKeys.size > 5_000) importedKeys.clear()
    importedKeys.set(publicKey, k)
  }
  return k
}

/**
 * Verifies many signatures at once through WebCrypto (native Ed25519, far faster than the
 * synchronous path) and remembers the results, so the `verifyObject` calls that follow (inside the
 * pure checks) are answered from memory. Used by the sync gate before it judges a file's entries.
 */
export async function preverify(kind: SignedKind, items: Array<{ obj: { sig?: unknown }; publicKey: string | undefined }>): Promise<void> {
  await Promise.all(items.map(async ({ obj, publicKey }) => {
    if (typeof obj.sig !== 'string' || typeof publicKey !== 'string') return
    const bytes = signedBytes(kind, obj)
    const memo = `${publicKey}|${obj.sig}|${hashHex(bytes)}`
    if (verified.has(memo)) return
    const key = await webKey(publicKey)
    let ok = false
    try {
      const sig = fromBase64(obj.sig)
      ok = !!key && sig.length === 64 && (await crypto.subtle.verify({ name: 'Ed25519' }, key, sig as Uint8Array<ArrayBuffer>, bytes as Uint8Array<ArrayBuffer>))
    } catch { ok = false }
    if (verified.size > 50_000) verified.clear()
    verified.set(memo, ok)
  }))
}

/** SHA-256 hex of bytes, synchronously (the audit chain links entries inside a write transaction). */
export function hashHex(bytes: Uint8Array): string {
  return Array.from(sha256(bytes), (b) => b.toString(16).padStart(2, '0')).join('')
}

/** The chain hash of a signed object: SHA-256 of its canonical JSON including the signature. */
export function chainHash(obj: object): string {
  return hashHex(new TextEncoder().encode(canonicalJson(obj)))
}
