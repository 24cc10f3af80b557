/**
 * This PC's sync identity: an id and an Ed25519 key pair, made once and kept in IndexedDB. It
 * lives in its OWN small database (`marketdesk-identity`), so wiping or rebuilding the business
 * database keeps the identity (sync.md fault 24: the PC rebuilds from a snapshot and publishes no
 * deletions under a new name). The private key is generated NON-extractable: WebCrypto keys are
 * structured-cloneable, so IndexedDB stores the key object itself and no script can read its bytes.
 *
 * The office passphrase, when the clerk lets this PC remember it, is NOT kept here: it goes to the
 * main process, which seals it with the operating system (Electron `safeStorage`, `secret:*`
 * channels). In a plain browser nothing is remembered (issue 7).
 */
import Dexie, { type Table } from 'dexie'
import type { DeskApi } from '@shared/ipc'
import { PC_ID } from '@core/sync/names'
import type { SyncKeys } from '@core/sync/keys'

/** The identity database's name (beside the business database `marketdesk`). */
export const IDENTITY_DB = 'marketdesk-identity'

interface IdentityRow { key: string; value: unknown }

/** The row where versions before issue 7 kept the passphrase in plain text (read only to move it). */
const LEGACY_PASSPHRASE = 'passphrase'

interface StoredKeys { pc: string; publicKey: CryptoKey; privateKey: CryptoKey; publicRaw: Uint8Array }

class IdentityDb extends Dexie {
  identity!: Table<IdentityRow, string>
  constructor(name: string, deps: { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange }) {
    super(name, deps.indexedDB && deps.IDBKeyRange ? { indexedDB: deps.indexedDB, IDBKeyRange: deps.IDBKeyRange } : undefined)
    this.version(1).stores({ identity: 'key' })
  }
}

export interface IdentityOptions {
  name?: string
  indexedDB?: IDBFactory
  IDBKeyRange?: typeof IDBKeyRange
  /** Readable start of a new PC id (this PC's number code, e.g. `A7`); a random tail follows. */
  hint?: string
  /**
   * Where a remembered passphrase is kept; defaults to `window.desk`'s OS-sealed store, and to
   * none (nothing remembered) where there is no `window.desk`. Tests pass a fake or `null`.
   */
  secrets?: PassphraseSecrets | null
}

/** The remembered office passphrase, kept outside IndexedDB (sealed by the OS in the app). */
export interface PassphraseSecrets {
  get(): Promise<string | undefined>
  /** False when it could not be remembered (no protected storage on this PC). */
  set(passphrase: string): Promise<boolean>
  clear(): Promise<void>
}

/** The part of `window.desk` that holds secrets. */
export type SecretApi = Pick<DeskApi, 'secretGet' | 'secretSet' | 'secretClear'>

/** The passphrase in the main process's OS-sealed store; null without `window.desk` (plain browser). */
export function deskPassphraseSecrets(desk: SecretApi | undefined = typeof window === 'undefined' ? undefined : window.desk): PassphraseSecrets | null {
  if (!desk) return null
  const name = 'officePassphrase' as const
  return {
    async get() {
      const r = await desk.secretGet({ name })
      return r.ok && r.value.value !== null ? r.value.value : undefined
    },
    async set(passphrase) {
      const r = await desk.secretSet({ name, value: passphrase })
      return r.ok && r.value.stored
    },
    async clear() {
      await desk.secretClear({ name })
    },
  }
}

/** A PC id such as `A7-3f9c2b`: readable in messages, unique by its random tail. */
export function newPcId(hint = 'PC'): string {
  const head = hint.replace(/[^A-Za-z0-9]/g, '').slice(0, 8) || 'PC'
  const tail = crypto.randomUUID().replace(/-/g, '').slice(0, 6)
  const id = `${head}-${tail}`
  if (!PC_ID.test(id)) throw new Error(`bad PC id ${id}`)
  return id
}

/** The small store beside the business database: this PC's keys; the passphrase goes to `secrets`. */
export class IdentityStore {
  private readonly db: IdentityDb
  private readonly secrets: PassphraseSecrets | null

  constructor(opts: IdentityOptions = {}) {
    this.db = new IdentityDb(opts.name ?? IDENTITY_DB, opts)
    this.secrets = opts.secrets === undefined ? deskPassphraseSecrets() : opts.secrets
  }

  /** This PC's keys, created on first call (the private key cannot be exported). */
  async keys(hint?: string): Promise<SyncKeys> {
    const found = (await this.db.identity.get('keys'))?.value as StoredKeys | undefined
    if (found) return found
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair
    const publicRaw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey))
    const keys: StoredKeys = { pc: newPcId(hint), publicKey: pair.publicKey, privateKey: pair.privateKey, publicRaw }
    // Two windows starting at once: the first key pair stored wins, the other is discarded.
    return this.db.transaction('rw', this.db.identity, async () => {
      const again = (await this.db.identity.get('keys'))?.value as StoredKeys | undefined
      if (again) return again
      await this.db.identity.put({ key: 'keys', value: keys })
      return keys
    })
  }

  /**
   * A new identity for this PC (new id, new key pair), replacing the stored one: the sync engine
   * asks for it when this database turns out to be a copy (a restored backup, a cloned disk) of a
   * PC that went on without it (issue 7). The old keys are kept as `previous` for the record.
   */
  async renew(hint?: string): Promise<SyncKeys> {
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair
    const publicRaw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey))
    const keys: StoredKeys = { pc: newPcId(hint), publicKey: pair.publicKey, privateKey: pair.privateKey, publicRaw }
    await this.db.transaction('rw', this.db.identity, async () => {
      const old = (await this.db.identity.get('keys'))?.value as StoredKeys | undefined
      if (old) await this.db.identity.put({ key: `previous:${old.pc}`, value: old })
      await this.db.identity.put({ key: 'keys', value: keys })
    })
    return keys
  }

  /**
   * The office passphrase, if the clerk let this PC remember it. A copy in plain text that an
   * older version left in IndexedDB is moved to the OS-sealed store (when there is one) and
   * deleted here either way; it still serves this start.
   */
  async passphrase(): Promise<string | undefined> {
    const legacy = await this.takeLegacyPassphrase()
    if (legacy !== undefined) return legacy
    return this.secrets ? await this.secrets.get() : undefined
  }

  /**
   * Remembers the passphrase outside IndexedDB (`undefined` forgets it); false when it is not
   * remembered (a plain browser, or no protected storage on this PC): then it is asked at each start.
   */
  async rememberPassphrase(passphrase: string | undefined): Promise<boolean> {
    await this.db.identity.delete(LEGACY_PASSPHRASE)
    if (!this.secrets) return false
    if (passphrase === undefined) {
      await this.secrets.clear()
      return false
    }
    return this.secrets.set(passphrase)
  }

  private async takeLegacyPassphrase(): Promise<string | undefined> {
    const row = await this.db.identity.get(LEGACY_PASSPHRASE)
    if (!row) return undefined
    const value = typeof row.value === 'string' ? row.value : undefined
    if (value !== undefined && this.secrets) {
      try {
        await this.secrets.set(value)
      } catch { /* not remembered: the clerk types it at the next start */ }
    }
    await this.db.identity.delete(LEGACY_PASSPHRASE)
    return value
  }

  close(): void {
    this.db.close()
  }
}
