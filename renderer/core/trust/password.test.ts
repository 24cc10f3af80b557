import { describe, expect, it } from 'vitest'
import { fromBase64, toBase64 } from '../sync/keys'
import { FAST_KDF, makeCredential, openCredential, passwordProblem, type Credential } from './password'

const seedOf = (n: number): Uint8Array => Uint8Array.from({ length: 32 }, (_, i) => (i * 7 + n) & 0xff)

/** The credential with one bit of byte `at` of its base64 field flipped. */
function flipWrapped(cred: Credential, at: number): Credential {
  const bytes = fromBase64(cred.wrapped)
  bytes[at] = bytes[at]! ^ 0x01
  return { ...cred, wrapped: toBase64(bytes) }
}

describe('makeCredential / openCredential', () => {
  it('gives back the same seed for the right password, and stores neither password nor seed', async () => {
    const seed = seedOf(1)
    const cred = await makeCredential('hengtai2026', seed, FAST_KDF)
    expect(cred.kdf).toEqual(FAST_KDF)
    expect(fromBase64(cred.salt)).toHaveLength(16)
    expect(cred.verifier).toMatch(/^[0-9a-f]{64}$/)
    expect(fromBase64(cred.wrapped)).toHaveLength(12 + 32 + 16)
    expect(JSON.stringify(cred)).not.toContain('hengtai2026')

    expect(await openCredential('hengtai2026', cred)).toEqual(seed)
  })

  it('gives null for a wrong password', async () => {
    const cred = await makeCredential('hengtai2026', seedOf(2), FAST_KDF)
    expect(await openCredential('hengtai2025', cred)).toBeNull()
    expect(await openCredential('', cred)).toBeNull()
    expect(await openCredential('Hengtai2026', cred)).toBeNull()
  })

  it('gives null when the verifier was altered', async () => {
    const cred = await makeCredential('hengtai2026', seedOf(3), FAST_KDF)
    const last = cred.verifier.at(-1)!
    const verifier = cred.verifier.slice(0, -1) + (last === '0' ? '1' : '0')
    expect(await openCredential('hengtai2026', { ...cred, verifier })).toBeNull()
  })

  it('gives null when any part of the wrapped key was altered (iv, ciphertext, tag)', async () => {
    const cred = await makeCredential('hengtai2026', seedOf(4), FAST_KDF)
    for (const at of [0, 11, 12, 30, 43, 44, 59]) {
      expect(await openCredential('hengtai2026', flipWrapped(cred, at)), `byte ${at}`).toBeNull()
    }
  })

  it('gives null when the salt was altered or the wrapped key cut short', async () => {
    const cred = await makeCredential('hengtai2026', seedOf(5), FAST_KDF)
    const salt = fromBase64(cred.salt)
    salt[0] = salt[0]! ^ 0x80
    expect(await openCredential('hengtai2026', { ...cred, salt: toBase64(salt) })).toBeNull()
    expect(await openCredential('hengtai2026', { ...cred, wrapped: toBase64(fromBase64(cred.wrapped).slice(0, 40)) })).toBeNull()
    expect(await openCredential('hengtai2026', { ...cred, wrapped: '%%%' })).toBeNull()
  })

  it('two credentials of the same password and seed differ (fresh salt and iv)', async () => {
    const seed = seedOf(6)
    const a = await makeCredential('hengtai2026', seed, FAST_KDF)
    const b = await makeCredential('hengtai2026', seed, FAST_KDF)
    expect(a.salt).not.toBe(b.salt)
    expect(a.verifier).not.toBe(b.verifier)
    expect(a.wrapped).not.toBe(b.wrapped)
    expect(await openCredential('hengtai2026', a)).toEqual(seed)
    expect(await openCredential('hengtai2026', b)).toEqual(seed)
  })

  it('normalises with NFKC: a full-width password typed through an IME opens the same credential', async () => {
    const seed = seedOf(7)
    const cred = await makeCredential('hengtai2026', seed, FAST_KDF)
    expect(await openCredential('ｈｅｎｇｔａｉ２０２６', cred)).toEqual(seed)
  })

  it('uses the cost stored in the credential, not the caller\'s default', async () => {
    const cheaper = { alg: 'scrypt' as const, N: 2 ** 9, r: 8, p: 1 }
    const cred = await makeCredential('hengtai2026', seedOf(8), cheaper)
    expect(await openCredential('hengtai2026', cred)).toEqual(seedOf(8))
    // The same salt and wrapped key read with another N derive another key.
    expect(await openCredential('hengtai2026', { ...cred, kdf: FAST_KDF })).toBeNull()
  })

  it('refuses a seed that is not 32 bytes and KDF costs it will not run', async () => {
    await expect(makeCredential('hengtai2026', new Uint8Array(31), FAST_KDF)).rejects.toThrow(/32 bytes/)
    const cred = await makeCredential('hengtai2026', seedOf(9), FAST_KDF)
    await expect(openCredential('hengtai2026', { ...cred, kdf: { alg: 'scrypt', N: 2 ** 24, r: 8, p: 1 } })).rejects.toThrow(/unsupported/)
    await expect(openCredential('hengtai2026', { ...cred, kdf: { alg: 'scrypt', N: 1000, r: 8, p: 1 } })).rejects.toThrow(/unsupported/)
  })
})

describe('passwordProblem', () => {
  it('rejects fewer than 6 characters', () => {
    expect(passwordProblem('12345')?.zh).toBe('密码至少需要 6 个字符')
    expect(passwordProblem('')).not.toBeNull()
  })

  it('rejects one character repeated', () => {
    expect(passwordProblem('111111')?.zh).toBe('密码不能全部是同一个字符')
    expect(passwordProblem('aaaaaaaaaaaa')).not.toBeNull()
  })

  it('accepts an ordinary password, Chinese ones included', () => {
    expect(passwordProblem('hengtai2026')).toBeNull()
    expect(passwordProblem('111112')).toBeNull()
    expect(passwordProblem('恒泰塑胶公司')).toBeNull()
  })
})
