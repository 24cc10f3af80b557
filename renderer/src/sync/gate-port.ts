/**
 * The Dexie side of the trust gate (core/trust/gate.ts): the directory and merged audit entries it
 * judges by, and the `findings` table where it keeps what it did not merge.
 */
import type { OfficeState } from '../data/directory'
import type { DeskDb } from '../data/db'
import type { FormDef } from '@forms/schema/types'
import type { GatePort } from '@core/trust/gate'

/** Creates the gate port of one PC's database. */
export function createGatePort(db: DeskDb, forms: (id: string) => FormDef): GatePort {
  return {
    async genesis() {
      const o = (await db.settings.get('office'))?.value as OfficeState | undefined
      return o && o.kind !== 'none' ? o.genesis : undefined
    },
    directoryEntries: () => db.directory.toArray(),
    auditByIds: (ids) => db.audit.bulkGet(ids),
    auditOfDocs: (docIds) => db.audit.where('docId').anyOf(docIds).toArray(),
    hasAudit: async () => (await db.audit.limit(1).count()) > 0,
    form: (id) => { try { return forms(id) } catch { return undefined } },
    formsOfDocs: async (docIds) => (await db.docs.bulkGet(docIds)).map((d) => d?.form),
    findings: () => db.findings.toArray(),
    putFindings: async (f) => { await db.findings.bulkPut(f) },
    dropFindings: async (ids) => { await db.findings.bulkDelete(ids) },
    auditSince: (at) => db.audit.where('at').aboveOrEqual(at).toArray(),
    knownDirectory: async () => ((await db.meta.get('gate:knownDirectory'))?.value as string[] | undefined) ?? [],
    setKnownDirectory: async (ids) => { await db.meta.put({ key: 'gate:knownDirectory', value: ids }) },
    now: () => new Date().toISOString(),
  }
}
