/**
 * A form's gathered part (GatherDef): values and lines computed from other records, written by the
 * data layer on every save and shown by the screen as soon as the inputs are filled. Pure apart from
 * the lookup it is given.
 */
import type { FormData, FormDef, GatherContext, LineRow, Values } from '../../forms/schema/types'
import type { LineRecord } from './model'
import type { LoadedDoc } from './ports'
import { groupLines } from './records'
import { isEmpty } from './validation'
import { isEditable } from './workflow'
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

/**
 * The gathered part is recomputed whenever the document is shown or printed in `state`: the form
 * asks for it (`gather.live`) and the state no longer takes edits, so no save would refresh it.
 */
export function gathersLive(def: FormDef, state: string): boolean {
  return !!def.gather?.live && !isEditable(def, state)
}

/**
 * The loaded document as shown or printed: in a state where `gathersLive`, its gathered fields as
 * the records stand now (a submitted forecast's 实际合同 of a month that began after it was
 * submitted); otherwise the document as stored. Never written: the stored values stay what the
 * last save wrote.
 */
export async function withLiveGathered(def: FormDef, loaded: LoadedDoc, ctx: GatherContext): Promise<LoadedDoc> {
  const { doc } = loaded
  if (!gathersLive(def, doc.state)) return loaded
  const stored = groupLines(loaded.lines.filter((l) => !l.deleted))
  const g = await withGathered(def, { values: doc.values, lines: stored }, { ...ctx, self: doc.id })
  const written = new Set(def.gather!.writes)
  const lines: LineRecord[] = loaded.lines.filter((l) => !written.has(l.field))
  for (const key of written) {
    if (!(key in g.lines)) continue
    g.lines[key]!.forEach((row, seq) => lines.push({ id: row.id, docId: doc.id, field: key, seq, values: row.values }))
  }
  return { doc: { ...doc, values: g.values }, lines }
}
