/**
 * The sync engine's gate (`SyncGate`): before any received change is merged, it is checked on
 * this PC against the signed directory (judge.ts). Accepted changes merge as before; the others
 * are kept whole as findings (审批未通过校验) for the 安全 list, never merged and never lost, and
 * are checked again after every round (a waiting directory entry arrived, an administrator decided
 * a held one). The same gate checks this PC's own outgoing changes, so a raw outbox row shows the
 * same finding on the PC that wrote it.
 */
import type { FormDef } from '../../../forms/schema/types'
import type { AuditEntry } from '../model'
import type { Change } from '../sync/segment'
import type { SyncGate } from '../sync/engine'
import type { DirEntry, Refusal } from './directory'
import { DirectoryIndex, judgeAudit, judgeStateWrite, ownerFields, type JudgeContext, type Verdict } from './judge'
import { inView } from './directory'
import { docChangeProblem } from './schema-check'
import { preverify, verifyObject } from './sign'
import { canonicalJson } from '../identity'

/** A change this PC did not merge, and why. */
export interface Finding {
  /** The change's identity: table, key and HLC. */
  id: string
  /** The sync id of the PC whose file carried it. */
  pc: string
  change: Change
  verdict: 'refused' | 'held' | 'waiting'
  reason: Refusal
  /** The document it concerns, the audit entry that signs it and the user it claims, when known. */
  docId?: string
  auditId?: string
  signer?: string
  /** ISO time this PC first saw it. */
  firstAt: string
}

/** What the gate reads and keeps (the app's Dexie adapter; a memory one in tests). */
export interface GatePort {
  /** The office's founding entry id; undefined while this profile belongs to no office. */
  genesis(): Promise<string | undefined>
  directoryEntries(): Promise<DirEntry[]>
  /** Merged (so accepted) audit entries by id. */
  auditByIds(ids: string[]): Promise<Array<AuditEntry | undefined>>
  /** Merged audit entries of these documents (one read). */
  auditOfDocs(docIds: string[]): Promise<AuditEntry[]>
  /** True when any audit entry is merged on this PC. */
  hasAudit(): Promise<boolean>
  form(id: string): FormDef | undefined
  /** The forms of stored documents, in order (undefined when this PC has not got one yet). */
  formsOfDocs?(docIds: string[]): Promise<Array<string | undefined>>
  findings(): Promise<Finding[]>
  putFindings(f: Finding[]): Promise<void>
  dropFindings(ids: string[]): Promise<void>
  /** Merged audit entries made at or after `at` (ISO). */
  auditSince(at: string): Promise<AuditEntry[]>
  /** The directory entry ids the gate had seen at its last `settle` (kept across restarts). */
  knownDirectory(): Promise<string[]>
  setKnownDirectory(ids: string[]): Promise<void>
  now(): string
}

/** A merged transition to take back: a directory entry that arrived late took its signer's right away first. */
export interface Retraction { auditId: string; docId: string }

/** Tables whose rows only the signed directory may produce. */
const DIRECTORY_ONLY = new Set(['users', 'proxies', 'settings'])

/** A change's identity. */
export const changeId = (c: Pick<Change, 'table' | 'key' | 'hlc'>): string => `${c.table}\u0000${c.key}\u0000${c.hlc}`

const refused = (zh: string, en: string): Verdict => ({ v: 'refused', reason: { zh, en } })

/** The gate of one PC. */
export class TrustGate implements SyncGate {
  constructor(private readonly port: GatePort) {}

  /**
   * The directory entries, read once per round: a read waits behind every import transaction, and
   * entries only ever get added (insert-only). Entries this gate accepts are added to it as they
   * pass; `settle` (the end of a round) reads the table again, so entries an administrator made on
   * this PC meanwhile count from the next round, and `lateDirectory` re-checks what they affect.
   */
  private dirCache: DirEntry[] | undefined
  private async entries(): Promise<DirEntry[]> {
    return (this.dirCache ??= await this.port.directoryEntries())
  }

  /** The office's founding entry: read until there is one, then kept (it never changes). */
  private genesisId: string | undefined
  private async genesis(): Promise<string | undefined> {
    return (this.genesisId ??= await this.port.genesis())
  }

  /** Splits changes into those to merge now (returned) and findings (stored). */
  async admit(pc: string, changes: Change[]): Promise<Change[]> {
    const genesis = await this.genesis()
    if (!genesis) {
      // No office yet on this profile (joining): only the directory may arrive; the rest waits.
      const wait = changes.filter((c) => c.table !== 'directory')
      if (wait.length) await this.port.putFindings(wait.map((c) => this.finding(pc, c, { v: 'waiting', reason: { zh: '等待办公室人员名录', en: 'waiting for the office directory' } })))
      return changes.filter((c) => c.table === 'directory')
    }
    const dir = new DirectoryIndex(await this.entries(), genesis)
    const batchDir = changes.filter((c) => c.table === 'directory' && c.op === 'put').map((c) => c.fields as unknown as DirEntry)
    dir.add(batchDir.filter((e) => typeof e.id === 'string' && typeof e.dev === 'string' && typeof e.n === 'number'))
    // While no audit entry is merged here yet, every one merged from now on is judged with at least
    // these directory entries: none of them can arrive "late" for it (see lateDirectory).
    if (!this.auditsMerged && !(this.auditsMerged = await this.port.hasAudit()) && (await this.port.knownDirectory()).length === 0) {
      await this.port.setKnownDirectory(dir.list().map((e) => e.id))
    }
    const audits = changes.filter((c) => c.table === 'audit').map((c) => ({ change: c, entry: c.fields as unknown as AuditEntry }))
    this.batchAudits = new Map(audits.map((a) => [a.change.key, a.entry]))
    // Signatures checked in one native batch first (the pure checks below then hit the memo).
    const keysOf = (userId: unknown): string[] => [...new Set(dir.list().flatMap((e) => (e.body.kind === 'user' && e.body.user.id === userId ? [e.body.user.publicKey] : e.body.kind === 'genesis' && e.body.admin.id === userId ? [e.body.admin.publicKey] : [])))]
    await preverify('audit', audits.flatMap((a) => keysOf(a.entry.actor?.userId).map((publicKey) => ({ obj: a.entry, publicKey }))))
    // One read for both: the batch's audit ids (insert-only check) and the entries its state writes name.
    const stateBys = changes.flatMap((c) => (c.table === 'docs' && typeof c.fields.stateBy === 'string' ? [c.fields.stateBy] : []))
    const ids = [...new Set([...audits.map((a) => a.change.key), ...stateBys])]
    const found = ids.length ? await this.port.auditByIds(ids) : []
    const merged = new Map(found.flatMap((a) => (a ? [[a.id, a] as [string, AuditEntry]] : [])))
    const { verdicts, ctx } = await this.judgeAudits(dir, audits, merged)
    const storedAudits = new Map(stateBys.flatMap((id) => { const a = merged.get(id); return a ? [[id, a] as [string, AuditEntry]] : [] }))
    this.dirVerdicts = await this.judgeDirectory(changes, dir)
    const accepted = [...this.dirVerdicts].flatMap(([c, v]) => (v.v === 'accepted' ? [c.fields as unknown as DirEntry] : []))
    if (accepted.length && this.dirCache) {
      const have = new Set(this.dirCache.map((e) => e.id))
      this.dirCache = [...this.dirCache, ...accepted.filter((e) => !have.has(e.id))]
    }
    const findings = await this.port.findings()
    const out: Change[] = []
    const held: Finding[] = []
    const docForms = new Map<string, FormDef | undefined>()
    const unknownForm: string[] = []
    for (const c of changes) {
      if (c.table !== 'docs' || c.op !== 'put' || docForms.has(c.key)) continue
      if (typeof c.fields.form === 'string') docForms.set(c.key, this.port.form(c.fields.form))
      else { docForms.set(c.key, undefined); unknownForm.push(c.key) }
    }
    const stored = unknownForm.length && this.port.formsOfDocs ? await this.port.formsOfDocs(unknownForm) : []
    unknownForm.forEach((key, i) => { const id = stored[i]; if (id) docForms.set(key, this.port.form(id)) })
    for (const c of changes) {
      const shape = c.table === 'docs' && c.op === 'put' ? docChangeProblem(c.fields, docForms.get(c.key)) : null
      if (shape) { held.push(this.finding(pc, c, { v: shape.unknownField ? 'waiting' : 'refused', reason: { zh: shape.zh, en: shape.en } })); continue }
      const v = this.verdictOf(c, dir, verdicts, storedAudits, findings, ctx)
      if (v.v === 'accepted') out.push(c)
      else held.push(this.finding(pc, c, v))
    }
    if (held.length) await this.port.putFindings(held)
    return out
  }

  /**
   * After a round: re-checks waiting and held findings (returns the changes now to merge, and drops
   * their findings), and finds merged transitions that directory entries arrived since the last
   * round now hold (a revocation their signer's PC had not seen): the engine takes those back out
   * of the merge and hands them to `admit` again, which keeps them as held findings. So every PC
   * ends with the same merged state whatever order the files came in.
   */
  async settle(): Promise<{ admit: Change[]; retract: Retraction[] }> {
    this.dirCache = undefined
    try {
      const admit = await this.reopen()
      return { admit, retract: await this.lateDirectory() }
    } finally {
      this.dirCache = undefined
    }
  }

  private async lateDirectory(): Promise<Retraction[]> {
    const genesis = await this.genesis()
    if (!genesis) return []
    const entries = await this.port.directoryEntries()
    const known = new Set(await this.port.knownDirectory())
    const fresh = entries.filter((e) => !known.has(e.id))
    if (fresh.length === 0) return []
    const minAt = fresh.reduce((m, e) => (e.at < m ? e.at : m), fresh[0]!.at)
    const dir = new DirectoryIndex(entries, genesis)
    const candidates = (await this.port.auditSince(minAt)).filter((e) =>
      (e.action.startsWith('transition:') || (e.action === 'resolveConflict' && e.changes?.some((c) => c.field === 'state')))
      && fresh.some((f) => !inView(f, e.view ?? {}) && f.at <= e.at))
    const out: Retraction[] = []
    if (candidates.length) {
      const { verdicts } = await this.judgeAudits(dir, candidates.map((e) => ({ change: { table: 'audit', key: e.id, op: 'put', fields: e as unknown as Record<string, unknown>, hlc: '', pc: '' }, entry: e })))
      for (const e of candidates) if (verdicts.get(e.id)?.v !== 'accepted') out.push({ auditId: e.id, docId: e.docId })
    }
    await this.port.setKnownDirectory(entries.map((e) => e.id))
    return out
  }

  /** Re-checks waiting and held findings; returns the changes now to merge (and drops their findings). */
  private async reopen(): Promise<Change[]> {
    const admitted: Change[] = []
    // Until nothing moves: a state write waits on its audit entry, which may wait on the directory.
    for (let pass = 0; pass < 4; pass++) {
      const open = (await this.port.findings()).filter((f) => f.verdict !== 'refused')
      if (open.length === 0) break
      const before = new Map(open.map((f) => [f.id, f.verdict]))
      this.seen = new Map(open.map((f) => [f.id, { at: f.firstAt, pc: f.pc }]))
      // Audit entries first, all in ONE batch: a state write is judged by the verdict on its audit entry.
      const changes = open.map((f) => f.change).sort((a, b) => Number(b.table === 'audit') - Number(a.table === 'audit'))
      await this.port.dropFindings(open.map((f) => f.id))
      try {
        const ok = await this.admit('', changes)
        admitted.push(...ok)
      } finally {
        this.seen = new Map()
      }
      const after = new Map((await this.port.findings()).map((f) => [f.id, f.verdict]))
      if ([...before].every(([id, v]) => after.get(id) === v)) break
    }
    return admitted
  }

  /** The sequence number after which a revoked PC's files are not applied (undefined: not revoked). */
  async revokedAfter(pc: string): Promise<number | undefined> {
    const genesis = await this.genesis()
    if (!genesis) return undefined
    return new DirectoryIndex(await this.entries(), genesis).all().revoked.get(pc)?.upTo
  }

  /** Judges audit entries in time order; `merged` holds the ones already merged here, by id (read when not given). */
  private async judgeAudits(dir: DirectoryIndex, batch: Array<{ change: Change; entry: AuditEntry }>, merged?: Map<string, AuditEntry>) {
    const verdicts = new Map<string, Verdict>()
    // Insert-only: an entry already merged here may arrive again only as the very same entry.
    const keys = batch.map((b) => b.change.key)
    const already = merged ? keys.map((k) => merged.get(k)) : batch.length ? await this.port.auditByIds(keys) : []
    const mergedAs = new Map(already.flatMap((a) => (a ? [[a.id, canonicalJson(a)] as [string, string]] : [])))
    // A document's trail is read only when the batch holds a transition that must be taken by someone
    // else than an earlier one (separation of duties: approve after submit), or on a document that
    // belongs to one person (its owner is what its entries set), all in one read.
    const needTrail = [...new Set(batch.flatMap(({ entry: e }) => {
      if (typeof e.docId !== 'string' || typeof e.action !== 'string' || typeof e.form !== 'string') return []
      const form = this.port.form(e.form)
      if (ownerFields(form).length) return [e.docId]
      const t = e.action.startsWith('transition:') ? form?.workflow?.transitions.find((x) => x.id === e.action.slice(11)) : undefined
      return t?.separateFrom?.length ? [e.docId] : []
    }))]
    const trail = new Map<string, AuditEntry[]>(needTrail.map((d) => [d, []]))
    if (needTrail.length) for (const e of await this.port.auditOfDocs(needTrail)) trail.get(e.docId)?.push(e)
    const ctx: JudgeContext = {
      dir,
      form: (id) => this.port.form(id),
      lastActor: (docId, transitions, before) => {
        const es = (trail.get(docId) ?? []).filter((e) => e.at < before && transitions.some((t) => e.action === `transition:${t}`))
        es.sort((a, b) => (a.at < b.at ? -1 : 1))
        return es[es.length - 1]?.actor.userId
      },
      valueBefore: (docId, field, before) => {
        let last: { at: string; id: string; to: unknown } | undefined
        for (const e of trail.get(docId) ?? []) {
          if (!(e.at < before) || (last && (e.at < last.at || (e.at === last.at && e.id < last.id)))) continue
          const c = e.changes?.find((x) => x.field === field)
          if (c) last = { at: e.at, id: e.id, to: c.to }
        }
        return last?.to
      },
    }
    // In time order, so an accepted submit in this batch counts for the approval after it.
    for (const { change, entry } of [...batch].sort((a, b) => (String(a.entry.at) < String(b.entry.at) ? -1 : 1))) {
      const prior = mergedAs.get(change.key)
      const v = change.op !== 'put' ? refused('操作记录不可删除', 'audit entries cannot be deleted')
        : prior !== undefined && prior !== canonicalJson(entry) ? refused('操作记录不可改写', 'audit entries cannot be rewritten')
          : judgeAudit(entry, ctx)
      verdicts.set(change.key, v.v === 'accepted' && entry.id !== change.key ? refused('操作记录编号不符', 'audit entry id mismatch') : v)
      if (verdicts.get(change.key)!.v === 'accepted' && typeof entry.docId === 'string') trail.set(entry.docId, [...(trail.get(entry.docId) ?? []), entry])
    }
    return { verdicts, ctx }
  }

  private verdictOf(c: Change, dir: DirectoryIndex, verdicts: Map<string, Verdict>, stored: Map<string, AuditEntry>, findings: Finding[], ctx: JudgeContext): Verdict {
    if (DIRECTORY_ONLY.has(c.table)) return refused('人员、代理和公司资料只能由管理员签名修改', 'users, grants and the letterhead change only through entries signed by an administrator')
    if (c.table === 'audit') return verdicts.get(c.key) as Verdict
    if (c.table === 'directory') return this.dirVerdicts.get(c) ?? { v: 'accepted' }
    if (c.table === '$trust') {
      const pcOk = dir.all().pcs.get(c.key)
      return pcOk && pcOk.publicKey === c.fields.publicKey ? { v: 'accepted' } : refused('批准这台电脑的记录没有管理员签名', 'the PC approval is not signed by an administrator')
    }
    if (c.table === 'docs' && c.op === 'put' && 'state' in c.fields) {
      const by = c.fields.stateBy
      const formOf = (e: AuditEntry) => (e.form ? ctx.form(e.form) : undefined)
      if (typeof by !== 'string') return judgeStateWrite(c.key, c.fields.state, by, undefined, undefined, undefined)
      const inBatch = this.batchAudits.get(by)
      if (inBatch) return judgeStateWrite(c.key, c.fields.state, by, inBatch, verdicts.get(by), formOf(inBatch))
      const entry = stored.get(by)
      if (entry) return judgeStateWrite(c.key, c.fields.state, by, entry, { v: 'accepted' }, formOf(entry))
      const f = findings.find((x) => x.change.table === 'audit' && x.change.key === by)
      if (f) return { v: f.verdict, reason: f.reason }
      return judgeStateWrite(c.key, c.fields.state, by, undefined, undefined, undefined)
    }
    return { v: 'accepted' }
  }

  /** Verdicts on the batch's directory changes (insert-only, whole, signed). */
  private dirVerdicts = new Map<Change, Verdict>()

  /**
   * Directory entries are insert-only and whole: a delete, a partial put, an entry whose signature
   * no office member (or, for the founding entry, its own admin) made, or a second version of an
   * entry already held would change what every PC folds, so each is refused. Whether a signed
   * entry COUNTS is the fold's business (an entry by a non-administrator is kept but ignored).
   */
  private async judgeDirectory(changes: Change[], dir: DirectoryIndex): Promise<Map<Change, Verdict>> {
    const out = new Map<Change, Verdict>()
    const dirChanges = changes.filter((c) => c.table === 'directory')
    if (dirChanges.length === 0) return out
    const held = new Map((await this.entries()).map((e) => [e.id, e]))
    const everyone = dir.all().users
    for (const c of dirChanges) {
      const e = c.fields as unknown as DirEntry
      if (c.op !== 'put' || e.id !== c.key || typeof e.sig !== 'string' || typeof e.by !== 'string' || !e.body) {
        out.set(c, refused('人员名录记录不可删除或部分修改', 'directory entries cannot be deleted or partly changed'))
        continue
      }
      const before = held.get(e.id)
      if (before && canonicalJson(before) !== canonicalJson(e)) {
        out.set(c, refused('人员名录记录已存在，不可改写', 'a directory entry cannot be rewritten'))
        continue
      }
      const keys = e.body.kind === 'genesis' ? [e.body.admin?.publicKey]
        : [everyone.get(e.by)?.publicKey, ...dir.list().flatMap((x) => (x.body.kind === 'user' && x.body.user.id === e.by ? [x.body.user.publicKey] : []))]
      const known = keys.filter((k): k is string => typeof k === 'string')
      // A signer this PC does not know yet (their entry comes from another PC's file) is waited for, not refused.
      if (known.length === 0) out.set(c, { v: 'waiting', reason: { zh: '等待签名人的名录记录', en: 'waiting for the signer\'s directory entry' } })
      else out.set(c, known.some((k) => verifyObject('directory', e, k)) ? { v: 'accepted' } : refused('人员名录记录的签名无效', 'directory entry with a bad signature'))
    }
    return out
  }

  /** Once true, some audit entry is merged on this PC (it never goes back). */
  private auditsMerged = false
  /** Audit entries of the batch being admitted, by id. */
  private batchAudits = new Map<string, AuditEntry>()
  /** First-seen times and PCs of findings being re-checked, so a finding keeps its age and origin. */
  private seen = new Map<string, { at: string; pc: string }>()

  private finding(pc: string, c: Change, v: Verdict): Finding {
    const id = changeId(c)
    const was = this.seen.get(id)
    const f: Finding = { id, pc: was?.pc ?? pc, change: c, verdict: v.v as Finding['verdict'], reason: v.v === 'accepted' ? { zh: '', en: '' } : v.reason, firstAt: was?.at ?? this.port.now() }
    if (c.table === 'audit') {
      const e = c.fields as unknown as AuditEntry
      if (typeof e.docId === 'string') f.docId = e.docId
      f.auditId = c.key
      if (typeof e.actor?.userId === 'string') f.signer = e.actor.userId
    } else if (c.table === 'docs') {
      f.docId = c.key
      if (typeof c.fields.stateBy === 'string') f.auditId = c.fields.stateBy
      if (typeof c.fields.updatedBy === 'string') f.signer = c.fields.updatedBy
    }
    return f
  }
}

