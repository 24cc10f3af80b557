import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import type { Envelope } from '@shared/ipc'
import { deskPassphraseSecrets, IdentityStore, type PassphraseSecrets, type SecretApi } from './identity'

const PASS = '恒泰办公室2026'

/** Every value in every object store of the database, as text (what a profile copy would show). */
async function rawIdbText(idb: IDBFactory, name: string): Promise<string> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const r = idb.open(name)
    r.onsuccess = () => resolve(r.result)
    r.onerror = () => reject(r.error)
  })
  try {
    const out: unknown[] = []
    for (const store of Array.from(db.objectStoreNames)) {
      out.push(await new Promise<unknown[]>((resolve, reject) => {
        const r = db.transaction(store, 'readonly').objectStore(store).getAll()
        r.onsuccess = () => resolve(r.result)
        r.onerror = () => reject(r.error)
      }))
    }
    return JSON.stringify(out)
  } finally {
    db.close()
  }
}

/** The OS-sealed store of the main process, as the renderer sees it. */
function fakeSecrets(): PassphraseSecrets & { value: string | undefined } {
  const s = {
    value: undefined as string | undefined,
    get: async () => s.value,
    set: async (p: string) => { s.value = p; return true },
    clear: async () => { s.value = undefined },
  }
  return s
}

describe('IdentityStore: the remembered passphrase (issue 7)', () => {
  it('the passphrase is not in IndexedDB after remembering it; it comes back from the sealed store', async () => {
    const idb = new IDBFactory()
    const secrets = fakeSecrets()
    const store = new IdentityStore({ name: 'identity-a', indexedDB: idb, IDBKeyRange, secrets })
    await store.keys('A1')
    const remembered = await store.rememberPassphrase(PASS)
    store.close()
    expect(await rawIdbText(idb, 'identity-a')).not.toContain(PASS)
    expect(remembered).toBe(true)
    expect(secrets.value).toBe(PASS)
    const again = new IdentityStore({ name: 'identity-a', indexedDB: idb, IDBKeyRange, secrets })
    expect(await again.passphrase()).toBe(PASS)
    await again.rememberPassphrase(undefined)
    expect(await again.passphrase()).toBeUndefined()
    again.close()
  })

  it('in a plain browser (no window.desk) nothing is remembered: asked at each start', async () => {
    const idb = new IDBFactory()
    expect(deskPassphraseSecrets(undefined)).toBeNull()
    const store = new IdentityStore({ name: 'identity-b', indexedDB: idb, IDBKeyRange })
    expect(await store.rememberPassphrase(PASS)).toBe(false)
    expect(await store.passphrase()).toBeUndefined()
    store.close()
    expect(await rawIdbText(idb, 'identity-b')).not.toContain(PASS)
  })

  it('a plain-text passphrase left by an older version is moved to the sealed store and deleted from IndexedDB', async () => {
    const idb = new IDBFactory()
    // What versions before issue 7 wrote.
    const old = new IdentityStore({ name: 'identity-c', indexedDB: idb, IDBKeyRange, secrets: null })
    await old.keys('C1')
    old.close()
    const db = await new Promise<IDBDatabase>((resolve) => { const r = idb.open('identity-c'); r.onsuccess = () => resolve(r.result) })
    await new Promise<void>((resolve) => { const tx = db.transaction('identity', 'readwrite'); tx.objectStore('identity').put({ key: 'passphrase', value: PASS }); tx.oncomplete = () => resolve() })
    db.close()
    expect(await rawIdbText(idb, 'identity-c')).toContain(PASS)

    const secrets = fakeSecrets()
    const store = new IdentityStore({ name: 'identity-c', indexedDB: idb, IDBKeyRange, secrets })
    expect(await store.passphrase()).toBe(PASS)
    expect(secrets.value).toBe(PASS)
    store.close()
    expect(await rawIdbText(idb, 'identity-c')).not.toContain(PASS)

    // Without a sealed store (plain browser) the old copy is deleted too; it serves this start only.
    const idb2 = new IDBFactory()
    const old2 = new IdentityStore({ name: 'identity-d', indexedDB: idb2, IDBKeyRange, secrets: null })
    await old2.keys('D1')
    old2.close()
    const db2 = await new Promise<IDBDatabase>((resolve) => { const r = idb2.open('identity-d'); r.onsuccess = () => resolve(r.result) })
    await new Promise<void>((resolve) => { const tx = db2.transaction('identity', 'readwrite'); tx.objectStore('identity').put({ key: 'passphrase', value: PASS }); tx.oncomplete = () => resolve() })
    db2.close()
    const browser = new IdentityStore({ name: 'identity-d', indexedDB: idb2, IDBKeyRange, secrets: null })
    expect(await browser.passphrase()).toBe(PASS)
    expect(await browser.passphrase()).toBeUndefined()
    browser.close()
    expect(await rawIdbText(idb2, 'identity-d')).not.toContain(PASS)
  })

  it('window.desk\'s secret:* functions back the sealed store; "not stored" is reported', async () => {
    const calls: string[] = []
    let sealed: string | null = null
    let available = true
    const ok = <T>(value: T): Promise<Envelope<T>> => Promise.resolve({ ok: true, value })
    const desk: SecretApi = {
      secretGet: (r) => { calls.push(`get ${r.name}`); return ok({ value: sealed, available }) },
      secretSet: (r) => { calls.push(`set ${r.name}`); if (available) sealed = r.value; return ok({ stored: available }) },
      secretClear: (r) => { calls.push(`clear ${r.name}`); sealed = null; return ok({ cleared: true }) },
    }
    const s = deskPassphraseSecrets(desk)!
    expect(await s.get()).toBeUndefined()
    expect(await s.set(PASS)).toBe(true)
    expect(await s.get()).toBe(PASS)
    await s.clear()
    available = false
    expect(await s.set(PASS)).toBe(false)
    expect(calls).toEqual(['get officePassphrase', 'set officePassphrase', 'get officePassphrase', 'clear officePassphrase', 'set officePassphrase'])
  })
})
