/**
 * A form's gathered part (GatherDef): values and lines computed from other records, written by the
 * data layer on every save and shown by the screen as soon as the inputs are filled. Pure apart from
 * the lookup it is given.
 */
import type { FormData, FormDef, GatherContext, LineRow, Values } from '../../forms/schema/types'
import { isEmpty } from './validation'
import { uuidv7 } from './uuid'

const same = (a: Values, b: Values) => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  return [...keys].every((k) => (a[k] ?? null) === (b[k] ?? null))
}

/**
 * Gathered rows keep the id of an identical row the document already has, so a save that gathers
 * the same entries changes no line (no audit noise, nothing to sync); others get a new one.
 */
function keepIds(rows: readonly LineRow[], before: readonly LineRow[]): LineRow[] {
  const free = [...before]
  return rows.map((row) => {
    const i = free.findIndex((b) => same(b.values, row.values))
    if (i < 0) return { id: uuidv7(), values: row.values }
    const [hit] = free.splice(i, 1)
    return { id: hit!.id, values: row.values }
  })
}

/** The inputs' values, one string per input: equal keys mean the gathered part need not be recomputed. */
export function gatherKey(def: FormDef, data: FormData): string | undefined {
  if (!def.gather) return undefined
  const rows = (def.gather.lines ?? []).map((k) => (data.lines[k] ?? []).map((r) => r.values))
  return JSON.stringify([def.gather.inputs.map((k) => data.values[k] ?? null), ...rows])
}

/**
 * The data with its gathered fields computed now: only `writes` are taken from the gatherer's
 * result; with an input empty they are cleared (nothing to gather from).
 */
export async function withGathered(def: FormDef, data: FormData, ctx: GatherContext): Promise<FormData> {
  const g = def.gather
  if (!g) return data
  const run = def.gatherers?.[g.run]
  if (!run) throw new Error(`form ${def.id}: gather names unknown gatherer ${g.run}`)
  const ready = g.inputs.every((k) => !isEmpty(data.values[k]))
  const result: FormData = ready ? await run(data, ctx) : { values: {}, lines: {} }
  const values = { ...data.values }
  const lines = { ...data.lines }
  for (const key of g.writes) {
    const f = def.fields.find((x) => x.key === key)
    if (f?.type === 'lines') lines[key] = keepIds(result.lines[key] ?? [], data.lines[key] ?? [])
    else values[key] = result.values[key] ?? null
  }
  return { values, lines }
}
