/**
 * This PC's sync identity: an id and an Ed25519 key pair, made once and kept in IndexedDB. It
 * lives in its OWN small database (`marketdesk-identity`), so wiping or rebuilding the business
 * database keeps the identity (sync.md fault 24: the PC rebuilds from a snapshot and publishes no
 * deletions under a new name). The private key is generated NON-extractable: WebCrypto keys are
 * structured-cloneable, so IndexedDB stores the key object itself and no script can read its bytes.
 */
import Dexie, { type Table } from 'dexie'
import { PC_ID } from '@core/sync/names'
import type { SyncKeys } from '@core/sync/keys'

/** The identity database's name (beside the business database `marketdesk`). */
export const IDENTITY_DB = 'marketdesk-identity'

interface IdentityRow { key: string; value: unknown }

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
}

/** A PC id such as `A7-3f9c2b`: readable in messages, unique by its random tail. */
export function newPcId(hint = 'PC'): string {
  const head = hint.replace(/[^A-Za-z0-9]/g, '').slice(0, 8) || 'PC'
  const tail = crypto.randomUUID().replace(/-/g, '').slice(0, 6)
  const id = `${head}-${tail}`
  if (!PC_ID.test(id)) throw new Error(`bad PC id ${id}`)
  return id
}

/** The small store beside the business database: keys, and the remembered office passphrase. */
export class IdentityStore {
  private readonly db: IdentityDb

  constructor(opts: IdentityOptions = {}) {
    this.db = new IdentityDb(opts.name ?? IDENTITY_DB, opts)
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
   * The office passphrase, if the clerk let this PC remember it. Kept beside the key: whoever can
   * read this profile can already read every record in it, so it adds no exposure, and the clerk
   * is not asked again at every start.
   */
  async passphrase(): Promise<string | undefined> {
    return (await this.db.identity.get('passphrase'))?.value as string | undefined
  }

  async rememberPassphrase(passphrase: string | undefined): Promise<void> {
    if (passphrase === undefined) await this.db.identity.delete('passphrase')
    else await this.db.identity.put({ key: 'passphrase', value: passphrase })
  }

  close(): void {
    this.db.close()
  }
}
