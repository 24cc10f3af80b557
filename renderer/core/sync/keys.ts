/**
 * Keys and signatures (sync.md "Trust"): each PC has an Ed25519 key pair through WebCrypto;
 * the public key travels as 32 raw bytes (base64) and is shown to people as a fingerprint.
 */
import { sha256Hex } from '../identity'

/** This PC's identity for signing its files. */
export interface SyncKeys { pc: string; publicKey: CryptoKey; privateKey: CryptoKey; publicRaw: Uint8Array }

const ED = { name: 'Ed25519' } as const

/** Creates a new key pair for a PC (the private key stays extractable so the app can persist it as JWK). */
export async function generateKeys(pc: string): Promise<SyncKeys> {
  const pair = (await crypto.subtle.generateKey(ED, true, ['sign', 'verify'])) as CryptoKeyPair
  const publicRaw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey))
  return { pc, publicKey: pair.publicKey, privateKey: pair.privateKey, publicRaw }
}

/** Imports a peer's 32-byte raw public key. */
export async function importPublicKey(raw: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, ED, true, ['verify'])
}

/** Ed25519 signature (64 bytes). */
export async function sign(keys: SyncKeys, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign(ED, keys.privateKey, data as Uint8Array<ArrayBuffer>))
}

/** Verifies an Ed25519 signature; false (never a throw) for malformed input. */
export async function verify(publicKey: CryptoKey, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
  try {
    return await crypto.subtle.verify(ED, publicKey, signature as Uint8Array<ArrayBuffer>, data as Uint8Array<ArrayBuffer>)
  } catch {
    return false
  }
}

/** What a person compares on two screens before approving a PC: 16 hex digits in groups of 4. */
export async function fingerprint(publicRaw: Uint8Array): Promise<string> {
  const hex = (await sha256Hex(publicRaw)).slice(0, 16).toUpperCase()
  return hex.match(/.{4}/g)!.join('-')
}

/** Base64 without any platform dependency (core has no Buffer, no btoa guarantee in workers). */
export function toBase64(bytes: Uint8Array): string {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  let out = ''
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0, b = bytes[i + 1] ?? 0, c = bytes[i + 2] ?? 0
    const n = (a << 16) | (b << 8) | c
    out += abc[(n >> 18) & 63]! + abc[(n >> 12) & 63]!
    out += i + 1 < bytes.length ? abc[(n >> 6) & 63]! : '='
    out += i + 2 < bytes.length ? abc[n & 63]! : '='
  }
  return out
}

/** Inverse of `toBase64`; throws on characters outside the alphabet. */
export function fromBase64(text: string): Uint8Array {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  const clean = text.replace(/=+$/, '')
  const out: number[] = []
  let buf = 0, bits = 0
  for (const ch of clean) {
    const v = abc.indexOf(ch)
    if (v < 0) throw new Error('bad base64')
    buf = (buf << 6) | v
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out.push((buf >> bits) & 0xff)
    }
  }
  return new Uint8Array(out)
}
