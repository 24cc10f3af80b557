/**
 * The Dexie adapter of `DirectoryStore`: users, proxy grants (职务代理人) and settings. Office-wide
 * facts (users, grants, company) are audited and go to the outbox in the same transaction; facts of
 * this PC (its PC code, its UI language) stay local.
 */
import type { Actor, AuditEntry, FieldChange, OutboxRow, ProxyGrant, Role, Settings, User } from '@core/model'
import type { DirectoryStore } from '@core/ports'
import { isPcCode, newPcCode } from '@core/numbering'
import { DEMO_PC_CODE } from './seed-constants'
import type { DeskDb } from './db'

export type Company = Settings['company']
export type Language = NonNullable<Settings['language']>

export interface DeskDirectoryStore extends DirectoryStore {
  /** Creates or edits a user; the audit lists the changed fields. */
  saveUser(user: User, actor: Actor): Promise<User>
  /** Registers a grant: `proxyId` acts for `principalId` in `role` from..to. */
  addProxy(grant: Omit<ProxyGrant, 'id' | 'deleted'>, actor: Actor): Promise<ProxyGrant>
  /** Withdraws a grant (a tombstone, so the withdrawal syncs). */
  removeProxy(id: string, actor: Actor, comment?: string): Promise<void>
  /** Grants that let `proxyId` act on `day` (ISO date, inclusive window). */
  proxiesFor(proxyId: string, day: string): Promise<ProxyGrant[]>
  saveCompany(company: Company, actor: Actor): Promise<void>
  setLanguage(language: Language): Promise<void>
  /** Replaces this PC's code (e.g. when sync finds another PC already uses it). Local only. */
  setPcCode(code: string, actor: Actor): Promise<void>
}

const EMPTY_COMPANY: Company = { name: '', address: '', phone: '' }

export interface DirectoryDeps {
  now: () => string
  /** PC codes already used in the vault (from sync), so a new PC picks a free one. */
  knownPcCodes?: () => string[]
}

/** Creates the Dexie-backed directory store. */
export function createDirectoryStore(db: DeskDb, deps: DirectoryDeps): DeskDirectoryStore {
  const { now } = deps

  async function writeAuditAndOutbox(recordId: string, action: string, changes: FieldChange[], actor: Actor, outbox: OutboxRow[], comment?: string): Promise<void> {
    const at = now()
    const entry: AuditEntry = { id: crypto.randomUUID(), docId: recordId, at, actor, action, changes }
    if (comment) entry.comment = comment
    await db.audit.add(entry)
    outbox.push({ table: 'audit', key: entry.id, op: 'put', fields: { ...entry }, at, exported: 0 })
    await db.outbox.bulkAdd(outbox.map((r) => ({ ...r, at })))
  }

  function diffFlat(before: Record<string, unknown> | undefined, after: Record<string, unknown>): FieldChange[] {
    const out: FieldChange[] = []
    for (const k of new Set([...Object.keys(before ?? {}), ...Object.keys(after)])) {
      const a = before?.[k], b = after[k]
      if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ field: k, from: a ?? null, to: b ?? null })
    }
    return out
  }

  const store: DeskDirectoryStore = {
    async users() {
      return (await db.users.toArray()).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))
    },

    async proxies() {
      return (await db.proxies.toArray()).filter((p) => !p.deleted)
    },

    async proxiesFor(proxyId, day) {
      return (await db.proxies.where('proxyId').equals(proxyId).toArray()).filter((p) => !p.deleted && p.from <= day && day <= p.to)
    },

    async settings() {
      // The PC code is made once, on first run, inside a transaction so two tabs cannot make two.
      return db.transaction('rw', db.settings, async () => {
        let pc = (await db.settings.get('pcCode'))?.value as string | undefined
        if (!pc) {
          pc = newPcCode([DEMO_PC_CODE, ...(deps.knownPcCodes?.() ?? [])], Math.random)
          await db.settings.put({ key: 'pcCode', value: pc })
        }
        const company = ((await db.settings.get('company'))?.value as Company | undefined) ?? EMPTY_COMPANY
        const language = ((await db.settings.get('language'))?.value as Language | undefined) ?? 'zh-CN'
        return { company: { ...company }, pcCode: pc, language }
      })
    },

    async saveUser(user, actor) {
      await db.transaction('rw', [db.users, db.audit, db.outbox], async () => {
        const before = await db.users.get(user.id)
        const changes = diffFlat(before as unknown as Record<string, unknown> | undefined, user as unknown as Record<string, unknown>)
        if (changes.length === 0) return
        await db.users.put(user)
        const fields = before ? Object.fromEntries(changes.map((c) => [c.field, c.to])) : { ...user }
        await writeAuditAndOutbox(user.id, before ? 'update' : 'create', changes, actor, [{ table: 'users', key: user.id, op: 'put', fields, at: '', exported: 0 }])
      })
      return user
    },

    async addProxy(grant, actor) {
      if (grant.to < grant.from) throw new RangeError('代理期限的结束日期早于开始日期 / the grant ends before it starts')
      const record: ProxyGrant = { id: crypto.randomUUID(), ...grant }
      await db.transaction('rw', [db.proxies, db.audit, db.outbox], async () => {
        await db.proxies.add(record)
        await writeAuditAndOutbox(record.id, 'create', diffFlat(undefined, record as unknown as Record<string, unknown>), actor,
          [{ table: 'proxies', key: record.id, op: 'put', fields: { ...record }, at: '', exported: 0 }])
      })
      return record
    },

    async removeProxy(id, actor, comment) {
      await db.transaction('rw', [db.proxies, db.audit, db.outbox], async () => {
        const before = await db.proxies.get(id)
        if (!before || before.deleted) return
        await db.proxies.put({ ...before, deleted: true })
        await writeAuditAndOutbox(id, 'delete', [{ field: 'deleted', from: false, to: true }], actor,
          [{ table: 'proxies', key: id, op: 'delete', fields: { deleted: true }, at: '', exported: 0 }], comment)
      })
    },

    async saveCompany(company, actor) {
      await db.transaction('rw', [db.settings, db.audit, db.outbox], async () => {
        const before = (await db.settings.get('company'))?.value as Company | undefined
        const changes = diffFlat(before, company)
        if (changes.length === 0) return
        await db.settings.put({ key: 'company', value: { ...company } })
        await writeAuditAndOutbox('settings:company', 'update', changes, actor,
          [{ table: 'settings', key: 'company', op: 'put', fields: Object.fromEntries(changes.map((c) => [`value.${c.field}`, c.to])), at: '', exported: 0 }])
      })
    },

    async setLanguage(language) {
      await db.settings.put({ key: 'language', value: language })
    },

    async setPcCode(code, actor) {
      if (!isPcCode(code)) throw new RangeError(`PC 代码只能是 2–3 位大写字母或数字 / invalid PC code: ${code}`)
      await db.transaction('rw', [db.settings, db.audit], async () => {
        const before = (await db.settings.get('pcCode'))?.value
        await db.settings.put({ key: 'pcCode', value: code })
        // Audited locally only: the code belongs to this PC and must never be copied to another.
        await db.audit.add({ id: crypto.randomUUID(), docId: 'settings:pcCode', at: now(), actor, action: 'update', changes: [{ field: 'pcCode', from: before ?? null, to: code }] })
      })
    },
  }
  return store
}

/** Roles a user holds on `day`, their own plus those granted to them as a proxy. */
export function effectiveRoles(user: User, grants: ProxyGrant[], day: string): Array<{ role: Role; actingFor?: string }> {
  const own = user.roles.map((role) => ({ role }))
  const lent = grants.filter((g) => g.proxyId === user.id && !g.deleted && g.from <= day && day <= g.to)
    .map((g) => ({ role: g.role, actingFor: g.principalId }))
  return [...own, ...lent]
}
