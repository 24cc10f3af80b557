/**
 * Optional office passphrase (sync.md "Trust"): the whole folder's files are wrapped in AES-GCM
 * under a key derived with PBKDF2-SHA256. Cost: 600,000 iterations (OWASP 2023 advice for
 * PBKDF2-SHA256); deriving takes roughly 0.3–1 s once per session on an office PC.
 *
 * From PBKDF2's output HKDF-SHA256 derives one key per purpose (issue 7): the file key, an HMAC
 * key for the IV and an HMAC key for blob names. The IV is HMAC(ivKey, plaintext)[0..12], a
 * synthetic IV: the same file still encrypts to the same bytes (a crashed export republishes its
 * segment byte for byte, fault 23; two PCs storing one scan write one blob, fault 29), but nobody
 * without the passphrase can tell from an IV which known plaintext a file holds.
 *
 * Two formats, fixed per vault by `VaultKdf.format`:
 * - 2 (vaults created since issue 7): files `MDENC2 | iv(12) | AES-GCM(file, aad "MDENC2")` under
 *   the HKDF file key; blob names are HMAC(nameKey, sha256(plain)).
 * - 1 (older vaults): files `MDENC1 | iv(12) | AES-GCM(file)` under PBKDF2's output itself, which
 *   every older app derives too; blob names stay the plaintext SHA-256, because older apps look
 *   blobs up by that name. New files get the keyed IV as well (older apps read any IV).
 */
import { canonicalJson } from '../identity'
import { fromBase64, toBase64 } from './keys'

/** Iterations of PBKDF2-SHA256 for new vaults. */
export const PBKDF2_ITERATIONS = 600_000

/** An encrypted vault's format (see the file comment); absent in vault.json means 1. */
export type CipherFormat = 1 | 2

/** What vault.json says about encryption (no secret in it). */
export interface VaultKdf { alg: 'PBKDF2-SHA256'; iterations: number; salt: string; check: string; format?: 2 }

/** The derived keys, held in memory only (none can be exported). */
export interface VaultCipher {
  readonly format: CipherFormat
  /** AES-256-GCM key of the files. */
  readonly key: CryptoKey
  /** HMAC-SHA256 key of the synthetic IV. */
  readonly ivKey: CryptoKey
  /** HMAC-SHA256 key of blob file names (format 2 only). */
  readonly nameKey?: CryptoKey
}

const MAGIC: Record<CipherFormat, string> = { 1: 'MDENC1', 2: 'MDENC2' }
const enc = new TextEncoder()
const CHECK_TEXT = 'MarketDesk vault key check'
const HMAC = { name: 'HMAC', hash: 'SHA-256', length: 256 } as const
const buf = (b: Uint8Array) => b as Uint8Array<ArrayBuffer>

async function derive(passphrase: string, salt: Uint8Array, iterations: number, format: CipherFormat): Promise<VaultCipher> {
  const base = await crypto.subtle.importKey('raw', enc.encode(passphrase), 'PBKDF2', false, ['deriveBits'])
  const master = new Uint8Array(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: buf(salt), iterations }, base, 256))
  try {
    const hkdf = await crypto.subtle.importKey('raw', master, 'HKDF', false, ['deriveKey'])
    const sub = (info: string, alg: AesKeyGenParams | HmacKeyGenParams, usages: KeyUsage[]) =>
      crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: enc.encode(`MarketDesk vault ${info}`) }, hkdf, alg, false, usages)
    const ivKey = await sub('iv', HMAC, ['sign'])
    if (format === 1) {
      // The key every older app derives (PBKDF2 deriveKey of 256 bits is these same bits).
      const key = await crypto.subtle.importKey('raw', master, 'AES-GCM', false, ['encrypt', 'decrypt'])
      return { format, key, ivKey }
    }
    const key = await sub('file', { name: 'AES-GCM', length: 256 }, ['encrypt', 'decrypt'])
    const nameKey = await sub('blob name', HMAC, ['sign'])
    return { format, key, ivKey, nameKey }
  } finally {
    master.fill(0)
  }
}

/** Sets up encryption for a new vault (format 2); `iterations` is lowered only in tests. */
export async function createKdf(passphrase: string, iterations = PBKDF2_ITERATIONS): Promise<{ kdf: VaultKdf; cipher: VaultCipher }> {
  const salt = crypto.getRandomValues(new Uint8Array(16))
  const cipher = await derive(passphrase, salt, iterations, 2)
  const check = toBase64(await encryptFile(cipher, enc.encode(CHECK_TEXT)))
  return { kdf: { alg: 'PBKDF2-SHA256', iterations, salt: toBase64(salt), check, format: 2 }, cipher }
}

/** Derives the keys from a passphrase; null when it is not this vault's passphrase (fault 27). */
export async function openKdf(kdf: VaultKdf, passphrase: string): Promise<VaultCipher | null> {
  const cipher = await derive(passphrase, fromBase64(kdf.salt), kdf.iterations, kdf.format === 2 ? 2 : 1)
  const plain = await decryptFile(cipher, fromBase64(kdf.check))
  return plain && new TextDecoder().decode(plain) === CHECK_TEXT ? cipher : null
}

function magicOf(bytes: Uint8Array): CipherFormat | null {
  if (bytes.length < 6) return null
  const head = new TextDecoder().decode(bytes.subarray(0, 6))
  return head === MAGIC[1] ? 1 : head === MAGIC[2] ? 2 : null
}

/** True when the bytes carry one of our encryption magics (MDENC1 or MDENC2). */
export function isEncrypted(bytes: Uint8Array): boolean {
  return magicOf(bytes) !== null
}

async function hmac(key: CryptoKey, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, buf(data)))
}

/** AES-GCM parameters; format 2 binds the header into the tag. */
function gcm(format: CipherFormat, iv: Uint8Array): AesGcmParams {
  return format === 2 ? { name: 'AES-GCM', iv: buf(iv), additionalData: enc.encode(MAGIC[2]) } : { name: 'AES-GCM', iv: buf(iv) }
}

/**
 * Encrypts a file. The IV is HMAC(ivKey, plaintext)[0..12] (synthetic IV), so re-encrypting the
 * same file yields the same bytes (fault 23: one sequence number, one content) without the IV
 * revealing the plaintext's hash.
 */
export async function encryptFile(cipher: VaultCipher, plain: Uint8Array): Promise<Uint8Array> {
  const iv = (await hmac(cipher.ivKey, plain)).slice(0, 12)
  const ct = new Uint8Array(await crypto.subtle.encrypt(gcm(cipher.format, iv), cipher.key, buf(plain)))
  const out = new Uint8Array(6 + 12 + ct.length)
  out.set(enc.encode(MAGIC[cipher.format]), 0)
  out.set(iv, 6)
  out.set(ct, 18)
  return out
}

/** Decrypts a file of this vault's format; null when the key is wrong or the bytes were changed. */
export async function decryptFile(cipher: VaultCipher, bytes: Uint8Array): Promise<Uint8Array | null> {
  if (magicOf(bytes) !== cipher.format || bytes.length < 18 + 16) return null
  try {
    return new Uint8Array(await crypto.subtle.decrypt(gcm(cipher.format, bytes.slice(6, 18)), cipher.key, bytes.slice(18)))
  } catch {
    return null
  }
}

const HEX64 = /^[0-9a-f]{64}$/

/**
 * The file name (without `blobs/` and `.blob`) of the attachment whose bytes hash to `hash`
 * (SHA-256 hex): `hash` itself in a plain or format-1 vault; HMAC(nameKey, sha256) in hex in a
 * format-2 vault, so the share does not show which scans are a file someone already holds. The
 * attachment record keeps the plaintext hash, checked after decryption.
 */
export async function blobFileName(cipher: VaultCipher | undefined, hash: string): Promise<string> {
  if (!cipher?.nameKey || !HEX64.test(hash)) return hash
  const raw = new Uint8Array(32)
  for (let i = 0; i < 32; i++) raw[i] = parseInt(hash.slice(i * 2, i * 2 + 2), 16)
  return [...(await hmac(cipher.nameKey, raw))].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/** Canonical JSON bytes (shared by vault.json, identity and status files). */
export function jsonBytes(value: unknown): Uint8Array {
  return enc.encode(canonicalJson(value))
}
