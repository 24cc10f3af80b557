import { describe, expect, it } from 'vitest'
import { sha256Hex } from '../identity'
import { blobFileName, createKdf, decryptFile, encryptFile, isEncrypted, openKdf, type VaultKdf } from './cipher'
import { fromBase64, toBase64 } from './keys'

const text = (s: string) => new TextEncoder().encode(s)
const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('')
const ivOf = (file: Uint8Array) => hex(file.slice(6, 18))
const magicOf = (file: Uint8Array) => new TextDecoder().decode(file.slice(0, 6))

/** What the app wrote before issue 7: PBKDF2 → AES key, IV = sha256(plaintext)[0..12], MDENC1. */
async function legacyVault(passphrase: string, iterations: number) {
  const salt = crypto.getRandomValues(new Uint8Array(16))
  const base = await crypto.subtle.importKey('raw', text(passphrase), 'PBKDF2', false, ['deriveKey'])
  const key = await crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
  const encrypt = async (plain: Uint8Array) => {
    const iv = new Uint8Array(await crypto.subtle.digest('SHA-256', plain as Uint8Array<ArrayBuffer>)).slice(0, 12)
    const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, plain as Uint8Array<ArrayBuffer>))
    return new Uint8Array([...text('MDENC1'), ...iv, ...ct])
  }
  const decrypt = async (file: Uint8Array) => new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: file.slice(6, 18) }, key, file.slice(18)))
  const kdf: VaultKdf = { alg: 'PBKDF2-SHA256', iterations, salt: toBase64(salt), check: toBase64(await encrypt(text('MarketDesk vault key check'))) }
  return { kdf, encrypt, decrypt }
}

describe('cipher (issue 7: keyed IV, keyed blob names)', () => {
  it('the IV cannot be predicted from the plaintext alone: not its SHA-256, and different under another passphrase', async () => {
    const plain = text('报价单 BJ2611-A1-0003 含税单价 2380.00')
    const one = await createKdf('恒泰办公室2026', 1000)
    const two = await createKdf('另一个办公室口令', 1000)
    const a = await encryptFile(one.cipher, plain)
    const b = await encryptFile(two.cipher, plain)
    const sha12 = (await sha256Hex(plain)).slice(0, 24)
    expect(ivOf(a)).not.toBe(sha12)
    expect(ivOf(b)).not.toBe(sha12)
    expect(ivOf(a)).not.toBe(ivOf(b))
    // Different plaintexts under different passphrases: nothing in common either.
    const c = await encryptFile(two.cipher, text('另一份文件'))
    expect(ivOf(c)).not.toBe(ivOf(a))
    expect(ivOf(c)).not.toBe((await sha256Hex(text('另一份文件'))).slice(0, 24))
  })

  it('the same file always encrypts to the same bytes under one vault key (fault 23), and decrypts back', async () => {
    const { kdf, cipher } = await createKdf('恒泰办公室2026', 1000)
    const plain = text('segment bytes '.repeat(100))
    const a = await encryptFile(cipher, plain)
    expect(await encryptFile(cipher, plain)).toEqual(a)
    // Another PC of the office derives the same keys from vault.json and the passphrase.
    const other = await openKdf(kdf, '恒泰办公室2026')
    expect(await encryptFile(other!, plain)).toEqual(a)
    expect(await decryptFile(other!, a)).toEqual(plain)
    expect(await openKdf(kdf, '恒泰办公室2025')).toBeNull()
  })

  it('new vaults write MDENC2 (header bound into the tag); a changed header or byte is refused', async () => {
    const { kdf, cipher } = await createKdf('恒泰办公室2026', 1000)
    expect(kdf.format).toBe(2)
    expect(magicOf(fromBase64(kdf.check))).toBe('MDENC2')
    const file = await encryptFile(cipher, text('hello'))
    expect(magicOf(file)).toBe('MDENC2')
    expect(isEncrypted(file)).toBe(true)
    const relabelled = file.slice()
    relabelled.set(text('MDENC1'), 0)
    expect(isEncrypted(relabelled)).toBe(true)
    expect(await decryptFile(cipher, relabelled)).toBeNull()
    const flipped = file.slice()
    flipped[20] = (flipped[20] as number) ^ 1
    expect(await decryptFile(cipher, flipped)).toBeNull()
  })

  it('keeps reading a vault made before issue 7 (MDENC1), and what it writes there older apps still read', async () => {
    const legacy = await legacyVault('春江水暖鸭先知', 1000)
    const old = await legacy.encrypt(text('an old segment'))
    const cipher = await openKdf(legacy.kdf, '春江水暖鸭先知')
    expect(cipher?.format).toBe(1)
    expect(await openKdf(legacy.kdf, '秋风')).toBeNull()
    expect(new TextDecoder().decode((await decryptFile(cipher!, old))!)).toBe('an old segment')
    const plain = text('a new segment')
    const written = await encryptFile(cipher!, plain)
    expect(magicOf(written)).toBe('MDENC1')
    expect(ivOf(written)).not.toBe((await sha256Hex(plain)).slice(0, 24))
    expect(new TextDecoder().decode(await legacy.decrypt(written))).toBe('a new segment')
    // Blob names stay the plaintext hash there: older apps look blobs up by that name.
    const hash = await sha256Hex(plain)
    expect(await blobFileName(cipher!, hash)).toBe(hash)
  })

  it('blob names: keyed in a new encrypted vault (not the sha256, not the same in another office), the hash itself otherwise', async () => {
    const hash = await sha256Hex(text('%PDF-1.7 signed scan'))
    const one = await createKdf('恒泰办公室2026', 1000)
    const two = await createKdf('另一个办公室口令', 1000)
    const n1 = await blobFileName(one.cipher, hash)
    expect(n1).toMatch(/^[0-9a-f]{64}$/)
    expect(n1).not.toBe(hash)
    expect(await blobFileName(one.cipher, hash)).toBe(n1)
    expect(await blobFileName((await openKdf(one.kdf, '恒泰办公室2026'))!, hash)).toBe(n1)
    expect(await blobFileName(two.cipher, hash)).not.toBe(n1)
    expect(await blobFileName(undefined, hash)).toBe(hash)
  })
})
