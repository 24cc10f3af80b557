/**
 * The deciding parts of `npm run render` (scripts/render.ts): its arguments, where a form's
 * fixtures live and which one it prints, and how a record file becomes a print input. No output,
 * no exit: the script does that, the tests call these.
 */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { FormDef } from '../../forms/schema/types'
import { approvalsFromAudit, type ApprovalEntry } from '../../renderer/core/pdf/approvals'
import type { PrintInput } from '../../renderer/core/pdf/build-doc'

/** A mistake in the arguments or the record file, said in zh-CN; the script exits with code 2. */
export class UsageError extends Error {}

export type RenderArgs =
  | { kind: 'help' }
  /** One form: from `data`, or from the form's fixture when no data file is given. */
  | { kind: 'one'; form: string; data?: string; out?: string; released: boolean }
  /** Every form with a print layout, each from its fixture, into the folder `outDir`. */
  | { kind: 'all'; outDir: string; released: boolean }

/** Reads the command line (the part after `--`). Throws UsageError. */
export function parseRenderArgs(argv: string[]): RenderArgs {
  let values
  try {
    values = parseArgs({
      args: argv,
      options: {
        form: { type: 'string' }, data: { type: 'string' }, out: { type: 'string' },
        all: { type: 'boolean', default: false }, released: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values
  } catch (e) {
    throw new UsageError(`参数有误：${(e as Error).message}`)
  }
  if (values.help) return { kind: 'help' }
  const released = values.released === true
  if (values.all) {
    if (values.form || values.data) throw new UsageError('--all 不能与 --form 或 --data 同用（--all 打印每个表单的样例数据）')
    if (!values.out) throw new UsageError('缺少 --out（--all 的输出目录）')
    return { kind: 'all', outDir: values.out, released }
  }
  if (!values.form) throw new UsageError('缺少 --form（或用 --all 打印全部表单）')
  return { kind: 'one', form: values.form, ...(values.data ? { data: values.data } : {}), ...(values.out ? { out: values.out } : {}), released }
}

/** A form's folder under forms/: its id in kebab-case (customerEvaluation → customer-evaluation). */
export function formFolder(formId: string): string {
  return formId.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
}

/** Where a form keeps its fixtures (the records forms/fixtures.test.ts validates). */
export function fixtureDir(root: string, formId: string): string {
  return join(root, 'forms', formFolder(formId), 'fixtures')
}

/**
 * The fixture a form prints from when no data file is given: the one named after its folder
 * (forms/quotation/fixtures/quotation.json), otherwise the first by name; null when it has none.
 */
export function defaultFixture(root: string, formId: string): string | null {
  const dir = fixtureDir(root, formId)
  if (!existsSync(dir)) return null
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
  const own = `${formFolder(formId)}.json`
  const pick = files.includes(own) ? own : files[0]
  return pick ? join(dir, pick) : null
}

/** A record file as `--data` takes it and the fixtures store it. */
export interface RecordFile {
  number: string
  version: number
  state: string
  values: PrintInput['record']['values']
  lines?: PrintInput['record']['lines']
  refs?: PrintInput['refs']
  /** Records named by printed line reference columns (a line's product), by `<lines>.<column>` then id. */
  lineRefs?: PrintInput['lineRefs']
  company?: PrintInput['company']
  /** The document's audit trail (optional): the approvals boxes print who made and approved it. */
  audit?: ApprovalEntry[]
  /** Names of the users its user fields name (业务员, 授权签约人), by id. */
  users?: Record<string, string>
}

/** Checks a parsed record file; throws UsageError naming what is missing (`source` names the file). */
export function checkRecord(data: unknown, source: string): RecordFile {
  const r = data as Partial<RecordFile> | null
  if (!r || typeof r !== 'object' || Array.isArray(r)) throw new UsageError(`数据文件应是一个对象：${source}`)
  if (typeof r.number !== 'string' || r.number === '') throw new UsageError('数据文件缺少 "number"（单号）')
  if (typeof r.version !== 'number') throw new UsageError('数据文件缺少 "version"（版本，数字）')
  if (!r.values || typeof r.values !== 'object') throw new UsageError('数据文件缺少 "values"（字段值）')
  if (r.audit !== undefined) {
    const ok = Array.isArray(r.audit) && r.audit.every((e) => e && typeof e.action === 'string' && typeof e.at === 'string' && typeof e.actor?.name === 'string')
    if (!ok) throw new UsageError('数据文件的 "audit" 应是审计记录数组，每条含 action、at 和 actor.name')
  }
  return { state: 'draft', ...r } as RecordFile
}

/** The letterhead printed when the record file carries none. */
export const DEFAULT_COMPANY = { name: '本公司', address: '（未设置地址）', phone: '（未设置电话）' }

/** The print input of a record file, approvals derived from its audit trail as the app does. */
export function inputFromRecord(form: FormDef, r: RecordFile, released: boolean): PrintInput {
  return {
    form,
    record: { number: r.number, version: r.version, state: r.state, values: r.values, lines: r.lines ?? {} },
    refs: r.refs ?? {},
    lineRefs: r.lineRefs ?? {},
    company: r.company ?? DEFAULT_COMPANY,
    released,
    ...(r.users ? { users: r.users } : {}),
    ...(r.audit ? { approvals: approvalsFromAudit(r.audit.map((e) => ({ ...e, changes: e.changes ?? [] }))) } : {}),
  }
}
