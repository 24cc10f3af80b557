/**
 * The office directory as a log of signed entries (Keyhive's "convergent capabilities", Matrix's
 * auth rules): users, roles, 职务代理人 grants, the letterhead, office settings, PC approvals and
 * revocations change only through entries signed by an administrator (a user may sign their own
 * password change). Every PC folds the same set of entries into the same directory: entries are
 * taken in (at, id) order and an entry counts only if its signer was an active administrator in the
 * directory as it stood just before it. Nothing here reads a clock or a database.
 */
import type { ProxyGrant, Role, Settings, User } from '../model'
import type { Credential } from './password'
import type { BusinessPolicy } from '../../../forms/schema/policy'
import type { ApprovalLimits, ApprovalOverrides } from '../workflow'
import { verifyObject } from './sign'

/** A user as the directory carries them: the record, their public key and their wrapped private key. */
export interface DirUser extends User { publicKey: string; credential: Credential }

/** Office-wide settings an administrator sets. */
export interface OfficeSettings {
  /** Minutes without input after which the screen locks (needs the password to go on). */
  idleMinutes: number
  /** Who approves each step, where the administrator changed the forms' defaults (workflow.ts withApprovals). */
  approvals?: ApprovalOverrides
  /** Amounts above which the members declared `above` sign (the GM above an amount, R11); none by default. */
  approvalLimits?: ApprovalLimits
  /** The business settings the rules read (invoice gate, commission rates, overdue escalation); absent: [A]'s defaults. */
  policy?: Partial<BusinessPolicy>
  /** R17, §5.10.1: the approved 内部联络函 the business rules were last changed on. */
  policyMemo?: { id: string; number: string }
}

export const DEFAULT_OFFICE_SETTINGS: OfficeSettings = { idleMinutes: 15 }

/** What an entry does. */
export type DirBody =
  | { kind: 'genesis'; office: OfficeInfo; admin: DirUser }
  /** Creates or replaces a user (roles, department, active, key and credential). */
  | { kind: 'user'; user: DirUser }
  /** A user's own new password (same key pair, new wrapping): the only entry a non-admin may sign. */
  | { kind: 'password'; userId: string; credential: Credential }
  | { kind: 'grant'; grant: ProxyGrant }
  | { kind: 'ungrant'; grantId: string; comment?: string }
  | { kind: 'company'; company: Settings['company'] }
  | { kind: 'settings'; settings: OfficeSettings }
  /** A PC may sync: its sync id, name and public key, compared by fingerprint before approval. */
  | { kind: 'pcApprove'; pc: string; name: string; publicKey: string }
  /** A lost or stolen PC: its files after `upTo` are no longer applied anywhere. */
  | { kind: 'pcRevoke'; pc: string; upTo: number; reason?: string }
  /** The administrator's decision on a held or refused change (its finding id). */
  | { kind: 'decide'; finding: string; accept: boolean; comment?: string }

/** The office an entry log belongs to. */
export interface OfficeInfo { id: string; name: string; demo?: boolean }

/** One signed directory entry. `dev`/`n` number a device's entries; `view` is what its signer had seen. */
export interface DirEntry {
  id: string
  /** The signing profile's device id, and this entry's number among that device's entries (1, 2, …). */
  dev: string
  n: number
  at: string
  /** The signer's user id. */
  by: string
  /** Highest `n` per device of the entries the signer's PC held when signing. */
  view: Record<string, number>
  body: DirBody
  sig: string
}

/** Why an entry did not count (zh-CN first). */
export interface Refusal { zh: string; en: string }

/** The directory as a fold of entries. */
export interface Directory {
  office?: OfficeInfo
  users: Map<string, DirUser>
  grants: Map<string, ProxyGrant>
  company: Settings['company']
  settings: OfficeSettings
  pcs: Map<string, { name: string; publicKey: string; by: string; at: string }>
  revoked: Map<string, { upTo: number; by: string; at: string; reason?: string }>
  decisions: Map<string, { accept: boolean; by: string; at: string; comment?: string }>
  /** Each entry that did not count, with why. */
  refused: Map<string, Refusal>
}

const byOrder = (a: DirEntry, b: DirEntry) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/** Whether entry `e` is within a signer's view. */
export function inView(e: Pick<DirEntry, 'dev' | 'n'>, view: Record<string, number>): boolean {
  return (view[e.dev] ?? 0) >= e.n
}

/** True when the user is active and holds the administrator role. */
export function isAdmin(u: User | undefined): boolean {
  return !!u && u.active && u.roles.includes('admin')
}

function whyNot(e: DirEntry, d: Directory, genesis: string): Refusal | null {
  if (e.body.kind === 'genesis') {
    if (e.id !== genesis) return { zh: '不是本办公室的创建记录', en: 'not this office\'s founding entry' }
    if (e.by !== e.body.admin.id) return { zh: '创建记录的签名人不是首位管理员', en: 'founding entry not signed by its admin' }
    return verifyObject('directory', e, e.body.admin.publicKey) ? null : { zh: '签名无效', en: 'bad signature' }
  }
  if (!d.office) return { zh: '办公室尚未创建', en: 'office not founded yet' }
  const signer = d.users.get(e.by)
  if (!signer) return { zh: '签名人不在名录中', en: 'signer not in the directory' }
  if (!verifyObject('directory', e, signer.publicKey)) return { zh: '签名无效', en: 'bad signature' }
  if (!signer.active) return { zh: '签名人已停用', en: 'signer deactivated' }
  if (e.body.kind === 'password' && e.body.userId === e.by) return null
  if (!signer.roles.includes('admin')) return { zh: '签名人不是管理员', en: 'signer is not an administrator' }
  if (e.body.kind === 'user') {
    const next = e.body.user
    const before = d.users.get(next.id)
    const adminsAfter = [...d.users.values()].filter((u) => (u.id === next.id ? isAdmin(next) : isAdmin(u)))
    if (adminsAfter.length === 0 && isAdmin(before)) return { zh: '办公室至少要保留一位管理员', en: 'the office must keep one administrator' }
  }
  return null
}

function apply(e: DirEntry, d: Directory): void {
  const b = e.body
  switch (b.kind) {
    case 'genesis':
      d.office = { ...b.office }
      d.users.set(b.admin.id, b.admin)
      return
    case 'user': d.users.set(b.user.id, b.user); return
    case 'password': {
      const u = d.users.get(b.userId)
      if (u) d.users.set(u.id, { ...u, credential: b.credential })
      return
    }
    case 'grant': d.grants.set(b.grant.id, { ...b.grant }); return
    case 'ungrant': d.grants.delete(b.grantId); return
    case 'company': d.company = { ...b.company }; return
    case 'settings': d.settings = { ...b.settings }; return
    case 'pcApprove':
      if (!d.pcs.has(b.pc) && !d.revoked.has(b.pc)) d.pcs.set(b.pc, { name: b.name, publicKey: b.publicKey, by: e.by, at: e.at })
      return
    case 'pcRevoke': {
      const prev = d.revoked.get(b.pc)
      // Two revocations of one PC: the stricter cut-off holds, whatever order they were folded in.
      if (!prev || b.upTo < prev.upTo) d.revoked.set(b.pc, { upTo: b.upTo, by: e.by, at: e.at, ...(b.reason ? { reason: b.reason } : {}) })
      return
    }
    case 'decide':
      if (!d.decisions.has(b.finding)) d.decisions.set(b.finding, { accept: b.accept, by: e.by, at: e.at, ...(b.comment ? { comment: b.comment } : {}) })
      return
  }
}

/** An empty directory (before the genesis entry). */
export function emptyDirectory(): Directory {
  return {
    users: new Map(), grants: new Map(), company: { name: '', address: '', phone: '' }, settings: { ...DEFAULT_OFFICE_SETTINGS },
    pcs: new Map(), revoked: new Map(), decisions: new Map(), refused: new Map(),
  }
}

/**
 * Folds entries into the directory: `genesis` is the id of the office's founding entry (from this
 * PC's own setup or the vault). A pure function of the SET of entries: duplicates and arrival order
 * do not matter.
 */
export function foldDirectory(entries: Iterable<DirEntry>, genesis: string): Directory {
  const d = emptyDirectory()
  const unique = new Map<string, DirEntry>()
  for (const e of entries) if (!unique.has(e.id)) unique.set(e.id, e)
  for (const e of [...unique.values()].sort(byOrder)) {
    const no = whyNot(e, d, genesis)
    if (no) d.refused.set(e.id, no)
    else apply(e, d)
  }
  return d
}

/** The plain users of a directory, by name (what lists and pickers show). */
export function directoryUsers(d: Directory): User[] {
  return [...d.users.values()].map(({ publicKey: _k, credential: _c, ...u }) => u).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))
}

/** The highest entry number per device among `entries`: the view a new signed entry declares. */
export function viewOf(entries: Iterable<Pick<DirEntry, 'dev' | 'n'>>): Record<string, number> {
  const v: Record<string, number> = {}
  for (const e of entries) if ((v[e.dev] ?? 0) < e.n) v[e.dev] = e.n
  return v
}

/** Roles held on `day` (own, then through grants), given a directory; mirrors workflow.rolesOf. */
export function heldRoles(d: Directory, userId: string, day: string): Array<{ role: Role; actingFor?: string; grant?: string }> {
  const u = d.users.get(userId)
  if (!u || !u.active) return []
  const out: Array<{ role: Role; actingFor?: string; grant?: string }> = u.roles.map((role) => ({ role }))
  for (const g of d.grants.values()) {
    if (g.proxyId !== userId || g.from > day || g.to < day) continue
    const p = d.users.get(g.principalId)
    if (!p || !p.active || !p.roles.includes(g.role) || p.id === userId) continue
    out.push({ role: g.role, actingFor: p.id, grant: g.id })
  }
  return out
}
