/**
 * Browser side of bench/search.bench.ts: runs in Chromium, imported from the Vite dev server by
 * URL. Opens the data layer the app opens (`openDataLayer`), seeds a realistic office and times
 * `DocumentStore.list` exactly as the list page calls it.
 *
 * Seeding: the ~120 customers and a few quotations go through `documents.create` (the real write
 * path); the other quotations are bulk-written as rows of the same shape, with the index words
 * computed as documents.ts computes them. `seed` checks that claim: the words of the quotations
 * made by `create` must equal what the bulk writer would have made for them.
 */
import type { Actor, DocRecord, LineRecord } from '@core/model'
import type { FormData } from '@forms/schema/types'
import { applyComputed } from '@core/validation'
import { counterKey, formatNumber } from '@core/numbering'
import { searchKeys } from '@core/search'
import { formById } from '@forms/registry'
import { openDataLayer, DEMO_IDS, DEMO_OFFICE, DEMO_PASSWORD, demoDirectory, type DataLayer, type StoredDoc } from '@app/data/index'
import { refsOf } from '@app/data/db'
import { mulberry32 } from '@core/testing/random'

const CITIES = ['深圳市', '东莞市', '佛山市', '广州市', '中山市', '惠州市', '珠海市', '江门市', '宁波市', '苏州市', '厦门市', '台州市', '温州市', '无锡市', '深圳']
const BRANDS = ['华兴', '美达', '精诚', '华艺', '德赛', '海天', '新锐', '宏发', '白云', '格林', '金羚', '黄岩', '华信', '兴达', '恒通', '永盛',
  '宏图', '嘉信', '鸿运', '联创', '富华', '星河', '振华', '盛世', '明阳', '汇丰', '天润', '佳美', '立达', '广源', '凯旋', '瑞丰']
const TRADES = ['塑胶制品', '电器', '模具塑胶', '照明电器', '汽车零部件', '家电配件', '电子科技', '电声', '包装材料', '医疗器械', '五金塑胶', '玩具']
const SURNAMES = ['黄', '李', '王', '陈', '刘', '张', '何', '梁', '周', '吴', '郑', '林', '罗', '谢', '邓']
const GIVEN = ['志华', '美玲', '俊', '海燕', '建国', '丽', '伟', '芳', '强', '敏', '静', '磊', '洋', '勇', '秀英', '桂兰']
const PRODUCTS = [
  ['阻燃PC/ABS合金', 'HT-8130 黑色 UL94 V-0'], ['玻纤增强PP', 'HT-PP30G 本色 30%GF'], ['增韧PA66', 'HT-PA66T 黑色'],
  ['阻燃ABS', 'HT-ABS-V0 白色 色卡 W-102'], ['透明PC', 'HT-PC110 透明'], ['耐候ASA', 'HT-ASA20 灰色'],
  ['改性PBT', 'HT-PBT15G 黑色'], ['高光HIPS', 'HT-HIPS825 白色'],
] as const
const PCS = ['A7', 'B3', 'K9'] as const
/** The customer every benchmark query about 深圳 / szhx is about (process.md's example customer). */
export const HUAXING = '深圳华兴塑胶制品有限公司'

/** ~`n` distinct customer names, 深圳华兴塑胶制品有限公司 among them. */
export function customerNames(n: number, rand: () => number): string[] {
  const names = new Set<string>([HUAXING])
  while (names.size < n) {
    const city = CITIES[Math.floor(rand() * CITIES.length)]!
    const brand = BRANDS[Math.floor(rand() * BRANDS.length)]!
    const trade = TRADES[Math.floor(rand() * TRADES.length)]!
    names.add(`${city}${brand}${trade}有限公司`)
  }
  return [...names]
}

const pick = <T>(xs: readonly T[], rand: () => number): T => xs[Math.floor(rand() * xs.length)]!
const person = (rand: () => number): string => pick(SURNAMES, rand) + pick(GIVEN, rand)
const ymd = (d: Date): string => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`

/** A valid quotation for a customer, 1–5 lines. */
function quotationData(customerId: string, day: string, rand: () => number): FormData {
  const items = Array.from({ length: 1 + Math.floor(rand() * 5) }, (_, i) => {
    const [productName, spec] = pick(PRODUCTS, rand)
    return { id: `i${i + 1}`, values: { productName, spec, quantity: String(500 * (1 + Math.floor(rand() * 20))), unit: 'kg', unitPrice: 1000 + Math.floor(rand() * 2000), taxRate: '13' } }
  })
  const valid = new Date(day)
  valid.setDate(valid.getDate() + 30)
  return {
    values: {
      customer: customerId, contact: person(rand), quoteDate: day, validUntil: ymd(valid), currency: 'CNY',
      tradeMethod: '送货上门', paymentMethod: 'credit', creditDays: 60, deliveryPlace: '客户仓库',
      packaging: '25kg/袋，汽运', qualityRequirement: '按双方确认的样品及色卡，符合 RoHS', remarks: null,
    },
    lines: { items },
  }
}

/**
 * The quotation's search words as documents.ts `searchWordsOf` makes them (list.search is
 * ['number', 'contact'], the title is the customer's full name), so bulk rows are found the same way.
 */
function quotationWords(number: string, contact: string | undefined, customerName: string): string[] {
  const parts = number.split('-')
  const texts = [number, ...parts.slice(1).map((_, i) => parts.slice(i + 1).join('-'))]
  if (contact) texts.push(contact)
  texts.push(customerName)
  const words = new Set<string>()
  for (const t of texts) for (const w of searchKeys(t)) if (w) words.add(`quotation:${w}`)
  return [...words]
}

let layer: DataLayer | undefined

/** Opens the profile's database as the app does (no demo seed). */
export async function open(name = 'marketdesk'): Promise<{ quotations: number }> {
  layer = await openDataLayer({ name })
  // The demo office's directory only (its users and cheap demo passwords): every write is signed.
  if ((await layer.directory.office()).kind === 'none') await layer.directory.installEntries(await demoDirectory(), DEMO_OFFICE)
  return { quotations: await layer.documents.count('quotation') }
}

const L = (): DataLayer => {
  if (!layer) throw new Error('open() first')
  return layer
}

export interface SeedResult {
  customers: number
  quotations: number
  lines: number
  customersMs: number
  bulkMs: number
  /** Of bulkMs, the time inside the IndexedDB write transactions (the rest is generating rows in JS). */
  bulkWriteMs: number
  createMs: number
  totalMs: number
  /** Quotations per customer for the 深圳 / szhx queries. */
  huaxingQuotes: number
  shenzhenCustomers: number
}

/**
 * Seeds `customers` customers (through `create`) and `n` quotations over the last 24 months from
 * three PCs: `n - viaCreate` bulk-written, the last `viaCreate` through `create`.
 */
export async function seed(n: number, customers = 120, viaCreate = 3, vary?: { states: string[]; salespeople: string[] }): Promise<SeedResult> {
  const { db, documents, directory } = L()
  const rand = mulberry32(20261127) // the same office every run
  const actor: Actor = { userId: DEMO_IDS.users.liQiang, name: '李强' }
  const t0 = performance.now()
  // Customers by 张敏 of CS: only CS and marketing management may mark a 老客户 (traded).
  const cs: Actor = { userId: DEMO_IDS.users.zhangMin, name: '张敏' }
  const csIn = await directory.signIn(cs.userId, DEMO_PASSWORD)
  if (!csIn.ok) throw new Error(csIn.message.en)
  await directory.setPcCode('A7')

  const names = customerNames(customers, rand)
  const customerIds: string[] = []
  for (const fullName of names) {
    const d = await documents.create('customer', { values: { fullName, paymentMethod: 'credit', creditDays: 60, traded: true, phone: `0${750 + Math.floor(rand() * 20)}-${2000_0000 + Math.floor(rand() * 7000_0000)}` }, lines: { contacts: [] } }, cs)
    customerIds.push(d.doc.id)
  }
  const signedIn = await directory.signIn(actor.userId, DEMO_PASSWORD)
  if (!signedIn.ok) throw new Error(signedIn.message.en)
  const t1 = performance.now()

  // A skewed share per customer (a few big accounts, a long tail), fixed by the seed.
  const weights = names.map((_, i) => 1 / Math.pow(i + 1, 0.8))
  rand()
  const order = names.map((_, i) => i).sort(() => rand() - 0.5)
  const share = new Array<number>(names.length)
  order.forEach((idx, rank) => { share[idx] = weights[rank]! })
  const cumulative: number[] = []
  let sum = 0
  for (const w of share) cumulative.push((sum += w))
  const customerAt = (): number => {
    const x = rand() * sum
    let lo = 0, hi = cumulative.length - 1
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cumulative[mid]! < x) lo = mid + 1; else hi = mid }
    return lo
  }

  const def = formById('quotation')
  const bulk = n - viaCreate
  const end = new Date()
  const spanMs = 730 * 86400_000
  const seqs = new Map<string, number>()
  const chunk = 1000
  let lineCount = 0
  let huaxingQuotes = 0
  let writeMs = 0
  for (let start = 0; start < bulk; start += chunk) {
    const size = Math.min(chunk, bulk - start)
    const docs: StoredDoc[] = []
    const lines: LineRecord[] = []
    for (let i = 0; i < size; i++) {
      const k = start + i
      const at = new Date(end.getTime() - spanMs + Math.floor((k / bulk) * (spanMs - 86400_000)))
      const iso = at.toISOString()
      const day = ymd(at)
      const pc = pick(PCS, rand)
      const ck = counterKey('BJ', day, pc)
      const seq = (seqs.get(ck) ?? 0) + 1
      seqs.set(ck, seq)
      const number = formatNumber('BJ', day, pc, seq)
      const c = customerAt()
      if (names[c] === HUAXING) huaxingQuotes++
      const data = applyComputed(def, quotationData(customerIds[c]!, day, rand))
      // The lists bench (issue 10) spreads states and 业务员 over the rows, without using `rand`
      // (the search bench's office stays the same).
      if (vary) data.values.salesperson = vary.salespeople[k % vary.salespeople.length]!
      const id = crypto.randomUUID()
      const doc: DocRecord = { id, form: 'quotation', number, state: vary ? vary.states[k % vary.states.length]! : 'draft', version: 1, values: data.values, createdAt: iso, createdBy: 'bench', updatedAt: iso, updatedBy: 'bench' }
      docs.push({ ...doc, searchWords: quotationWords(number, data.values.contact as string | undefined, names[c]!), refs: refsOf('quotation', data.values) })
      for (const [seqNo, row] of (data.lines.items ?? []).entries()) lines.push({ id: crypto.randomUUID(), docId: id, field: 'items', seq: seqNo, values: row.values })
    }
    lineCount += lines.length
    const tw = performance.now()
    await db.transaction('rw', [db.docs, db.lines, db.meta], async () => {
      await db.docs.bulkAdd(docs)
      await db.lines.bulkAdd(lines)
      const c = (await db.meta.get('count:quotation'))?.value as number | undefined
      await db.meta.put({ key: 'count:quotation', value: (c ?? 0) + size })
    })
    writeMs += performance.now() - tw
  }
  await db.counters.bulkPut([...seqs].map(([key, seq]) => ({ key, seq })))
  const t2 = performance.now()

  // The real write path for the newest few; their words must equal the bulk writer's.
  for (let i = 0; i < viaCreate; i++) {
    const c = names.indexOf(HUAXING)
    huaxingQuotes++
    const made = await documents.create('quotation', quotationData(customerIds[c]!, ymd(new Date()), rand), actor)
    lineCount += made.lines.length
    const stored = await db.docs.get(made.doc.id)
    const mine = quotationWords(made.doc.number, made.doc.values.contact as string | undefined, HUAXING)
    const real = stored?.searchWords ?? []
    if (mine.length !== real.length || !mine.every((w) => real.includes(w))) {
      throw new Error(`bulk search words differ from documents.ts: ${JSON.stringify({ mine, real })}`)
    }
  }
  const t3 = performance.now()
  return {
    customers: names.length, quotations: await documents.count('quotation'), lines: lineCount,
    customersMs: t1 - t0, bulkMs: t2 - t1, bulkWriteMs: writeMs, createMs: t3 - t2, totalMs: t3 - t0,
    huaxingQuotes, shenzhenCustomers: names.filter((x) => x.startsWith('深圳')).length,
  }
}

export interface QueryResult { text: string; times: number[]; total: number; rows: number; firstNumber?: string }

/** Times `documents.list(form, { text, limit })` `reps` times in a row (what the list page calls). */
export async function timeList(text: string, reps: number, limit = 50, form = 'quotation'): Promise<QueryResult> {
  const { documents } = L()
  const times: number[] = []
  let total = 0, rows = 0
  let firstNumber: string | undefined
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now()
    const res = await documents.list(form, { text, limit })
    times.push(performance.now() - t0)
    total = res.total
    rows = res.rows.length
    firstNumber = res.rows[0]?.number
  }
  return { text, times, total, rows, firstNumber }
}

/**
 * What the list page (FormList.vue) waits for before it shows a page: `list` with its page size,
 * then, one after another, `documents.get` for each distinct customer on the page (what its
 * `refLabel` → `documents.get` does for the customer column).
 */
export async function timePageAsShown(text: string, reps: number, pageSize = 20, form = 'quotation'): Promise<QueryResult> {
  const { documents } = L()
  const times: number[] = []
  let total = 0, rows = 0
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now()
    const res = await documents.list(form, { text, limit: pageSize, offset: 0 })
    const seen = new Set<string>()
    for (const d of res.rows) {
      const id = d.values.customer
      if (typeof id === 'string' && !seen.has(id)) { seen.add(id); await documents.get('customer', id) }
    }
    times.push(performance.now() - t0)
    total = res.total
    rows = res.rows.length
  }
  return { text, times, total, rows }
}

/**
 * NOT the app's code: the one-term search path of documents.ts `list` with the key scan bounded
 * to `cap` index entries (the fix proposed in docs/performance.md), to show what it would cost.
 */
export async function timeBounded(text: string, reps: number, limit = 50, cap = 1000, form = 'quotation'): Promise<QueryResult> {
  const { db } = L()
  const q = text.normalize('NFKC').trim().toLowerCase()
  const times: number[] = []
  let total = 0, rows = 0
  let firstNumber: string | undefined
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now()
    const keys = await db.docs.where('searchWords').startsWith(`${form}:${q}`).limit(cap + 1).primaryKeys()
    const ids = [...new Set(keys)]
    const page = (await db.docs.bulkGet(ids.slice(0, limit))).filter((d): d is StoredDoc => !!d)
    times.push(performance.now() - t0)
    total = Math.min(ids.length, cap)
    rows = page.length
    firstNumber = page[0]?.number
  }
  return { text, times, total, rows, firstNumber }
}

/**
 * NOT the app's code: a multi-term search that intersects the primary keys of each term's index
 * range (keys only, no document reads) and then reads one page (proposed in docs/performance.md).
 */
export async function timeIntersect(text: string, reps: number, limit = 50, form = 'quotation'): Promise<QueryResult> {
  const { db } = L()
  const terms = text.normalize('NFKC').trim().toLowerCase().split(/\s+/).filter(Boolean)
  const times: number[] = []
  let total = 0, rows = 0
  let firstNumber: string | undefined
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now()
    const sets = await Promise.all(terms.map(async (t) => new Set(await db.docs.where('searchWords').startsWith(`${form}:${t}`).primaryKeys())))
    sets.sort((a, b) => a.size - b.size)
    const [smallest, ...others] = sets
    const ids = [...(smallest ?? [])].filter((id) => others.every((o) => o.has(id)))
    const page = (await db.docs.bulkGet(ids.slice(0, limit))).filter((d): d is StoredDoc => !!d)
    times.push(performance.now() - t0)
    total = ids.length
    rows = page.length
    firstNumber = page[0]?.number
  }
  return { text, times, total, rows, firstNumber }
}

/** Closes the database (before the profile is closed). */
export function close(): void {
  layer?.db.close()
  layer = undefined
}
