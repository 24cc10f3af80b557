/**
 * Optional office passphrase (sync.md "Trust"): the whole folder's files are wrapped in AES-GCM
 * under a key derived with PBKDF2-SHA256. Cost: 600,000 iterations (OWASP 2023 advice for
 * PBKDF2-SHA256); deriving takes roughly 0.3–1 s once per session on an office PC.
 */
import { canonicalJson } from '../identity'
import { fromBase64, toBase64 } from './keys'

/** Iterations of PBKDF2-SHA256 for new vaults. */
export const PBKDF2_ITERATIONS = 600_000

/** What vault.json says about encryption (no secret in it). */
export interface VaultKdf { alg: 'PBKDF2-SHA256'; iterations: number; salt: string; check: string }

/** A derived key, held in memory only. */
export interface VaultCipher { key: CryptoKey }

const MAGIC = 'MDENC1'
const enc = new TextEncoder()
const CHECK_TEXT = 'MarketDesk vault key check'

async function derive(passphrase: string, salt: Uint8Array, iterations: number): Promise<VaultCipher> {
  const base = await crypto.subtle.importKey('raw', enc.encode(passphrase), 'PBKDF2', false, ['deriveKey'])
  const key = await crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as Uint8Array<ArrayBuffer>, iterations },
    base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
  return { key }
}

/** Sets up encryption for a new vault; `iterations` is lowered only in tests. */
export async function createKdf(passphrase: string, iterations = PBKDF2_ITERATIONS): Promise<{ kdf: VaultKdf; cipher: VaultCipher }> {
  const salt = crypto.getRandomValues(new Uint8Array(16))
  const cipher = await derive(passphrase, salt, iterations)
  const check = toBase64(await encryptFile(cipher, enc.encode(CHECK_TEXT)))
  return { kdf: { alg: 'PBKDF2-SHA256', iterations, salt: toBase64(salt), check }, cipher }
}

/** Derives the key from a passphrase; null when it is not this vault's passphrase (fault 27). */
export async function openKdf(kdf: VaultKdf, passphrase: string): Promise<VaultCipher | null> {
  const cipher = await derive(passphrase, fromBase64(kdf.salt), kdf.iterations)
  const plain = await decryptFile(cipher, fromBase64(kdf.check))
  return plain && new TextDecoder().decode(plain) === CHECK_TEXT ? cipher : null
}

/** True when the bytes carry our encryption magic. */
export function isEncrypted(bytes: Uint8Array): boolean {
  return bytes.length >= 6 && new TextDecoder().decode(bytes.subarray(0, 6)) === MAGIC
}

/**
 * Encrypts a file. The IV is derived from the plaintext's hash (SIV-like) so that re-encrypting
 * the same segment yields the same bytes (fault 23: one sequence number, one content).
 */
export async function encryptFile(cipher: VaultCipher, plain: Uint8Array): Promise<Uint8Array> {
  const iv = new Uint8Array(await crypto.subtle.digest('SHA-256', plain as Uint8Array<ArrayBuffer>)).slice(0, 12)
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, cipher.key, plain as Uint8Array<ArrayBuffer>))
  const out = new Uint8Array(6 + 12 + ct.length)
  out.set(enc.encode(MAGIC), 0)
  out.set(iv, 6)
  out.set(ct, 18)
  return out
}

/** Decrypts a file; null when the key is wrong or the bytes were changed. */
export async function decryptFile(cipher: VaultCipher, bytes: Uint8Array): Promise<Uint8Array | null> {
  if (!isEncrypted(bytes) || bytes.length < 18 + 16) return null
  try {
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes.slice(6, 18) }, cipher.key, bytes.slice(18)))
  } catch {
    return null
  }
}

/** Canonical JSON bytes (shared by vault.json, identity and status files). */
export function jsonBytes(value: unknown): Uint8Array {
  return enc.encode(canonicalJson(value))
}
