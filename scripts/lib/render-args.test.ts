/** The deciding parts of `npm run render`: arguments, which fixture a form prints, record files. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { forms, formById } from '../../forms/registry'
import { UsageError, checkRecord, defaultFixture, formFolder, inputFromRecord, parseRenderArgs } from './render-args'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const dirs: string[] = []
const tempRoot = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'md-render-args-'))
  dirs.push(d)
  return d
}
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }) })

const usage = (argv: string[]): string => {
  try { parseRenderArgs(argv) } catch (e) { expect(e).toBeInstanceOf(UsageError); return (e as Error).message }
  throw new Error(`accepted: ${argv.join(' ')}`)
}

describe('parseRenderArgs', () => {
  it('keeps the original form: --form --data --out [--released]', () => {
    expect(parseRenderArgs(['--form', 'quotation', '--data', 'q.json', '--out', 'q.pdf', '--released']))
      .toEqual({ kind: 'one', form: 'quotation', data: 'q.json', out: 'q.pdf', released: true })
  })

  it('takes --form alone (the fixture, <id>.pdf decided by the script)', () => {
    expect(parseRenderArgs(['--form', 'quotation'])).toEqual({ kind: 'one', form: 'quotation', released: false })
  })

  it('takes --all with an output folder, and nothing that names one form', () => {
    expect(parseRenderArgs(['--all', '--out', 'pdfs'])).toEqual({ kind: 'all', outDir: 'pdfs', released: false })
    expect(parseRenderArgs(['--all', '--out', 'pdfs', '--released'])).toMatchObject({ kind: 'all', released: true })
    expect(usage(['--all'])).toContain('缺少 --out')
    expect(usage(['--all', '--form', 'quotation', '--out', 'x'])).toContain('--all 不能与 --form 或 --data 同用')
    expect(usage(['--all', '--data', 'q.json', '--out', 'x'])).toContain('--all 不能与')
  })

  it('says what is wrong in Chinese', () => {
    expect(usage([])).toContain('缺少 --form')
    expect(usage(['--bogus'])).toContain('参数有误')
    expect(usage(['--form'])).toContain('参数有误')
  })

  it('answers --help / -h', () => {
    expect(parseRenderArgs(['--help'])).toEqual({ kind: 'help' })
    expect(parseRenderArgs(['-h', '--form', 'x'])).toEqual({ kind: 'help' })
  })
})

describe('defaultFixture', () => {
  it('takes the fixture named after the form, else the first by name, else none', () => {
    const root = tempRoot()
    const dir = path.join(root, 'forms', 'sample-shipment', 'fixtures')
    expect(defaultFixture(root, 'sampleShipment')).toBeNull()
    mkdirSync(dir, { recursive: true })
    expect(defaultFixture(root, 'sampleShipment')).toBeNull()
    writeFileSync(path.join(dir, 'b-long.json'), '{}')
    writeFileSync(path.join(dir, 'a-free.json'), '{}')
    writeFileSync(path.join(dir, 'notes.txt'), '')
    expect(defaultFixture(root, 'sampleShipment')).toBe(path.join(dir, 'a-free.json'))
    writeFileSync(path.join(dir, 'sample-shipment.json'), '{}')
    expect(defaultFixture(root, 'sampleShipment')).toBe(path.join(dir, 'sample-shipment.json'))
  })

  it('finds one for every printable form of the registry', () => {
    expect(formFolder('customerEvaluation')).toBe('customer-evaluation')
    for (const f of forms.filter((x) => x.print)) expect(defaultFixture(ROOT, f.id), f.id).toMatch(/\.json$/)
    expect(defaultFixture(ROOT, 'quotation')).toBe(path.join(ROOT, 'forms', 'quotation', 'fixtures', 'quotation.json'))
  })
})

describe('record files', () => {
  const record = { number: 'BJ2506-A7-0012', version: 2, values: { contact: '陈秀娟' } }

  it('needs number, version and values; the state defaults to draft', () => {
    expect(checkRecord(record, 'r.json').state).toBe('draft')
    expect(() => checkRecord([], 'r.json')).toThrow('数据文件应是一个对象')
    expect(() => checkRecord({ ...record, number: '' }, 'r.json')).toThrow('"number"')
    expect(() => checkRecord({ ...record, version: '2' }, 'r.json')).toThrow('"version"')
    expect(() => checkRecord({ number: 'X', version: 1 }, 'r.json')).toThrow('"values"')
    expect(() => checkRecord({ ...record, audit: [{ action: 'create' }] }, 'r.json')).toThrow('"audit"')
  })

  it('prints the approvals its audit trail records, as the app does', () => {
    const audit = [
      { action: 'transition:submit', at: '2025-06-11T03:30:00.000Z', day: '2025-06-11', actor: { userId: 'u1', name: '张敏' }, changes: [{ field: 'state', from: 'draft', to: 'pending' }] },
      { action: 'transition:approve', at: '2025-06-12T00:50:00.000Z', day: '2025-06-12', actor: { userId: 'u2', name: '王建国' } },
    ]
    const input = inputFromRecord(formById('quotation'), checkRecord({ ...record, audit }, 'r.json'), true)
    expect(input.approvals).toEqual({
      submit: { name: '张敏', day: '2025-06-11', at: '2025-06-11T03:30:00.000Z' },
      approve: { name: '王建国', day: '2025-06-12', at: '2025-06-12T00:50:00.000Z' },
    })
    expect(input.released).toBe(true)
    expect(input.company.name).toBe('本公司')
    expect(inputFromRecord(formById('quotation'), checkRecord(record, 'r.json'), false).approvals).toBeUndefined()
  })
})
