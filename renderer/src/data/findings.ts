/**
 * What the 安全 list and a document's banner show of the trust gate's findings: the change this PC
 * did not take, in the clerk's words (which document, who it claims, which PC, why).
 */
import type { AuditEntry } from '@core/model'
import type { Finding } from '@core/trust/gate'
import { chainBreaks, type ChainBreak } from '@core/trust/chain'
import type { DeskDb } from './db'
import type { DeskDirectoryStore } from './directory'

/** A finding as shown. */
export interface FindingView {
  id: string
  pc: string
  pcName?: string
  verdict: Finding['verdict']
  reason: Finding['reason']
  table: string
  docId?: string
  docNumber?: string
  auditId?: string
  signerName?: string
  firstAt: string
  /** What the change would have done, in plain words. */
  summary: { zh: string; en: string }
}

export interface FindingStore {
  /** Every finding, newest first. */
  all(): Promise<FindingView[]>
  /** The refused or held findings about one document (its 审批未通过校验 banner). */
  forDoc(docId: string): Promise<FindingView[]>
  /** Breaks in the per-PC audit chains: an entry removed or altered here or on the PC that wrote it. */
  chainBreaks(): Promise<ChainBreak[]>
}

function summaryOf(f: Finding): { zh: string; en: string } {
  const c = f.change
  if (c.table === 'audit') {
    const e = c.fields as unknown as Partial<AuditEntry>
    const st = e.changes?.find((x) => x.field === 'state')
    const act = String(e.action ?? '')
    if (act.startsWith('transition:')) return { zh: `操作“${act.slice(11)}”${st ? `（${String(st.from)} → ${String(st.to)}）` : ''}`, en: `transition ${act.slice(11)}` }
    return { zh: `操作记录（${act || '未知'}）`, en: `audit entry (${act || 'unknown'})` }
  }
  if (c.table === 'docs' && 'state' in c.fields) return { zh: `单据状态改为“${String(c.fields.state)}”`, en: `document state set to ${String(c.fields.state)}` }
  if (c.table === 'users') return { zh: '修改用户资料或角色', en: 'user record or roles changed' }
  if (c.table === 'proxies') return { zh: '修改职务代理', en: 'proxy grant changed' }
  if (c.table === 'settings') return { zh: '修改公司资料', en: 'letterhead changed' }
  if (c.table === '$trust') return { zh: '批准电脑加入', en: 'PC approval' }
  return { zh: `${c.table} 记录更改`, en: `${c.table} change` }
}

/** Creates the finding store. */
export function createFindingStore(db: DeskDb, directory: DeskDirectoryStore, pcNames: () => Promise<Map<string, string>>): FindingStore {
  async function view(rows: Finding[]): Promise<FindingView[]> {
    const d = await directory.directory()
    const names = await pcNames().catch(() => new Map<string, string>())
    const docs = await db.docs.bulkGet([...new Set(rows.flatMap((f) => (f.docId ? [f.docId] : [])))])
    const numbers = new Map(docs.flatMap((x) => (x ? [[x.id, x.number] as [string, string]] : [])))
    return rows.sort((a, b) => (a.firstAt < b.firstAt ? 1 : -1)).map((f) => {
      const v: FindingView = { id: f.id, pc: f.pc, verdict: f.verdict, reason: f.reason, table: f.change.table, firstAt: f.firstAt, summary: summaryOf(f) }
      const pcName = names.get(f.pc) ?? d.pcs.get(f.pc)?.name
      if (pcName) v.pcName = pcName
      if (f.docId) { v.docId = f.docId; const n = numbers.get(f.docId); if (n) v.docNumber = n }
      if (f.auditId) v.auditId = f.auditId
      const signer = f.signer ? d.users.get(f.signer)?.name ?? f.signer : undefined
      if (signer) v.signerName = signer
      return v
    })
  }
  return {
    all: async () => view(await db.findings.toArray()),
    forDoc: async (docId) => view((await db.findings.where('docId').equals(docId).toArray()).filter((f) => f.verdict !== 'waiting')),
    async chainBreaks() {
      // Held or refused entries are links of their chain too: they are not missing, only not applied.
      const kept = (await db.findings.toArray()).flatMap((f) => (f.change.table === 'audit' ? [f.change.fields as unknown as AuditEntry] : []))
      return chainBreaks([...(await db.audit.toArray()), ...kept])
    },
  }
}
