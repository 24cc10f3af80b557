/** The render script as a person runs it: clear zh-CN errors with exit code 2, a summary on success. */
import { describe, expect, it } from 'vitest'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { forms } from '../../../forms/registry'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'md-render-'))
const render = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/render.ts', ...args], { cwd: root, encoding: 'utf8' })

describe('npm run render', () => {
  it('renders a fixture and prints path, pages, size and identity', () => {
    const out = join(dir, 'q.pdf')
    const r = render('--form', 'quotation', '--data', 'forms/quotation/fixtures/quotation.json', '--out', out, '--released')
    expect(r.status).toBe(0)
    expect(r.stdout).toContain(out)
    expect(r.stdout).toMatch(/页数 \/ pages: 1/)
    expect(r.stdout).toMatch(/MD:BJ2506-A7-0012:V2:[0-9A-F]{8}/)
    expect(readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-')
  })

  it('renders a form from its own fixture when no --data is given (approvals from the fixture’s audit trail)', () => {
    const out = join(dir, 'fixture.pdf')
    const r = render('--form', 'quotation', '--out', out, '--released')
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toContain('forms/quotation/fixtures/quotation.json（样例）')
    expect(r.stdout).toMatch(/MD:BJ2506-A7-0012:V2:[0-9A-F]{8}/)
    const text = execFileSync('pdftotext', ['-raw', out, '-'], { encoding: 'utf8' }).replace(/\s+/g, '')
    expect(text).toContain('审核/批准：李强（代王建国）2025-06-12')
  })

  it('renders every printable form with --all, one line each with pages and bytes', () => {
    const outDir = join(dir, 'all')
    const r = render('--all', '--out', outDir)
    expect(r.status, r.stderr).toBe(0)
    const lines = r.stdout.trim().split('\n')
    const printable = forms.filter((f) => f.print).map((f) => f.id)
    expect(lines).toHaveLength(printable.length)
    for (const id of printable) {
      const line = lines.find((l) => l.startsWith(`${id} `))
      const bytes = statSync(join(outDir, `${id}.pdf`)).size
      expect(line, id).toMatch(new RegExp(`^${id}\\s+\\d+ 页 / pages\\s+${bytes} 字节 / bytes\\s+`))
      expect(readFileSync(join(outDir, `${id}.pdf`)).subarray(0, 5).toString()).toBe('%PDF-')
    }
  })

  it('refuses bad arguments and unreadable JSON in Chinese, exit code 2', () => {
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, '{ "number": ')
    const cases: Array<[string[], string]> = [
      [['--data', bad, '--out', join(dir, 'x.pdf')], '缺少 --form'],
      [['--form', 'nope', '--data', bad, '--out', join(dir, 'x.pdf')], '未知表单：nope'],
      [['--form', 'quotation', '--data', bad, '--out', join(dir, 'x.pdf')], '数据文件不是有效的 JSON'],
      [['--form', 'quotation', '--data', join(dir, 'missing.json'), '--out', join(dir, 'x.pdf')], '无法读取数据文件'],
      [['--bogus'], '参数有误'],
      [['--form', 'customer'], '表单 customer 没有打印格式'],
      [['--all'], '缺少 --out'],
    ]
    for (const [args, message] of cases) {
      const r = render(...args)
      expect(r.status, args.join(' ')).toBe(2)
      expect(r.stderr).toContain(`错误：${message}`)
    }
  })

  it('explains a document number the QR cannot carry instead of failing inside pdfmake', () => {
    const data = JSON.parse(readFileSync(join(root, 'forms/quotation/fixtures/quotation.json'), 'utf8'))
    const file = join(dir, 'lower.json')
    writeFileSync(file, JSON.stringify({ ...data, number: 'bj-2506-a-0012' }))
    const r = render('--form', 'quotation', '--data', file, '--out', join(dir, 'y.pdf'))
    expect(r.status).not.toBe(0)
    expect(r.stderr).toContain('无法写入二维码')
  })
})
