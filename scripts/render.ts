/**
 * npm run render -- --form quotation --data forms/quotation/fixtures/quotation.json --out /tmp/q.pdf [--released]
 * Renders any form's PDF from a JSON record file with the app's own builder (see --help).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { forms, formById } from '../forms/registry'
import type { PrintInput } from '../renderer/core/pdf/build-doc'
import { renderPdfNode } from './pdf-node'

const HELP = `用法 / usage:
  npm run render -- --form <表单id> --data <记录.json> --out <输出.pdf> [--released]

  --form      表单 id：${forms.filter((f) => f.print).map((f) => f.id).join(', ')}
  --data      记录 JSON 文件，格式：
                {
                  "number": "BJ2506-A7-0012",        单号（大写字母、数字、-）
                  "version": 2,                      版本
                  "state": "approved",               状态
                  "values": { "字段": 值, ... },      金额以分（整数）表示，日期 "YYYY-MM-DD"
                  "lines": { "items": [ { "id": "l1", "values": { ... } } ] },
                  "refs": { "customer": { "values": { "fullName": "...", ... } } },   可选：引用的记录
                  "lineRefs": { "items.product": { "<id>": { "values": { "code": "..." } } } },   可选：明细引用的记录
                  "company": { "name": "...", "address": "...", "phone": "..." }       可选：抬头
                }
  --out       输出 PDF 路径
  --released  已审批（不加“草稿·未审批”水印）；缺省按草稿打印

  Prints the output path, page count, size and the printed identity. Exit 2 on bad arguments.`

const DEFAULT_COMPANY = { name: '本公司', address: '（未设置地址）', phone: '（未设置电话）' }

function fail(message: string): never {
  process.stderr.write(`错误：${message}\n\n${HELP}\n`)
  process.exit(2)
}

interface RecordFile {
  number: string
  version: number
  state: string
  values: PrintInput['record']['values']
  lines?: PrintInput['record']['lines']
  refs?: PrintInput['refs']
  lineRefs?: PrintInput['lineRefs']
  company?: PrintInput['company']
}

function readRecord(path: string): RecordFile {
  let text: string
  try { text = readFileSync(path, 'utf8') } catch { fail(`无法读取数据文件 ${path}`) }
  let data: unknown
  try { data = JSON.parse(text) } catch (e) { fail(`数据文件不是有效的 JSON：${path}（${(e as Error).message}）`) }
  const r = data as Partial<RecordFile> | null
  if (!r || typeof r !== 'object') fail(`数据文件应是一个对象：${path}`)
  if (typeof r.number !== 'string' || r.number === '') fail('数据文件缺少 "number"（单号）')
  if (typeof r.version !== 'number') fail('数据文件缺少 "version"（版本，数字）')
  if (!r.values || typeof r.values !== 'object') fail('数据文件缺少 "values"（字段值）')
  return { state: 'draft', ...r } as RecordFile
}

async function main(): Promise<void> {
  let args
  try {
    args = parseArgs({
      options: { form: { type: 'string' }, data: { type: 'string' }, out: { type: 'string' }, released: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }).values
  } catch (e) {
    fail(`参数有误：${(e as Error).message}`)
  }
  if (args.help) { process.stdout.write(`${HELP}\n`); return }
  if (!args.form) fail('缺少 --form')
  if (!args.data) fail('缺少 --data')
  if (!args.out) fail('缺少 --out')
  let form
  try { form = formById(args.form) } catch { fail(`未知表单：${args.form}`) }
  if (!form.print) fail(`表单 ${args.form} 没有打印格式`)
  const r = readRecord(args.data)

  const input: PrintInput = {
    form,
    record: { number: r.number, version: r.version, state: r.state, values: r.values, lines: r.lines ?? {} },
    refs: r.refs ?? {},
    lineRefs: r.lineRefs ?? {},
    company: r.company ?? DEFAULT_COMPANY,
    released: args.released === true,
  }
  const pdf = await renderPdfNode(input)
  writeFileSync(args.out, pdf.bytes)
  process.stdout.write([
    `输出 / out:   ${args.out}`,
    `页数 / pages: ${pdf.pages}`,
    `大小 / size:  ${(pdf.bytes.length / 1024).toFixed(1)} KB`,
    `标识 / id:    ${pdf.identity.subject}${form.print.returnable ? '（每页二维码）' : ''}`,
    ...(pdf.missingGlyphs.length ? [`警告：字体缺字（打印为空白）：${pdf.missingGlyphs.join(' ')}`] : []),
  ].join('\n') + '\n')
}

main().catch((e: unknown) => {
  process.stderr.write(`渲染失败：${(e as Error).message ?? String(e)}\n`)
  process.exit(1)
})
