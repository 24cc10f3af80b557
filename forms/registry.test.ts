/**
 * Checks every form definition for the mistakes that would otherwise surface only on a screen or
 * a printout: duplicate keys, references to missing fields, unknown guards, unreachable states.
 */
import { describe, expect, it } from 'vitest'
import type { FieldDef, FormDef } from './schema/types'
import { formById, forms } from './registry'
import { formatNumber } from '../renderer/core/numbering'
import { approvalSteps, transitionsOf, withApprovals } from '../renderer/core/workflow'

const dupes = (xs: string[]) => xs.filter((x, i) => xs.indexOf(x) !== i)
const keysOf = (f: FormDef) => f.fields.map((x) => x.key)
const field = (f: FormDef, key: string): FieldDef | undefined => f.fields.find((x) => x.key === key)

describe('the form registry', () => {
  it('has unique form ids and number prefixes (numbers of two forms never look alike)', () => {
    expect(dupes(forms.map((f) => f.id))).toEqual([])
    expect(dupes(forms.map((f) => f.numbering.prefix))).toEqual([])
    for (const f of forms) expect(() => formatNumber(f.numbering.prefix, '2026-11-03', 'A7', 1), f.id).not.toThrow()
    expect(formById('quotation').id).toBe('quotation')
    expect(() => formById('nope')).toThrow()
  })
})

describe.each(forms.map((f) => [f.id, f] as const))('form %s', (_id, form) => {
  it('has unique field, column and section keys, and fields in existing sections', () => {
    expect(dupes(keysOf(form))).toEqual([])
    expect(dupes(form.sections.map((s) => s.key))).toEqual([])
    for (const f of form.fields) {
      if (f.section) expect(form.sections.map((s) => s.key), `${f.key}.section`).toContain(f.section)
      if (f.type === 'lines') expect(dupes(f.columns.map((c) => c.key)), f.key).toEqual([])
    }
  })
  it('list columns, search, title field refer to existing fields or number', () => {
    const known = new Set([...keysOf(form), 'number'])
    for (const k of [...form.list.columns, ...form.list.search, form.titleField, ...(form.titleDetail ?? [])]) expect(known.has(k), k).toBe(true)
  })
  it('a reference column\'s recall names a header field, a column of its lines and a header date', () => {
    for (const lf of form.fields) {
      if (lf.type !== 'lines') continue
      for (const c of lf.columns) {
        if (c.type !== 'reference' || !c.recall) continue
        expect(field(form, c.recall.by)?.type, `${c.key}.recall.by`).toBeDefined()
        expect(lf.columns.map((x) => x.key), `${c.key}.recall.value`).toContain(c.recall.value)
        if (c.recall.date) expect(field(form, c.recall.date)?.type, `${c.key}.recall.date`).toBe('date')
      }
    }
  })
  it('select defaults are among the options; references name a registered form', () => {
    const all = form.fields.flatMap((f): FieldDef[] => (f.type === 'lines' ? [f, ...f.columns] : [f]))
    for (const f of all) {
      if (f.type === 'select' && f.default !== undefined) expect(f.options.map((o) => o.value), f.key).toContain(f.default)
      if (f.type === 'reference') expect(() => formById(f.to), f.key).not.toThrow()
    }
  })
  it('mirrored fields name a reference field of the form, to a form that has the mirrored field or lines column', () => {
    const all = form.fields.flatMap((f): FieldDef[] => (f.type === 'lines' ? [f, ...f.columns] : [f]))
    for (const f of all) {
      if (!f.mirror) continue
      expect(f.computed, `${f.key} is mirrored, so read-only`).toBe(true)
      const ref = field(form, f.mirror.ref)
      expect(ref?.type, `${f.key}: ${f.mirror.ref}`).toBe('reference')
      const source = formById((ref as { to: string }).to)
      if ('field' in f.mirror) expect(field(source, f.mirror.field), `${f.key} ← ${f.mirror.field}`).toBeDefined()
      else {
        const lines = field(source, f.mirror.lines)
        expect(lines?.type === 'lines' && lines.columns.some((c) => c.key === (f.mirror as { column: string }).column), `${f.key} ← ${f.mirror.lines}`).toBe(true)
      }
    }
  })
  it('computed fields and columns have a function (or are set by a transition), and every function has its field', () => {
    const setByTransition = new Set(form.workflow?.transitions.flatMap((t) => [...Object.keys(t.sets ?? {}), ...(t.asks ?? []), ...(t.effect ? form.effects?.[t.effect]?.writes ?? [] : [])]) ?? [])
    const gathered = new Set(form.gather?.writes ?? [])
    for (const f of form.fields) {
      if (f.computed) expect(!!form.computed?.[f.key] || setByTransition.has(f.key) || !!f.mirror || gathered.has(f.key), `${f.key} has no function`).toBe(true)
      if (f.type === 'lines' && !gathered.has(f.key)) {
        for (const c of f.columns) if (c.computed && !c.mirror) expect(form.lineComputed?.[`${f.key}.${c.key}`], `${f.key}.${c.key}`).toBeTypeOf('function')
      }
    }
    for (const key of Object.keys(form.computed ?? {})) expect(field(form, key)?.computed, key).toBe(true)
    for (const path of Object.keys(form.lineComputed ?? {})) {
      const [lines, col] = path.split('.')
      const f = field(form, lines ?? '')
      expect(f?.type === 'lines' && f.columns.find((c) => c.key === col)?.computed, path).toBe(true)
    }
    for (const key of setByTransition) expect(field(form, key), `sets ${key}`).toBeDefined()
  })
  it('a gathered part names its gatherer, existing inputs, and computed fields it writes', () => {
    if (!form.gather) return
    expect(form.gatherers?.[form.gather.run], form.gather.run).toBeTypeOf('function')
    for (const key of form.gather.inputs) expect(field(form, key), `input ${key}`).toBeDefined()
    for (const key of form.gather.writes) expect(field(form, key)?.computed, `writes ${key}`).toBe(true)
    // A live part is recomputed when shown, never stored: a list column would show the stale stored figure.
    if (form.gather.live) for (const key of form.gather.writes) expect(form.list?.columns ?? [], `live ${key} listed`).not.toContain(key)
  })
  it('print blocks refer to existing fields of the right kind', () => {
    if (!form.print) return
    const known = new Set([...keysOf(form), 'number'])
    for (const b of form.print.blocks) {
      switch (b.kind) {
        case 'fields': for (const k of b.fields) expect(known.has(k), k).toBe(true); break
        case 'text': expect(known.has(b.field), b.field).toBe(true); break
        case 'totals':
          for (const k of b.fields) expect(known.has(k), k).toBe(true)
          expect(field(form, b.capital)?.type, b.capital).toBe('money')
          break
        case 'lines': {
          const f = field(form, b.field)
          expect(f?.type, b.field).toBe('lines')
          if (f?.type === 'lines') for (const c of b.columns ?? []) expect(f.columns.map((x) => x.key), c).toContain(c)
          break
        }
        case 'party': {
          const f = field(form, b.reference)
          expect(f?.type, b.reference).toBe('reference')
          if (f?.type === 'reference') {
            const other = formById(f.to)
            for (const k of b.fields) expect(keysOf(other), `${f.to}.${k}`).toContain(k)
          }
          break
        }
        case 'signatures': expect(b.parties.length).toBeGreaterThan(0); break
        case 'approvals': {
          // Each box names actions the document can record: create, revise, or one of its transitions
          // (countersign sign-offs included, those of members signing above an amount once one is set).
          const above = Object.fromEntries(approvalSteps(form).filter((s) => s.above).map((s) => [s.key, 0]))
          const office = withApprovals(form, undefined, { [form.id]: above })
          const actions = new Set(['create', 'revise', ...(office.workflow ? transitionsOf(office.workflow).map((t) => t.id) : [])])
          expect(b.rows.length).toBeGreaterThan(0)
          for (const r of b.rows) {
            expect(r.actions.length, r.label.zh).toBeGreaterThan(0)
            for (const a of r.actions) expect(actions.has(a), `${r.label.zh}: ${a}`).toBe(true)
          }
          break
        }
      }
    }
    // The signature boxes are drawn at the bottom of the last page: nothing may follow them in the
    // layout but one approvals line (printed under them, in the last page's footer).
    const sign = form.print.blocks.findIndex((b) => b.kind === 'signatures')
    if (sign >= 0) expect([[], ['approvals']], 'after signatures').toContainEqual(form.print.blocks.slice(sign + 1).map((b) => b.kind))
  })
  it('workflow: known states, unique transitions, existing guards, every state reachable', () => {
    const wf = form.workflow
    if (!wf) return
    const states = Object.keys(wf.states)
    expect(states).toContain(wf.initial)
    if (wf.reviseTo) expect(states).toContain(wf.reviseTo)
    // The scan importer applies it to a signed copy: it must exist, and only a returnable form has one.
    if (wf.signedReturn) {
      expect(wf.transitions.map((t) => t.id), 'signedReturn').toContain(wf.signedReturn)
      expect(form.print?.returnable, 'signedReturn on a form that is not returnable').toBe(true)
    }
    expect(dupes(wf.transitions.map((t) => t.id))).toEqual([])
    for (const t of wf.transitions) {
      for (const s of [...t.from, t.to]) expect(states, `${t.id}: ${s}`).toContain(s)
      for (const g of t.guards ?? []) expect(form.guards?.[g], `${t.id} guard ${g}`).toBeTypeOf('function')
    }
    const all = transitionsOf(wf)
    const reached = new Set([wf.initial])
    for (let grew = true; grew;) {
      grew = false
      for (const t of all) {
        for (const to of [t.to, t.completes].filter((x): x is string => !!x)) {
          if (t.from.some((s) => reached.has(s)) && !reached.has(to)) { reached.add(to); grew = true }
        }
      }
    }
    expect(states.filter((s) => !reached.has(s)), 'unreachable states').toEqual([])
  })
  it('engine declarations name what exists: conditions, asked fields, assignees, countersigns, deadlines, derive links, section rights', () => {
    const wf = form.workflow
    const states = Object.keys(wf?.states ?? {})
    for (const t of wf ? transitionsOf(wf) : []) {
      if (t.when) expect(form.conditions?.[t.when], `${t.id} when ${t.when}`).toBeTypeOf('function')
      for (const k of t.asks ?? []) expect(field(form, k), `${t.id} asks ${k}`).toBeDefined()
      if (t.assignee) expect(field(form, t.assignee)?.type, `${t.id} assignee`).toBe('user')
      for (const id of [...(t.separateFrom ?? []), ...(t.sameActorAs ?? [])]) expect(transitionsOf(wf!).map((x) => x.id), `${t.id} names ${id}`).toContain(id)
    }
    for (const [name, s] of Object.entries(wf?.states ?? {})) {
      if (!s.countersign) continue
      expect(states, `${name} countersign.to`).toContain(s.countersign.to)
      expect(dupes(s.countersign.members.map((m) => m.key))).toEqual([])
      for (const m of s.countersign.members) expect(m.roles.length, `${name}.${m.key}`).toBeGreaterThan(0)
    }
    for (const d of form.deadlines ?? []) for (const st of d.states) expect(states, `deadline ${d.id}`).toContain(st)
    for (const d of form.derive ?? []) {
      const src = formById(d.from)
      const link = field(form, d.link)
      expect(link?.type === 'reference' && link.to, `derive link ${d.link}`).toBe(d.from)
      for (const st of d.states ?? []) expect(Object.keys(src.workflow?.states ?? {}), `derive from ${d.from} in ${st}`).toContain(st)
    }
    for (const sec of form.sections) for (const st of sec.edit?.states ?? []) expect(states, `${sec.key} edit state`).toContain(st)
    for (const c of form.pickChecks ?? []) {
      expect(field(form, c.field)?.type, `pickCheck ${c.field}`).toBe('reference')
      expect(form.guards?.[c.guard], `pickCheck guard ${c.guard}`).toBeTypeOf('function')
      if (c.fix) expect(formById(c.fix).derive?.some((d) => d.from === (field(form, c.field) as { to: string }).to), `fix ${c.fix}`).toBe(true)
    }
  })
})