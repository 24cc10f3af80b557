/**
 * npm run render -- --form quotation [--data forms/quotation/fixtures/quotation.json] [--out /tmp/q.pdf] [--released]
 * npm run render -- --all --out <folder> [--released]
 * Renders forms' PDFs from JSON record files (or each form's fixture) with the app's own builder (see --help).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { forms, formById } from '../forms/registry'
import type { FormDef } from '../forms/schema/types'
import { renderPdfNode, type NodePdf } from './pdf-node'
import { UsageError, checkRecord, defaultFixture, inputFromRecord, parseRenderArgs, type RecordFile } from './lib/render-args'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const printable = forms.filter((f) => f.print)

const HELP = `用法 / usage:
  npm run render -- --form <表单id> [--data <记录.json>] [--out <输出.pdf>] [--released]
  npm run render -- --all --out <输出目录> [--released]

  --form      表单 id：${printable.map((f) => f.id).join(', ')}
  --data      记录 JSON 文件；缺省用该表单的样例数据 forms/<表单>/fixtures/<表单>.json（没有则取第一个）。格式：
                {
                  "number": "BJ2506-A7-0012",        单号（大写字母、数字、-）
                  "version": 2,                      版本
                  "state": "approved",               状态
                  "values": { "字段": 值, ... },      金额以分（整数）表示，日期 "YYYY-MM-DD"
                  "lines": { "items": [ { "id": "l1", "values": { ... } } ] },
                  "refs": { "customer": { "values": { "fullName": "...", ... } } },   可选：引用的记录
                  "lineRefs": { "items.product": { "<id>": { "values": { "code": "..." } } } },   可选：明细引用的记录
                  "company": { "name": "...", "address": "...", "phone": "..." },      可选：抬头
                  "audit": [ { "action": "transition:approve", "at": "2025-06-12T00:50:00.000Z",
                               "day": "2025-06-12", "actor": { "name": "李强" },
                               "changes": [ { "field": "state", "from": "pending", "to": "approved" } ] } ]
                                                     可选：审计记录，打印制单/审核/批准
                }
  --out       输出 PDF 路径（缺省 <表单id>.pdf）；与 --all 同用时为输出目录，每个表单写 <表单id>.pdf
  --all       打印每个有打印格式的表单（用各自的样例数据），每个表单输出一行：页数、字节数
  --released  已审批（不加“草稿·未审批”水印）；缺省按草稿打印

  Prints the output path, page count, size and the printed identity. Exit 2 on bad arguments,
  1 when a form could not be rendered.`

function fail(message: string): never {
  process.stderr.write(`错误：${message}\n\n${HELP}\n`)
  process.exit(2)
}

function readRecord(path: string): RecordFile {
  let text: string
  try { text = readFileSync(path, 'utf8') } catch { throw new UsageError(`无法读取数据文件 ${path}`) }
  let data: unknown
  try { data = JSON.parse(text) } catch (e) { throw new UsageError(`数据文件不是有效的 JSON：${path}（${(e as Error).message}）`) }
  return checkRecord(data, path)
}

function printableForm(id: string): FormDef & { print: NonNullable<FormDef['print']> } {
  let form: FormDef
  try { form = formById(id) } catch { throw new UsageError(`未知表单：${id}`) }
  if (!form.print) throw new UsageError(`表单 ${id} 没有打印格式`)
  return form as FormDef & { print: NonNullable<FormDef['print']> }
}

function fixtureOf(id: string): string {
  const file = defaultFixture(ROOT, id)
  if (!file) throw new UsageError(`表单 ${id} 没有样例数据（forms/…/fixtures/*.json），请用 --data 指定记录文件`)
  return file
}

async function renderOne(form: FormDef, dataFile: string, out: string, released: boolean): Promise<NodePdf> {
  const pdf = await renderPdfNode(inputFromRecord(form, readRecord(dataFile), released))
  writeFileSync(out, pdf.bytes)
  return pdf
}

async function main(): Promise<void> {
  const args = parseRenderArgs(process.argv.slice(2))
  if (args.kind === 'help') { process.stdout.write(`${HELP}\n`); return }

  if (args.kind === 'one') {
    const form = printableForm(args.form)
    const data = args.data ?? fixtureOf(form.id)
    const out = args.out ?? `${form.id}.pdf`
    const pdf = await renderOne(form, data, out, args.released)
    process.stdout.write([
      `输出 / out:   ${out}`,
      ...(args.data ? [] : [`数据 / data:  ${relative(ROOT, data)}（样例）`]),
      `页数 / pages: ${pdf.pages}`,
      `大小 / size:  ${(pdf.bytes.length / 1024).toFixed(1)} KB`,
      `标识 / id:    ${pdf.identity.subject}${form.print.returnable ? '（每页二维码）' : ''}`,
      ...(pdf.missingGlyphs.length ? [`警告：字体缺字（打印为空白）：${pdf.missingGlyphs.join(' ')}`] : []),
    ].join('\n') + '\n')
    return
  }

  // --all: one line per printable form; a form that fails is reported and the others still render.
  mkdirSync(args.outDir, { recursive: true })
  let failed = 0
  const width = Math.max(...printable.map((f) => f.id.length))
  for (const form of printable) {
    const out = join(args.outDir, `${form.id}.pdf`)
    try {
      const pdf = await renderOne(form, fixtureOf(form.id), out, args.released)
      const warn = pdf.missingGlyphs.length ? `  警告：缺字 ${pdf.missingGlyphs.join(' ')}` : ''
      process.stdout.write(`${form.id.padEnd(width)}  ${pdf.pages} 页 / pages  ${pdf.bytes.length} 字节 / bytes  ${out}${warn}\n`)
    } catch (e) {
      failed++
      process.stdout.write(`${form.id.padEnd(width)}  失败 / failed: ${(e as Error).message}\n`)
    }
  }
  if (failed) {
    process.stderr.write(`${failed} 个表单未能打印 / ${failed} form(s) failed\n`)
    process.exitCode = 1
  }
}

main().catch((e: unknown) => {
  if (e instanceof UsageError) fail(e.message)
  process.stderr.write(`渲染失败：${(e as Error).message ?? String(e)}\n`)
  process.exit(1)
})
