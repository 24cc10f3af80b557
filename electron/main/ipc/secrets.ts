/**
 * secret:get / secret:set / secret:clear — the few secrets this PC may remember (today only the
 * office sync passphrase), kept encrypted by the operating system through Electron's
 * `safeStorage` (DPAPI on Windows, the Keychain on macOS, libsecret/KWallet on Linux) in
 * `<userData>/secrets.json`: never in IndexedDB, never in plain text on disk (issue 7).
 *
 * `safeStorage` sits behind `SafeStorageLike`, so these handlers run in plain Node with a fake.
 * Where the OS offers no protected storage — or only Linux's `basic_text` backend, which is a
 * fixed, public key — nothing is remembered: `set` answers `stored: false` and the clerk types
 * the passphrase at each start.
 */
import { mkdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { MAIN_SECRET_NAMES, SECRET_NAMES, type ChannelRequest, type MainSecretName, type Results, type SecretName } from '../../shared/ipc'
import type { HandlerDeps, SecretStore } from './deps'
import { writeWhole } from './file-ops'

/** The part of Electron's `safeStorage` used here. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean
  encryptString(plain: string): Uint8Array
  decryptString(encrypted: Buffer): string
  /** Linux only: which backend encrypts ('basic_text' means none worth the name). */
  getSelectedStorageBackend?(): string
}

type AnyName = SecretName | MainSecretName
const isName = (n: string): n is AnyName => (SECRET_NAMES as readonly string[]).includes(n) || (MAIN_SECRET_NAMES as readonly string[]).includes(n)

/** A secret store in `file` (JSON: name → base64 of the OS-encrypted bytes). */
export function createSecretStore(file: string, safe: SafeStorageLike): SecretStore {
  let chain: Promise<unknown> = Promise.resolve()
  const available = () => {
    try {
      return safe.isEncryptionAvailable() && safe.getSelectedStorageBackend?.() !== 'basic_text'
    } catch {
      return false
    }
  }
  const load = async (): Promise<Partial<Record<AnyName, string>>> => {
    try {
      const parsed: unknown = JSON.parse(await readFile(file, 'utf8'))
      const out: Partial<Record<AnyName, string>> = {}
      if (parsed && typeof parsed === 'object') {
        for (const [k, v] of Object.entries(parsed)) if (isName(k) && typeof v === 'string') out[k] = v
      }
      return out
    } catch {
      return {}
    }
  }
  // Serialised read-modify-write, written whole or not at all (writeWhole).
  const change = (edit: (all: Partial<Record<AnyName, string>>) => void) => {
    const next = chain.then(async () => {
      const all = await load()
      edit(all)
      await mkdir(path.dirname(file), { recursive: true })
      await writeWhole(file, JSON.stringify(all, null, 2), 0o600)
    })
    chain = next.catch(() => undefined)
    return next
  }
  return {
    available: async () => available(),
    async get(name) {
      await chain
      const stored = (await load())[name]
      if (stored === undefined || !available()) return null
      try {
        return safe.decryptString(Buffer.from(stored, 'base64'))
      } catch {
        // Encrypted for another Windows user or machine (a copied profile): as if never stored.
        return null
      }
    },
    async set(name, value) {
      if (!available()) return false
      const sealed = Buffer.from(safe.encryptString(value)).toString('base64')
      await change((all) => { all[name] = sealed })
      return true
    },
    async clear(name) {
      let had = false
      await change((all) => {
        had = all[name] !== undefined
        delete all[name]
      })
      return had
    },
  }
}

/**
 * A stand-in for `safeStorage` in Node tests and the Playwright bridge: reversible, but what it
 * writes is not the plain text (a marker plus the bytes XOR 0x5a), so a test can tell that the file
 * never holds the secret as typed.
 */
export function fakeSafeStorage(opts: { available?: boolean; backend?: string } = {}): SafeStorageLike {
  const MARK = 'FAKE-OS-SEALED:'
  const flip = (b: Uint8Array) => b.map((x) => x ^ 0x5a)
  return {
    isEncryptionAvailable: () => opts.available ?? true,
    encryptString: (plain) => new Uint8Array([...Buffer.from(MARK), ...flip(Buffer.from(plain, 'utf8'))]),
    decryptString: (encrypted) => {
      const mark = Buffer.from(MARK)
      if (!encrypted.subarray(0, mark.length).equals(mark)) throw new Error('not sealed here')
      return Buffer.from(flip(encrypted.subarray(mark.length))).toString('utf8')
    },
    ...(opts.backend ? { getSelectedStorageBackend: () => opts.backend as string } : {}),
  }
}

export async function secretGet(deps: HandlerDeps, req: ChannelRequest<'secret:get'>): Promise<Results['secret:get']> {
  if (!deps.secrets) return { value: null, available: false }
  const available = await deps.secrets.available()
  return { value: available ? await deps.secrets.get(req.name) : null, available }
}

export async function secretSet(deps: HandlerDeps, req: ChannelRequest<'secret:set'>): Promise<Results['secret:set']> {
  return { stored: deps.secrets ? await deps.secrets.set(req.name, req.value) : false }
}

export async function secretClear(deps: HandlerDeps, req: ChannelRequest<'secret:clear'>): Promise<Results['secret:clear']> {
  return { cleared: deps.secrets ? await deps.secrets.clear(req.name) : false }
}
