/**
 * A stored document as the form's pure functions see it: line records grouped per lines field in
 * their order. One place, so the store, the workflow, the importer and the PDF group alike.
 */
import type { DocSnapshot, LineRow } from '../../forms/schema/types'
import type { LineRecord } from './model'
import type { LoadedDoc } from './ports'

/** Line records grouped per lines field, sorted by `seq`; values are copied, never shared. */
export function groupLines(lines: ReadonlyArray<Pick<LineRecord, 'id' | 'field' | 'seq' | 'values'>>): Record<string, LineRow[]> {
  const out: Record<string, LineRow[]> = {}
  for (const l of [...lines].sort((a, b) => a.seq - b.seq)) (out[l.field] ??= []).push({ id: l.id, values: { ...l.values } })
  return out
}

/** A loaded document as guards and rules see it. */
export function toSnapshot(loaded: LoadedDoc): DocSnapshot {
  const { doc } = loaded
  return { id: doc.id, form: doc.form, number: doc.number, state: doc.state, version: doc.version, values: doc.values, lines: groupLines(loaded.lines) }
}
