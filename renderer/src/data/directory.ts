/**
 * The Dexie adapter of the office directory and of who is signed in. The directory is the log of
 * signed entries in `directory` (core/trust/directory.ts); users, grants, the letterhead and the
 * office settings are its fold, never rows anyone can write. Only a signed-in administrator can
 * add an entry (a user may change their own password); every entry goes to the outbox in the same
 * transaction. Facts of this PC (its PC code, language, device id, sign-in failures) stay local.
 */
import { policyOf, policyProblems } from '@forms/schema/policy'
import Dexie from 'dexie'
import type { ProxyGrant, Role, Settings, User } from '@core/model'
import type { DirectoryStore } from '@core/ports'
import { isPcCode, newPcCode } from '@core/numbering'
import { directoryUsers, foldDirectory, isAdmin, viewOf, type DirBody, type DirEntry, type DirUser, type Directory, type OfficeInfo, type OfficeSettings } from '@core/trust/directory'
import { DEFAULT_KDF, makeCredential, openCredential, passwordProblem, type KdfParams } from '@core/trust/password'
import { attemptDelayMs, MAX_FAILURES, signInMessage } from '@core/trust/lockout'
import { signObject, userKeys } from '@core/trust/sign'
import { canonicalJson } from '@core/identity'
import { approvalSteps } from '@core/workflow'
import { forms as registeredForms } from '@forms/registry'
import type { FormDef } from '@forms/schema/types'
import { DEMO_PC_CODE } from './seed-constants'
import type { DeskDb } from './db'

/**
 * What of the office's settings is its process (R17), as one canonical string: the business rules
 * as they apply, and the approval chain as it applies to `forms` (each step's roles, a form's own
 * where not overridden, in any order; the amount above which a step signs). An override equal to the
 * form's own roles, or for a step no form has, changes nothing, so saving the chain unchanged needs
 * no memo.
 */
function processOf(s: OfficeSettings, forms: readonly FormDef[]): string {
  const chain: Record<string, Record<string, Role[]>> = {}
  const limits: Record<string, Record<string, number>> = {}
  for (const f of forms) {
    for (const step of approvalSteps(f)) {
      ;(chain[f.id] ??= {})[step.key] = [...(s.approvals?.[f.id]?.[step.key] ?? step.roles)].sort()
      const limit = s.approvalLimits?.[f.id]?.[step.key]
      if (step.above && typeof limit === 'number') (limits[f.id] ??= {})[step.key] = limit
    }
  }
  return canonicalJson({ policy: policyOf(s.policy), chain, limits })
}

/** The steps of the process (memo.form.ts `concerns`) a memo may concern to approve a change of the office's rules or approval chain. */
const PROCESS_MEMO = ['policy', 'approvals']

/** The state of an approved 内部联络函 (forms/memo), the only one a business-rule change may cite (R17). */
const MEMO_APPROVED = 'approved'

export type Company = Settings['company']
export type Language = NonNullable<Settings['language']>

/** What this profile belongs to: nothing yet (the setup wizard), the demo office, or a real one. */
export type OfficeState = { kind: 'none' } | { kind: 'demo' | 'real'; id: string; name: string; genesis: string }

/** The person at the keyboard, with the key their password unlocked (kept in memory only). */
export interface SignedIn { user: User; grantId: string | null; seed: Uint8Array }

/** Why a sign-in was refused, with the message for the clerk. */
export type SignInResult =
  | { ok: true; user: User }
  | { ok: false; reason: 'wrong' | 'wait' | 'locked' | 'unknown'; failures: number; waitMs?: number; message: { zh: string; en: string } }

/** Thrown when the signed-in user may not do something (or nobody is signed in). Nothing was written. */
export class NotAllowed extends Error {
  /** The rule and clause refusing it, shown as a quieter second line (依据 §5.10.1（R17）). */
  note?: { rule: string; clause: string }
  constructor(readonly zh: string, readonly en: string, note?: { rule: string; clause: string }) {
    super(`${zh} / ${en}`)
    this.name = 'NotAllowed'
    if (note) this.note = note
  }
}

/** A user to create or edit; a new user needs a password. */
export interface UserInput { id?: string; name: string; dept: string; roles: Role[]; active: boolean }

export interface DeskDirectoryStore extends DirectoryStore {
  office(): Promise<OfficeState>
  /** The folded directory (users with keys, grants, PCs, revocations, decisions). */
  directory(): Promise<Directory>
  officeSettings(): Promise<OfficeSettings>
  /** The signed entries, newest first (the administrator's log of who changed what). */
  entries(): Promise<DirEntry[]>
  /** Setup wizard: founds the office with its first administrator and signs them in. */
  createOffice(input: { company: Company; pcName: string; admin: { name: string; dept?: string; password: string } }): Promise<User>
  /** Joining an office: the founding entry named by the vault (the directory arrives by sync). */
  joinOffice(office: OfficeInfo & { genesis: string }, pcName: string): Promise<void>
  /** Writes the given entries as received (the demo seed); local, audited by their signatures. */
  installEntries(entries: DirEntry[], office: OfficeState & { kind: 'demo' | 'real' }): Promise<void>
  signIn(userId: string, password: string, grantId?: string | null): Promise<SignInResult>
  signOut(): void
  /** Forgets the key but remembers who was signed in (idle lock): `signIn` again to go on. */
  lock(): void
  current(): SignedIn | null
  /** The device id of this profile (chains its audit and directory entries). */
  deviceId(): Promise<string>
  // --- administrator only (NotAllowed otherwise) ---
  saveUser(user: UserInput, password?: string): Promise<User>
  resetPassword(userId: string, password: string): Promise<void>
  addProxy(grant: Omit<ProxyGrant, 'id' | 'deleted'>): Promise<ProxyGrant>
  removeProxy(id: string, comment?: string): Promise<void>
  saveCompany(company: Company): Promise<void>
  saveOfficeSettings(settings: OfficeSettings): Promise<void>
  approvePc(pc: { pc: string; name: string; publicKey: string }): Promise<DirEntry>
  revokePc(pc: string, upTo: number, reason?: string): Promise<void>
  decide(finding: string, accept: boolean, comment?: string): Promise<void>
  // --- any signed-in user ---
  changeOwnPassword(oldPassword: string, newPassword: string): Promise<{ ok: true } | { ok: false; message: { zh: string; en: string } }>
  setLanguage(language: Language): Promise<void>
  /** Replaces this PC's code (e.g. when sync finds another PC already uses it). Local only. */
  setPcCode(code: string): Promise<void>
  pcName(): Promise<string>
}

export interface DirectoryDeps {
  now: () => string
  /** PC codes already used in the vault (from sync), so a new PC picks a free one. */
  knownPcCodes?: () => string[]
  /** Password cost for new credentials (tests and the demo use a cheap one). */
  kdf?: KdfParams
  /** Wall clock in ms for the sign-in delay (tests). */
  clock?: () => number
  /** The business forms whose approval chains the settings override (default: every registered form). */
  chainForms?: readonly FormDef[]
}

const EMPTY_COMPANY: Company = { name: '', address: '', phone: '' }

/** Creates the Dexie-backed directory store. */
export function createDirectoryStore(db: DeskDb, deps: DirectoryDeps): DeskDirectoryStore {
  const { now } = deps
  const clock = deps.clock ?? (() => Date.now())
  const chainForms = deps.chainForms ?? registeredForms
  let session: SignedIn | null = null
  let memo: { key: string; dir: Directory } | undefined

  const setting = async <T>(key: string): Promise<T | undefined> => (await db.settings.get(key))?.value as T | undefined

  async function office(): Promise<OfficeState> {
    return (await setting<OfficeState>('office')) ?? { kind: 'none' }
  }

  async function directory(): Promise<Directory> {
    const o = await office()
    if (o.kind === 'none') return foldDirectory([], '')
    const rows = await db.directory.toArray()
    const key = `${o.genesis}|${rows.length}|${rows.reduce((a, r) => (r.id > a ? r.id : a), '')}`
    if (memo?.key !== key) memo = { key, dir: foldDirectory(rows, o.genesis) }
    return memo.dir
  }

  async function deviceId(): Promise<string> {
    return db.transaction('rw', db.settings, async () => {
      let id = await setting<string>('deviceId')
      if (!id) { id = crypto.randomUUID(); await db.settings.put({ key: 'deviceId', value: id }) }
      return id
    })
  }

  function signer(): SignedIn {
    if (!session) throw new NotAllowed('请先登录', 'Please sign in first')
    return session
  }

  async function requireAdmin(): Promise<SignedIn> {
    const s = signer()
    if (!isAdmin((await directory()).users.get(s.user.id))) throw new NotAllowed('只有管理员可以修改人员、权限和办公室设置', 'Only an administrator can change users, roles and office settings')
    return s
  }

  /** Signs and stores one entry with its outbox row, in one transaction. */
  async function append(body: DirBody, by: SignedIn, id: string = crypto.randomUUID()): Promise<DirEntry> {
    const dev = await deviceId()
    const at = now()
    return db.transaction('rw', [db.directory, db.outbox], async () => {
      const all = await db.directory.toArray()
      const n = all.filter((e) => e.dev === dev).reduce((m, e) => Math.max(m, e.n), 0) + 1
      const unsigned: Omit<DirEntry, 'sig'> = { id, dev, n, at, by: by.user.id, view: viewOf(all), body }
      const entry: DirEntry = { ...unsigned, sig: signObject('directory', unsigned, by.seed) } as DirEntry
      await db.directory.add(entry)
      await db.outbox.add({ table: 'directory', key: entry.id, op: 'put', fields: { ...entry }, at, exported: 0 })
      return entry
    })
  }

  async function dirUser(id: string): Promise<DirUser> {
    const u = (await directory()).users.get(id)
    if (!u) throw new NotAllowed('名录中没有这个用户', 'No such user in the directory')
    return u
  }

  const plain = ({ publicKey: _k, credential: _c, ...u }: DirUser): User => u

  function checkPassword(password: string): void {
    const p = passwordProblem(password)
    if (p) throw new NotAllowed(p.zh, p.en)
  }

  const store: DeskDirectoryStore = {
    office,
    directory,
    deviceId,

    async users() { return directoryUsers(await directory()) },
    async proxies() { return [...(await directory()).grants.values()] },
    async officeSettings() { return { ...(await directory()).settings } },
    async entries() { return (await db.directory.toArray()).sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)) },

    async settings() {
      // The PC code is made once, on first run, inside a transaction so two tabs cannot make two.
      const pcCode = await db.transaction('rw', db.settings, async () => {
        let pc = await setting<string>('pcCode')
        if (!pc) {
          pc = newPcCode([DEMO_PC_CODE, ...(deps.knownPcCodes?.() ?? [])], Math.random)
          await db.settings.put({ key: 'pcCode', value: pc })
        }
        return pc
      })
      const d = await directory()
      const language = (await setting<Language>('language')) ?? 'zh-CN'
      return { company: { ...(d.office ? d.company : EMPTY_COMPANY) }, pcCode, language }
    },

    async createOffice({ company, pcName, admin }) {
      if ((await office()).kind !== 'none') throw new NotAllowed('本机已属于一个办公室', 'This PC already belongs to an office')
      checkPassword(admin.password)
      const keys = userKeys()
      const adminUser: DirUser = {
        id: crypto.randomUUID(), name: admin.name.trim(), dept: admin.dept?.trim() ?? '', roles: ['admin'], active: true,
        publicKey: keys.publicKey, credential: await makeCredential(admin.password, keys.seed, deps.kdf ?? DEFAULT_KDF),
      }
      const officeId = crypto.randomUUID()
      const genesisId = crypto.randomUUID()
      const me: SignedIn = { user: plain(adminUser), grantId: null, seed: keys.seed }
      await db.settings.put({ key: 'office', value: { kind: 'real', id: officeId, name: company.name, genesis: genesisId } satisfies OfficeState })
      await db.settings.put({ key: 'pcName', value: pcName.trim() })
      await append({ kind: 'genesis', office: { id: officeId, name: company.name }, admin: adminUser }, me, genesisId)
      await append({ kind: 'company', company: { ...company } }, me)
      session = me
      return me.user
    },

    async joinOffice(o, pcName) {
      const cur = await office()
      if (cur.kind === 'demo') throw new NotAllowed('演示数据不能加入真实办公室，请使用新的用户配置', 'A demo profile cannot join a real office')
      if (cur.kind === 'real' && cur.genesis !== o.genesis) throw new NotAllowed('本机已属于另一个办公室', 'This PC belongs to another office')
      await db.settings.put({ key: 'office', value: { kind: o.demo ? 'demo' : 'real', id: o.id, name: o.name, genesis: o.genesis } satisfies OfficeState })
      await db.settings.put({ key: 'pcName', value: pcName.trim() })
    },

    async installEntries(entries, o) {
      await db.transaction('rw', [db.directory, db.outbox, db.settings], async () => {
        await db.settings.put({ key: 'office', value: o })
        for (const e of entries) {
          if (await db.directory.get(e.id)) continue
          await db.directory.add(e)
          await db.outbox.add({ table: 'directory', key: e.id, op: 'put', fields: { ...e }, at: e.at, exported: 0 })
        }
      })
    },

    async signIn(userId, password, grantId = null) {
      const d = await directory()
      const u = d.users.get(userId)
      if (!u || !u.active) return { ok: false, reason: 'unknown', failures: 0, message: { zh: '没有这个用户，或该用户已停用', en: 'No such user, or the user is deactivated' } }
      const key = `signin:${userId}`
      const rec = ((await db.meta.get(key))?.value as { failures: number; last: number; verifier: string } | undefined)
      // A new password set by the administrator clears the count.
      const failures = rec && rec.verifier === u.credential.verifier ? rec.failures : 0
      const delay = attemptDelayMs(failures)
      if (delay === null) return { ok: false, reason: 'locked', failures, message: signInMessage({ failures }) }
      const waitMs = rec ? rec.last + delay - clock() : 0
      if (failures > 0 && waitMs > 0) return { ok: false, reason: 'wait', failures, waitMs, message: signInMessage({ failures, waitMs }) }
      const seed = await openCredential(password, u.credential)
      if (!seed || userKeys(seed).publicKey !== u.publicKey) {
        const f = failures + 1
        await db.meta.put({ key, value: { failures: f, last: clock(), verifier: u.credential.verifier } })
        const next = attemptDelayMs(f)
        return { ok: false, reason: f >= MAX_FAILURES ? 'locked' : 'wrong', failures: f, ...(next ? { waitMs: next } : {}), message: signInMessage({ failures: f }) }
      }
      await db.meta.delete(key)
      const grant = grantId ? d.grants.get(grantId) : undefined
      session = { user: plain(u), grantId: grant && grant.proxyId === userId ? grant.id : null, seed }
      return { ok: true, user: session.user }
    },

    signOut() { session = null },
    lock() { session = null },
    current: () => session,

    async saveUser(input, password) {
      const me = await requireAdmin()
      const d = await directory()
      const before = input.id ? d.users.get(input.id) : undefined
      let keyPart: Pick<DirUser, 'publicKey' | 'credential'>
      if (before) keyPart = { publicKey: before.publicKey, credential: before.credential }
      else {
        if (!password) throw new NotAllowed('新用户需要设置初始密码', 'A new user needs a first password')
        checkPassword(password)
        const keys = userKeys()
        keyPart = { publicKey: keys.publicKey, credential: await makeCredential(password, keys.seed, deps.kdf ?? DEFAULT_KDF) }
      }
      const user: DirUser = { id: input.id ?? crypto.randomUUID(), name: input.name.trim(), dept: input.dept.trim(), roles: [...input.roles], active: input.active, ...keyPart }
      if (before && !isAdmin(user) && isAdmin(before) && [...d.users.values()].filter(isAdmin).length === 1) {
        throw new NotAllowed('办公室至少要保留一位管理员', 'The office must keep one administrator')
      }
      await append({ kind: 'user', user }, me)
      return plain(user)
    },

    async resetPassword(userId, password) {
      const me = await requireAdmin()
      checkPassword(password)
      const u = await dirUser(userId)
      // The administrator cannot unwrap the old key: the user gets a new key pair. Their earlier
      // signatures stay valid, each judged by the directory as its signer saw it.
      const keys = userKeys()
      await append({ kind: 'user', user: { ...u, publicKey: keys.publicKey, credential: await makeCredential(password, keys.seed, deps.kdf ?? DEFAULT_KDF) } }, me)
    },

    async changeOwnPassword(oldPassword, newPassword) {
      const me = signer()
      const u = await dirUser(me.user.id)
      const p = passwordProblem(newPassword)
      if (p) return { ok: false, message: p }
      const seed = await openCredential(oldPassword, u.credential)
      if (!seed) return { ok: false, message: { zh: '原密码不正确', en: 'The current password is wrong' } }
      await append({ kind: 'password', userId: u.id, credential: await makeCredential(newPassword, seed, deps.kdf ?? DEFAULT_KDF) }, me)
      return { ok: true }
    },

    async addProxy(grant) {
      const me = await requireAdmin()
      if (grant.to < grant.from) throw new NotAllowed('代理期限的结束日期早于开始日期', 'The grant ends before it starts')
      if (grant.principalId === grant.proxyId) throw new NotAllowed('不能代理自己', 'A user cannot be their own proxy')
      const record: ProxyGrant = { id: crypto.randomUUID(), ...grant }
      await append({ kind: 'grant', grant: record }, me)
      return record
    },

    async removeProxy(id, comment) {
      const me = await requireAdmin()
      await append({ kind: 'ungrant', grantId: id, ...(comment ? { comment } : {}) }, me)
    },

    async saveCompany(company) {
      const me = await requireAdmin()
      await append({ kind: 'company', company: { ...company } }, me)
    },

    async saveOfficeSettings(settings) {
      const me = await requireAdmin()
      if (!Number.isInteger(settings.idleMinutes) || settings.idleMinutes < 1 || settings.idleMinutes > 480) {
        throw new NotAllowed('自动锁定时间应为 1–480 分钟', 'Idle lock must be 1–480 minutes')
      }
      const bad = settings.policy ? policyProblems(settings.policy) : []
      if (bad.length) throw new NotAllowed(`业务规则中${bad.join('、')}的值不正确，请检查后再保存`, `Business rules: ${bad.join(', ')} invalid`)
      // R17, §5.10.1: a change of the business rules or of who approves what (the approval chain and
      // its amount limits) is a change of the process: it cites an approved 内部联络函.
      const before = (await directory()).settings
      if (processOf(before, chainForms) === processOf(settings, chainForms)) {
        // The rules stay as they are, and so does the memo they stand on: not the screen's to rewrite.
        const { policyMemo: _sent, ...rest } = settings
        settings = before.policyMemo ? { ...rest, policyMemo: before.policyMemo } : rest
      } else {
        const cited = settings.policyMemo ? await db.docs.get(settings.policyMemo.id) : undefined
        if (!cited || cited.deleted || cited.form !== 'memo' || cited.state !== MEMO_APPROVED) {
          throw new NotAllowed(
            '修改业务规则或审批流程须依据已批准的内部联络函：请先写内部联络函并经营销经理、主管或总监批准，再在这里选择它',
            'Changing the business rules or the approval chain needs an approved internal memo: have one approved, then pick it here',
            { rule: 'R17', clause: '§5.10.1' },
          )
        }
        // A memo about another step of the process (samples, say) approves no change of these.
        if (!PROCESS_MEMO.includes(String(cited.values?.concerns))) {
          throw new NotAllowed(
            `内部联络函 ${cited.number} 涉及的不是业务规则或审批流程：请选择为这次修改批准的内部联络函`,
            `Memo ${cited.number} is not about the business rules or the approval chain: pick the memo approved for this change`,
            { rule: 'R17', clause: '§5.10.1' },
          )
        }
        // One memo, one change: a memo an earlier change already cited approves no further one.
        const used = (await db.directory.toArray()).some((e) => e.body.kind === 'settings' && e.body.settings.policyMemo?.id === cited.id)
        if (used) {
          throw new NotAllowed(
            `内部联络函 ${cited.number} 已用于此前的一次业务规则或审批流程修改：这次修改请另写一份内部联络函，批准后在这里选择它`,
            `Memo ${cited.number} was already cited by an earlier change of the rules or the approval chain: have a new one approved for this change`,
            { rule: 'R17', clause: '§5.10.1' },
          )
        }
        settings = { ...settings, policyMemo: { id: cited.id, number: cited.number } }
      }
      await append({ kind: 'settings', settings: { ...settings } }, me)
    },

    async approvePc(pc) {
      const me = await requireAdmin()
      if ((await directory()).revoked.has(pc.pc)) throw new NotAllowed('这台电脑已被吊销，不能再批准；请在该电脑上重新加入', 'This PC was revoked; it must join again with a new identity')
      return append({ kind: 'pcApprove', ...pc }, me)
    },

    async revokePc(pc, upTo, reason) {
      const me = await requireAdmin()
      await append({ kind: 'pcRevoke', pc, upTo, ...(reason ? { reason } : {}) }, me)
    },

    async decide(finding, accept, comment) {
      const me = await requireAdmin()
      await append({ kind: 'decide', finding, accept, ...(comment ? { comment } : {}) }, me)
    },

    async setLanguage(language) {
      await db.settings.put({ key: 'language', value: language })
    },

    async setPcCode(code) {
      if (!isPcCode(code)) throw new RangeError(`PC 代码只能是 2–3 位大写字母或数字 / invalid PC code: ${code}`)
      await db.settings.put({ key: 'pcCode', value: code })
    },

    async pcName() { return (await setting<string>('pcName')) ?? '' },
  }
  void Dexie
  return store
}

/** Roles a user holds on `day`, their own plus those granted to them as a proxy. */
export function effectiveRoles(user: User, grants: ProxyGrant[], day: string): Array<{ role: Role; actingFor?: string }> {
  const own = user.roles.map((role) => ({ role }))
  const lent = grants.filter((g) => g.proxyId === user.id && !g.deleted && g.from <= day && day <= g.to)
    .map((g) => ({ role: g.role, actingFor: g.principalId }))
  return [...own, ...lent]
}
