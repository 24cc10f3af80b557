/**
 * Fault 21: the same real customer created on two offline PCs gives two records with different
 * UUIDs. Both are kept (sync never merges records by guessing); this finder offers the pairs to a
 * person, who merges them as an ordinary edit (re-point references, delete the extra record).
 */
import { materialize, type RecordState } from './merge'

/** A group of live records that look like the same thing. */
export interface DuplicateGroup { table: string; match: string; keys: string[] }

/** Normalises a name for comparison: full-width → half-width, no spaces or punctuation, lower case. */
export function normalizeName(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '').replace(/(有限责任公司|股份有限公司|有限公司|公司)$/u, '')
}

/** Groups live records of `table` whose `fields` (any one of them, normalised) are equal. */
export function findDuplicates(records: Iterable<RecordState>, table: string, fields: string[]): DuplicateGroup[] {
  const groups = new Map<string, Set<string>>()
  for (const r of records) {
    if (r.table !== table) continue
    const m = materialize(r)
    if (!m.alive) continue
    for (const f of fields) {
      const v = m.values[f]
      if (typeof v !== 'string' || v.trim() === '') continue
      const id = `${f}:${normalizeName(v)}`
      const set = groups.get(id) ?? new Set<string>()
      set.add(r.key)
      groups.set(id, set)
    }
  }
  return [...groups.entries()].filter(([, s]) => s.size > 1)
    .map(([match, s]) => ({ table, match, keys: [...s].sort() }))
    .sort((a, b) => (a.match < b.match ? -1 : 1))
}
