/**
 * Fault 31, second line of defence: numbers carry the issuing PC's code (numbering.ts), so they
 * cannot collide unless two PCs were given the same code while offline. After sync such a clash
 * is detected here, the same way on every PC: the document whose number was written first (lowest
 * HLC, then PC id) keeps it; the others are flagged for renumbering (issued ones stay visible with
 * a flag, nothing is silently changed on paper already printed).
 */
import { heads, materialize, type RecordState } from './merge'

/** One number carried by several live records. */
export interface NumberCollision { table: string; number: string; keeper: string; flagged: string[] }

/** Finds live records of `table` sharing a value of `field`; deterministic on every PC. */
export function numberCollisions(records: Iterable<RecordState>, table = 'docs', field = 'number'): NumberCollision[] {
  const byNumber = new Map<string, Array<{ key: string; first: string }>>()
  for (const r of records) {
    if (r.table !== table) continue
    const m = materialize(r)
    const n = m.values[field]
    if (!m.alive || typeof n !== 'string' || n === '') continue
    const ws = r.fields[field] ?? []
    // When the number was first given to this record: its earliest write with the shown value.
    const first = ws.find((w) => w.v === n)?.h ?? heads(ws)[0]?.h ?? ''
    const list = byNumber.get(n) ?? []
    list.push({ key: r.key, first })
    byNumber.set(n, list)
  }
  const out: NumberCollision[] = []
  for (const [number, list] of byNumber) {
    if (list.length < 2) continue
    list.sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : a.key < b.key ? -1 : 1))
    out.push({ table, number, keeper: list[0]!.key, flagged: list.slice(1).map((x) => x.key) })
  }
  return out.sort((a, b) => (a.number < b.number ? -1 : 1))
}
