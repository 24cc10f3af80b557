/**
 * Demo data: a small plastics compounder's office (process.md), seeded on first run, and a bulk
 * generator for benchmarks. Demo records have fixed ids, so two PCs that both seed describe the
 * SAME users and customers and sync merges them instead of doubling them.
 */
import type { Actor, DocRecord, LineRecord, User } from '@core/model'
import { sha256 } from '@noble/hashes/sha2.js'
import { FAST_KDF, makeCredential } from '@core/trust/password'
import { chainHash, signObject, userKeys } from '@core/trust/sign'
import type { DirBody, DirEntry, DirUser } from '@core/trust/directory'
import type { FormData, FormDef } from '@forms/schema/types'
import { counterKey, formatNumber } from '@core/numbering'
import { searchKeys } from '@core/search'
import type { DeskDb, StoredDoc } from './db'
import { refsOf } from './db'
import { createDirectoryStore, type DeskDirectoryStore } from './directory'
import { createDocumentStore } from './documents'
import { DEMO_PC_CODE, DEMO_SEEDED_AT } from './seed-constants'

/** Fixed ids of the demo records (UUID v4 shape). */
export const DEMO_IDS = {
  users: {
    zhangMin: '5e1f0a10-0000-4000-8000-000000000001',
    liQiang: '5e1f0a10-0000-4000-8000-000000000002',
    wangHaiyan: '5e1f0a10-0000-4000-8000-000000000003',
    chenZhiyuan: '5e1f0a10-0000-4000-8000-000000000004',
    liuJianguo: '5e1f0a10-0000-4000-8000-000000000005',
    zhaoLei: '5e1f0a10-0000-4000-8000-000000000006',
    sunLixin: '5e1f0a10-0000-4000-8000-000000000007',
    zhouWei: '5e1f0a10-0000-4000-8000-000000000008',
    zhengXiuying: '5e1f0a10-0000-4000-8000-000000000009',
    wuGuoping: '5e1f0a10-0000-4000-8000-00000000000a',
    qianHao: '5e1f0a10-0000-4000-8000-00000000000b',
    huangLi: '5e1f0a10-0000-4000-8000-00000000000c',
    linJing: '5e1f0a10-0000-4000-8000-00000000000d',
    heXuemei: '5e1f0a10-0000-4000-8000-00000000000e',
  },
  customers: {
    huaxing: '5e1f0a10-0000-4000-8000-000000000101',
    meida: '5e1f0a10-0000-4000-8000-000000000102',
  },
  quotation: '5e1f0a10-0000-4000-8000-000000000201',
  products: {
    pcAbs: '5e1f0a10-0000-4000-8000-000000000401',
    ppGf30: '5e1f0a10-0000-4000-8000-000000000402',
    pa66Tough: '5e1f0a10-0000-4000-8000-000000000403',
    pcPbt: '5e1f0a10-0000-4000-8000-000000000404',
  },
} as const

const U = DEMO_IDS.users

export const DEMO_USERS: User[] = [
  { id: U.zhangMin, name: '张敏', dept: '客服部', roles: ['csAssistant', 'admin'], active: true },
  { id: U.liQiang, name: '李强', dept: '营销部', roles: ['salesperson'], active: true },
  { id: U.wangHaiyan, name: '王海燕', dept: '营销部', roles: ['marketingHead'], active: true },
  { id: U.chenZhiyuan, name: '陈志远', dept: '营销中心', roles: ['marketingDirector'], active: true },
  { id: U.liuJianguo, name: '刘建国', dept: '总经办', roles: ['generalManager'], active: true },
  { id: U.zhaoLei, name: '赵磊', dept: '营销部', roles: ['marketingManager'], active: true },
  { id: U.sunLixin, name: '孙立新', dept: '工程部', roles: ['productGroupHead'], active: true },
  { id: U.zhouWei, name: '周伟', dept: '工程部', roles: ['rdEngineer'], active: true },
  { id: U.zhengXiuying, name: '郑秀英', dept: '品质管理部', roles: ['qa'], active: true },
  { id: U.wuGuoping, name: '吴国平', dept: '总经办', roles: ['viceGM'], active: true },
  { id: U.qianHao, name: '钱浩', dept: '技术部', roles: ['technical'], active: true },
  { id: U.huangLi, name: '黄丽', dept: '计划科（PMC）', roles: ['pmc', 'productionHead'], active: true },
  { id: U.linJing, name: '林静', dept: '财务部', roles: ['finance'], active: true },
  { id: U.heXuemei, name: '何雪梅', dept: '财务部', roles: ['financeVP'], active: true },
]

export const DEMO_COMPANY = {
  name: '东莞市恒泰高分子材料有限公司',
  address: '广东省东莞市常平镇横江厦工业区恒泰路8号',
  phone: '0769-8339 2188',
}

const SEED_MARK = 'seed:demo'

function isoDate(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

function addDays(iso: string, days: number): string {
  const d = new Date(iso)
  d.setDate(d.getDate() + days)
  return isoDate(d)
}

const customers: Record<keyof typeof DEMO_IDS.customers, FormData> = {
  huaxing: {
    values: {
      fullName: '深圳华兴塑胶制品有限公司', shortName: '华兴塑胶', address: '广东省深圳市宝安区石岩街道塘头工业区华兴路12号',
      phone: '0755-2761 5380', legalPerson: '黄志华', industry: 'appliance', scale: 'medium', traded: false,
      paymentMethod: 'prepay', creditDays: null, taxNo: '91440300MA5F3K7L2Q', bank: null, bankAccount: null,
      remarks: '新客户：电饭煲外壳，需阻燃 PC/ABS（UL94 V-0），环保要求 RoHS。',
    },
    lines: { contacts: [{ id: 'c1', values: { name: '黄志华', title: '采购经理', phone: '138 2653 7714', email: 'huangzh@hx-plastic.cn' } }] },
  },
  meida: {
    values: {
      fullName: '佛山市美达电器有限公司', shortName: '美达电器', address: '广东省佛山市顺德区北滘镇工业大道38号',
      phone: '0757-2663 9021', legalPerson: '梁美玲', industry: 'appliance', scale: 'large', traded: true,
      paymentMethod: 'credit', creditDays: 60, taxNo: '91440606MA4UK2X81B', bank: '中国工商银行顺德北滘支行', bankAccount: '2013 0045 0920 0187 361',
      remarks: '老客户：风扇、电暖器外壳料，月用量约 8 吨。',
    },
    lines: { contacts: [
      { id: 'c1', values: { name: '梁美玲', title: '总经理', phone: '0757-2663 9021', email: null } },
      { id: 'c2', values: { name: '何俊', title: '采购主管', phone: '139 2811 0456', email: 'hejun@meida-elec.com' } },
    ] },
  },
}

/** The 产品档案 of the demo: the compounds the demo quotation names, and one new formula (R7). */
const products: Record<keyof typeof DEMO_IDS.products, FormData> = {
  pcAbs: { values: {
    code: 'HT-PC/ABS-8130', name: '阻燃PC/ABS合金', spec: 'HT-8130 黑色 UL94 V-0', colour: 'BK-001', group: 'flameRetardant', unit: 'kg',
    standardPrice: 2380, taxRate: '13', newFormula: false, rohs: 'compliant', reach: 'compliant',
    remarks: '无卤阻燃，电饭煲、电暖器外壳；UL94 V-0 @1.5mm。',
  }, lines: {} },
  ppGf30: { values: {
    code: 'HT-PP30G', name: '玻纤增强PP', spec: 'HT-PP30G 本色 30%GF', colour: '本色', group: 'reinforced', unit: 'kg',
    standardPrice: 1265, taxRate: '13', newFormula: false, rohs: 'compliant', reach: 'compliant',
    remarks: '风扇叶、洗衣机配件；热变形温度 ≥ 145℃（1.8MPa）。',
  }, lines: {} },
  pa66Tough: { values: {
    code: 'HT-PA66T', name: '增韧PA66', spec: 'HT-PA66T 黑色 超韧', colour: 'BK-001', group: 'toughened', unit: 'kg',
    standardPrice: 3117, taxRate: '13', newFormula: false, rohs: 'compliant', reach: 'undeclared',
    remarks: '电动工具外壳、扎带；缺口冲击 ≥ 60 kJ/m²。',
  }, lines: {} },
  pcPbt: { values: {
    code: 'HT-PC/PBT-5210', name: '耐候PC/PBT合金', spec: 'HT-5210 浅灰 耐化学', colour: 'GY-205', group: 'alloy', unit: 'kg',
    standardPrice: 2860, taxRate: '13', newFormula: true, rohs: 'compliant', reach: 'undeclared',
    remarks: '新配方，试制中：户外充电桩外壳；样品须工程人员到客户现场试料（R7）。',
  }, lines: {} },
}

function quotationFor(customerId: string, today: string): FormData {
  return {
    values: {
      customer: customerId, contact: '何俊', quoteDate: today, validUntil: addDays(today, 30), currency: 'CNY',
      tradeMethod: '送货上门', paymentMethod: 'credit', creditDays: 60, deliveryPlace: '佛山市顺德区北滘镇美达电器仓库',
      packaging: '25kg/袋，汽运', qualityRequirement: '按双方确认的样品及色卡，UL94 V-0，符合 RoHS', remarks: null,
    },
    lines: { items: [
      { id: 'i1', values: { productName: '阻燃PC/ABS合金', spec: 'HT-8130 黑色 UL94 V-0', quantity: '5000', unit: 'kg', unitPrice: 2380, taxRate: '13' } },
      { id: 'i2', values: { productName: '玻纤增强PP', spec: 'HT-PP30G 本色 30%GF', quantity: '3000', unit: 'kg', unitPrice: 1265, taxRate: '13' } },
    ] },
  }
}

/** Every demo user's password (shown on the sign-in page of a demo profile). */
export const DEMO_PASSWORD = '123456'

/** The demo office: marked demo everywhere, it can never create or join a real office's vault. */
export const DEMO_OFFICE = { kind: 'demo' as const, id: '5e1f0a10-0000-4000-8000-0000000000f0', name: DEMO_COMPANY.name, genesis: '5e1f0a10-0000-4000-8000-0000000000f1' }
const DEMO_DEV = 'demo-seed'
const demoId = (n: number) => `5e1f0a10-0000-4000-8000-${String(300 + n).padStart(12, '0')}`

function digest(text: string): Uint8Array { return sha256(new TextEncoder().encode(text)) }

/** A demo user's key seed: fixed, so every PC that seeds the demo makes the same signatures. */
export function demoSeed(userId: string): Uint8Array { return digest(`marketdesk-demo-user:${userId}`) }

/** The demo office's directory entries: the same bytes on every PC (fixed keys, salts, times). */
export async function demoDirectory(): Promise<DirEntry[]> {
  const t0 = Date.parse(DEMO_SEEDED_AT)
  const users: DirUser[] = []
  for (const u of DEMO_USERS) {
    const seed = demoSeed(u.id)
    const credential = await makeCredential(DEMO_PASSWORD, seed, FAST_KDF, { salt: digest(`salt:${u.id}`).slice(0, 16), iv: digest(`iv:${u.id}`).slice(0, 12) })
    users.push({ ...u, publicKey: userKeys(seed).publicKey, credential })
  }
  const admin = users.find((u) => u.id === U.zhangMin)!
  const bodies: DirBody[] = [
    { kind: 'genesis', office: { id: DEMO_OFFICE.id, name: DEMO_OFFICE.name, demo: true }, admin },
    ...users.filter((u) => u !== admin).map((user): DirBody => ({ kind: 'user', user })),
    { kind: 'company', company: { ...DEMO_COMPANY } },
    // 赵磊 signs for 陈志远 while the director travels (职务代理人, §5.6.1).
    { kind: 'grant', grant: { id: demoId(99), principalId: U.chenZhiyuan, proxyId: U.zhaoLei, role: 'marketingDirector', from: addDays(DEMO_SEEDED_AT, -30), to: addDays(DEMO_SEEDED_AT, 3650) } },
  ]
  const entries: DirEntry[] = []
  bodies.forEach((body, i) => {
    const view: Record<string, number> = i === 0 ? {} : { [DEMO_DEV]: i }
    const unsigned = { id: i === 0 ? DEMO_OFFICE.genesis : demoId(i), dev: DEMO_DEV, n: i + 1, at: new Date(t0 + i).toISOString(), by: admin.id, view, body }
    entries.push({ ...unsigned, sig: signObject('directory', unsigned, demoSeed(admin.id)) })
  })
  return entries
}

/**
 * Seeds the demo office once (its signed directory: users with the demo password, a proxy grant,
 * the letterhead; two customers, one draft quotation and four products). Returns false when already seeded.
 */
export async function seedDemo(db: DeskDb, deps: { forms: (id: string) => FormDef; now: () => string; directory?: DeskDirectoryStore }): Promise<boolean> {
  if (await db.meta.get(SEED_MARK)) return false
  const directory = deps.directory ?? createDirectoryStore(db, deps)
  const office = await directory.office()
  if (office.kind === 'real') throw new Error('本机已属于真实办公室，不能载入演示数据 / this profile belongs to a real office')
  await directory.installEntries(await demoDirectory(), DEMO_OFFICE)
  // Demo documents are the same on every PC: fixed time, the reserved demo PC code in their numbers,
  // and their audit entries signed by their maker's demo key at fixed places of a demo chain: the
  // customers by 张敏 of CS (who alone may mark a 老客户), the quotation by 李强.
  let author = DEMO_USERS.find((u) => u.id === U.zhangMin)!
  const documents = createDocumentStore(db, {
    forms: deps.forms, now: () => DEMO_SEEDED_AT,
    settings: async () => ({ ...(await directory.settings()), pcCode: DEMO_PC_CODE }),
    signer: () => ({ user: author, grantId: null, seed: demoSeed(author.id) }),
  })
  let n = 0
  let prev = ''
  const create = async (form: string, data: FormData, id: string, by: keyof typeof U) => {
    if (await db.docs.get(id)) return
    n++
    author = DEMO_USERS.find((u) => u.id === U[by])!
    const actor: Actor = { userId: author.id, name: author.name }
    const auditId = demoId(200 + n)
    await documents.create(form, data, actor, { id, auditId, chain: { dev: DEMO_DEV, n, prev } })
    prev = chainHash((await db.audit.get(auditId))!)
  }
  for (const [key, data] of Object.entries(customers) as Array<[keyof typeof customers, FormData]>) await create('customer', data, DEMO_IDS.customers[key], 'zhangMin')
  await create('quotation', quotationFor(DEMO_IDS.customers.meida, DEMO_SEEDED_AT.slice(0, 10)), DEMO_IDS.quotation, 'liQiang')
  // After the first documents, so their ids, numbers and places in the demo audit chain stay as they were.
  for (const [key, data] of Object.entries(products) as Array<[keyof typeof products, FormData]>) await create('product', data, DEMO_IDS.products[key], 'zhangMin')
  await db.meta.put({ key: SEED_MARK, value: deps.now() })
  return true
}

const BULK_NAMES = [
  '深圳华兴塑胶制品有限公司', '佛山市美达电器有限公司', '东莞市精诚模具塑胶有限公司', '中山市华艺照明电器有限公司',
  '惠州市德赛汽车零部件有限公司', '宁波市海天家电配件有限公司', '苏州市新锐电子科技有限公司', '厦门市宏发电声有限公司',
  '广州市白云包装材料有限公司', '珠海市格林医疗器械有限公司', '江门市金羚电器有限公司', '台州市黄岩塑料模具有限公司',
]
const BULK_PRODUCTS = [
  ['阻燃PC/ABS合金', 'HT-8130 黑色 UL94 V-0'], ['玻纤增强PP', 'HT-PP30G 本色'], ['增韧PA66', 'HT-PA66T 黑色'],
  ['阻燃ABS', 'HT-ABS-V0 白色 色卡 W-102'], ['透明PC', 'HT-PC110 透明'], ['耐候ASA', 'HT-ASA20 灰色'],
] as const

/**
 * Inserts `n` quotations (with 2 lines each) and the customers they reference as fast as Dexie
 * allows, for benchmarks: bulk writes in chunks, no audit/outbox rows. Returns the customer ids.
 */
export async function seedBulk(db: DeskDb, n: number, opts: { pcCode?: string; now?: string; chunk?: number } = {}): Promise<{ customerIds: string[] }> {
  const pcCode = opts.pcCode ?? 'B1'
  const at = opts.now ?? new Date().toISOString()
  const day = at.slice(0, 10)
  const chunk = opts.chunk ?? 2000
  const custWords = BULK_NAMES.map((name) => searchKeys(name))
  const customerIds = BULK_NAMES.map(() => crypto.randomUUID())

  await db.transaction('rw', [db.docs, db.counters, db.meta], async () => {
    const seq0 = (await db.counters.get(counterKey('KH', day, pcCode)))?.seq ?? 0
    const docs: StoredDoc[] = BULK_NAMES.map((fullName, i) => {
      const number = formatNumber('KH', day, pcCode, seq0 + i + 1)
      const values = { fullName, traded: i % 2 === 1, paymentMethod: 'cash' }
      return { id: customerIds[i]!, form: 'customer', number, state: '', version: 1, values, createdAt: at, createdBy: 'bench', updatedAt: at, updatedBy: 'bench', searchWords: [...new Set([...searchKeys(number), ...custWords[i]!])].map((w) => `customer:${w}`), refs: [] }
    })
    await db.docs.bulkAdd(docs)
    await db.counters.put({ key: counterKey('KH', day, pcCode), seq: seq0 + docs.length })
    const c = (await db.meta.get('count:customer'))?.value as number | undefined
    await db.meta.put({ key: 'count:customer', value: (c ?? 0) + docs.length })
  })

  for (let start = 0; start < n; start += chunk) {
    const size = Math.min(chunk, n - start)
    await db.transaction('rw', [db.docs, db.lines, db.counters, db.meta], async () => {
      const seq0 = (await db.counters.get(counterKey('BJ', day, pcCode)))?.seq ?? 0
      const docs: StoredDoc[] = []
      const lines: LineRecord[] = []
      for (let i = 0; i < size; i++) {
        const k = (start + i) % BULK_NAMES.length
        const number = formatNumber('BJ', day, pcCode, seq0 + i + 1)
        const id = crypto.randomUUID()
        // Distinct update times keep the [form+updatedAt] order stable and realistic.
        const ts = new Date(Date.parse(at) - (n - start - i) * 1000).toISOString()
        const [p1, s1] = BULK_PRODUCTS[(start + i) % BULK_PRODUCTS.length]!
        const [p2, s2] = BULK_PRODUCTS[(start + i + 3) % BULK_PRODUCTS.length]!
        const total = 2380 * 1000 + 1265 * 500
        const values: DocRecord['values'] = {
          customer: customerIds[k]!, contact: '采购部', quoteDate: day, validUntil: day, currency: 'CNY', paymentMethod: 'cash',
          netTotal: Math.round(total / 1.13), taxTotal: total - Math.round(total / 1.13), grandTotal: total,
        }
        docs.push({ id, form: 'quotation', number, state: 'draft', version: 1, values, createdAt: ts, createdBy: 'bench', updatedAt: ts, updatedBy: 'bench',
          searchWords: [...new Set([...searchKeys(number), ...searchKeys(number.split('-').slice(1).join('-')), ...custWords[k]!])].map((w) => `quotation:${w}`),
          refs: refsOf('quotation', values) })
        lines.push({ id: crypto.randomUUID(), docId: id, field: 'items', seq: 0, values: { productName: p1, spec: s1, quantity: '1000', unit: 'kg', unitPrice: 2380, taxRate: '13', amount: 2380000 } })
        lines.push({ id: crypto.randomUUID(), docId: id, field: 'items', seq: 1, values: { productName: p2, spec: s2, quantity: '500', unit: 'kg', unitPrice: 1265, taxRate: '13', amount: 632500 } })
      }
      await db.docs.bulkAdd(docs)
      await db.lines.bulkAdd(lines)
      await db.counters.put({ key: counterKey('BJ', day, pcCode), seq: seq0 + size })
      const c = (await db.meta.get('count:quotation'))?.value as number | undefined
      await db.meta.put({ key: 'count:quotation', value: (c ?? 0) + size })
    })
  }
  return { customerIds }
}
