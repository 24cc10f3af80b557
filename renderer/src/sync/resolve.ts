/**
 * Resolving a sync conflict is an ordinary business write (sync.md "Merge"): the chosen value is
 * written to the record with its audit entry and outbox row in one transaction. When it is
 * stamped, that write has seen every competing value, so the conflict closes on every PC.
 */
import type { Actor, AuditEntry, OutboxRow } from '@core/model'
import type { Conflict } from '@core/sync/merge'
import type { FormDef } from '@forms/schema/types'
import { refsOf, type DeskDb, type StoredDoc } from '../data/db'
import { docSearchWords } from '../data/documents'
import { VISIBLE_TABLES } from './dexie-store'
import { sealAudit } from '../data/audit'
import type { SignedIn } from '../data/directory'

/** Thrown when a conflict cannot be resolved from this PC (a table the app does not show). */
export class ResolveError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ResolveError'
  }
}

function setPath(row: Record<string, unknown>, field: string, value: unknown): void {
  const parts = field.split('.')
  let o = row
  for (const p of parts.slice(0, -1)) {
    const next = o[p]
    o = (o[p] = next && typeof next === 'object' ? { ...(next as Record<string, unknown>) } : {}) as Record<string, unknown>
  }
  o[parts[parts.length - 1] as string] = value
}

/**
 * Writes the clerk's choice for a conflict. `value` is the chosen (or edited) value for a value
 * conflict; for an edit/delete conflict `false` restores the record and `true` confirms the delete.
 */
export async function writeResolution(db: DeskDb, forms: (id: string) => FormDef, conflict: Conflict, value: unknown, actor: Actor, at: string, signer: SignedIn | null): Promise<void> {
  const pk = VISIBLE_TABLES[conflict.table]
  if (!pk || (conflict.table === 'settings' && conflict.key !== 'company')) throw new ResolveError(`无法在本机解决此冲突（${conflict.table}） / cannot resolve a conflict of ${conflict.table} here`)
  if (conflict.kind === 'editDelete' && typeof value !== 'boolean') throw new ResolveError('请选择恢复或删除 / choose restore or delete')
  const table = db.table(conflict.table)
  const auditId = crypto.randomUUID()
  await db.transaction('rw', [table, db.docs, db.audit, db.outbox, db.meta, db.settings, db.directory], async () => {
    const before = (await table.get(conflict.key)) as Record<string, unknown> | undefined
    const row: Record<string, unknown> = before ? structuredClone(before) : { [pk]: conflict.key }
    const outbox: OutboxRow[] = []
    let from: unknown = conflict.values[0]?.value ?? null
    if (conflict.kind === 'value') {
      setPath(row, conflict.field, value)
      const fields: Record<string, unknown> = { [conflict.field]: value }
      if (conflict.table === 'docs') Object.assign(fields, { updatedAt: at, updatedBy: actor.userId })
      // A chosen state names the signed entry that chose it, like any state (core/trust/judge.ts).
      if (conflict.table === 'docs' && conflict.field === 'state') fields.stateBy = auditId
      outbox.push({ table: conflict.table, key: conflict.key, op: 'put', fields, at, exported: 0 })
    } else {
      from = before ? !before.deleted ? false : true : null
      const restore = value === false
      if (restore) delete row.deleted
      else row.deleted = true
      outbox.push(restore
        ? { table: conflict.table, key: conflict.key, op: 'put', fields: conflict.table === 'docs' ? { updatedAt: at, updatedBy: actor.userId } : {}, at, exported: 0 }
        : { table: conflict.table, key: conflict.key, op: 'delete', fields: { deleted: true }, at, exported: 0 })
      if (conflict.table === 'docs' && before && typeof before.form === 'string' && Boolean(before.deleted) === restore) {
        const k = `count:${before.form}`
        const cur = ((await db.meta.get(k))?.value as number | undefined) ?? 0
        await db.meta.put({ key: k, value: Math.max(0, cur + (restore ? 1 : -1)) })
      }
    }
    if (before) {
      if (conflict.table === 'docs') {
        const doc = row as unknown as StoredDoc
        let def: FormDef | undefined
        try { def = forms(doc.form) } catch { def = undefined }
        doc.searchWords = !doc.deleted && def ? await docSearchWords(db, forms, def, doc.number, doc.values ?? {}) : []
        doc.refs = refsOf(doc.form, doc.values ?? {})
        doc.updatedAt = at
        doc.updatedBy = actor.userId
      }
      await table.put(row)
    }
    const docId = conflict.table === 'docs' ? conflict.key : typeof row.docId === 'string' ? row.docId : conflict.key
    const entry: AuditEntry = {
      id: auditId, docId, at, actor, action: 'resolveConflict',
      changes: [{ field: conflict.field, from, to: value }],
    }
    if (conflict.table === 'docs' && typeof row.form === 'string') entry.form = row.form
    const sealed = await sealAudit(db, signer, entry)
    outbox.push({ table: 'audit', key: sealed.id, op: 'put', fields: { ...sealed }, at, exported: 0 })
    await db.outbox.bulkAdd(outbox)
  })
}
