/**
 * Passwords and the private key they protect. A user record carries a `Credential` so the user can
 * sign in on any PC of the office: one scrypt derivation of the (NFKC-normalised) password gives
 * 64 bytes; the first 32 are hashed into the verifier, the last 32 are the AES-256-GCM key that
 * wraps the user's 32-byte Ed25519 seed. Neither the password nor the raw key is ever stored.
 *
 * scrypt runs through `scryptAsync`, which yields to the event loop every few ms, so the window
 * stays responsive during the ~0.5 s a sign-in costs. AES-GCM goes through WebCrypto.
 */
import { scryptAsync } from '@noble/hashes/scrypt.js'
import { sha256Hex } from '../identity'
import { fromBase64, toBase64 } from '../sync/keys'

/** scrypt cost of one password; stored with each credential so it can be raised later. */
export interface KdfParams { alg: 'scrypt'; N: number; r: number; p: number }

/**
 * The default: tuned so one derivation takes ~0.3–0.5 s on the office PC. Measured 2026-11-30 on
 * the build VM (2 × AMD EPYC, Node v20.20.2, load average 0.4), scryptAsync with r = 8, p = 1,
 * 64-byte output, median of 5: N = 2^14 120 ms, 2^15 231 ms, 2^16 469 ms, 2^17 943 ms.
 * 2^16 is the one inside the window (64 MiB of memory per derivation).
 */
export const DEFAULT_KDF: KdfParams = { alg: 'scrypt', N: 2 ** 16, r: 8, p: 1 }

/** A cheap cost for the demo office and tests only (a few ms). */
export const FAST_KDF: KdfParams = { alg: 'scrypt', N: 2 ** 10, r: 8, p: 1 }

/** What a user record carries so they can sign in on any PC: never the password, never the raw key. */
export interface Credential {
  kdf: KdfParams
  /** base64, 16 random bytes */
  salt: string
  /** hex SHA-256 of the first 32 bytes of scrypt output (the slow salted hash) */
  verifier: string
  /** base64 of iv(12) + AES-256-GCM(ciphertext of the 32-byte Ed25519 private seed), key = last 32 bytes of scrypt output */
  wrapped: string
}

const SEED_BYTES = 32
const SALT_BYTES = 16
const IV_BYTES = 12
const TAG_BYTES = 16
/**
 * Largest scrypt memory we agree to spend (128·r·(N+p+1) bytes). Credentials arrive from other
 * PCs through the shared folder, so a damaged or hostile record must not be able to make a sign-in
 * allocate gigabytes; 512 MiB leaves room to raise the default to N = 2^18 (256 MiB) later.
 */
const MAX_MEM = 512 * 1024 * 1024

function scryptMem(kdf: KdfParams): number {
  return 128 * kdf.r * (kdf.N + kdf.p + 1)
}

/** Throws when the parameters are not ones this code will run (unknown algorithm, absurd cost). */
function checkKdf(kdf: KdfParams): void {
  const ok = kdf.alg === 'scrypt'
    && Number.isSafeInteger(kdf.N) && kdf.N >= 2 && (kdf.N & (kdf.N - 1)) === 0
    && Number.isSafeInteger(kdf.r) && kdf.r >= 1 && kdf.r <= 32
    && Number.isSafeInteger(kdf.p) && kdf.p >= 1 && kdf.p <= 16
    && scryptMem(kdf) <= MAX_MEM
  if (!ok) throw new Error(`unsupported password KDF parameters: ${JSON.stringify(kdf)}`)
}

/** The 64 scrypt bytes of a password: [0, 32) for the verifier, [32, 64) for the wrapping key. */
async function derive(password: string, salt: Uint8Array, kdf: KdfParams): Promise<Uint8Array> {
  checkKdf(kdf)
  // NFKC: the same password typed with a full-width IME (ｈｅｎｇｔａｉ２０２６) or composed
  // differently on another PC must give the same bytes.
  const bytes = new TextEncoder().encode(password.normalize('NFKC'))
  return scryptAsync(bytes, salt, { N: kdf.N, r: kdf.r, p: kdf.p, dkLen: 64, maxmem: scryptMem(kdf) })
}

async function aesKey(raw: Uint8Array, usage: 'encrypt' | 'decrypt'): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, { name: 'AES-GCM' }, false, [usage])
}

/** Equality of two strings in time that depends only on their length (the verifier is always 64 hex). */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

/** Derives the verifier and wraps `seed` (32 bytes) under `password`. */
export async function makeCredential(password: string, seed: Uint8Array, kdf: KdfParams = DEFAULT_KDF, fixed?: { salt: Uint8Array; iv: Uint8Array }): Promise<Credential> {
  if (seed.length !== SEED_BYTES) throw new Error(`the private seed must be ${SEED_BYTES} bytes, got ${seed.length}`)
  // `fixed` only for the demo office, whose records must be byte-identical on every PC.
  const salt = fixed?.salt ?? crypto.getRandomValues(new Uint8Array(SALT_BYTES))
  const out = await derive(password, salt, kdf)
  try {
    const verifier = await sha256Hex(out.subarray(0, 32))
    const key = await aesKey(out.subarray(32, 64), 'encrypt')
    const iv = (fixed?.iv ? new Uint8Array(fixed.iv) : crypto.getRandomValues(new Uint8Array(IV_BYTES))) as Uint8Array<ArrayBuffer>
    const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, seed as Uint8Array<ArrayBuffer>))
    const wrapped = new Uint8Array(IV_BYTES + ct.length)
    wrapped.set(iv, 0)
    wrapped.set(ct, IV_BYTES)
    return { kdf: { alg: kdf.alg, N: kdf.N, r: kdf.r, p: kdf.p }, salt: toBase64(salt), verifier, wrapped: toBase64(wrapped) }
  } finally {
    out.fill(0)
  }
}

/**
 * The 32-byte seed when `password` is right; null when it is wrong (verifier mismatch or AES-GCM
 * failure) or the record's salt or wrapped key is damaged. Throws only for KDF parameters this
 * code refuses to run (see `checkKdf`): that is a damaged record, not a wrong password.
 */
export async function openCredential(password: string, cred: Credential): Promise<Uint8Array | null> {
  let salt: Uint8Array, wrapped: Uint8Array
  try {
    salt = fromBase64(cred.salt)
    wrapped = fromBase64(cred.wrapped)
  } catch {
    return null
  }
  if (salt.length === 0 || wrapped.length !== IV_BYTES + SEED_BYTES + TAG_BYTES) return null
  const out = await derive(password, salt, cred.kdf)
  try {
    if (!sameText(await sha256Hex(out.subarray(0, 32)), cred.verifier)) return null
    const key = await aesKey(out.subarray(32, 64), 'decrypt')
    const seed = new Uint8Array(await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: wrapped.slice(0, IV_BYTES) }, key, wrapped.slice(IV_BYTES)))
    return seed.length === SEED_BYTES ? seed : null
  } catch {
    return null // AES-GCM authentication failed: the wrapped key was altered
  } finally {
    out.fill(0)
  }
}

/** Password rules for the clerk, zh-CN message or null when acceptable: at least 6 characters, not all the same character. */
export function passwordProblem(password: string): { zh: string; en: string } | null {
  const chars = [...password.normalize('NFKC')]
  if (chars.length < 6) return { zh: '密码至少需要 6 个字符', en: 'The password needs at least 6 characters' }
  if (chars.every((c) => c === chars[0])) return { zh: '密码不能全部是同一个字符', en: 'The password cannot be one character repeated' }
  return null
}
