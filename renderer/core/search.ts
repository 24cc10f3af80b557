/**
 * Search keys and near-duplicate detection for Chinese names. Clerks type pinyin initials
 * (`szhx` → 深圳华兴) or full pinyin as often as characters; a customer entered twice under
 * slightly different names (深圳市华兴塑胶 / 深圳华兴塑胶有限公司) splits its history, so new
 * customers are checked against existing ones.
 */
import { pinyin } from 'pinyin-pro'

/** Full-width to half-width (NFKC), lowercase, no whitespace. */
function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '')
}

/**
 * The keys a text is found by: the text itself (folded), its full pinyin without tones and its
 * pinyin initials, all lowercase without spaces. Non-Chinese runs (ABC, 0755) are kept as they are.
 */
export function searchKeys(text: string): string[] {
  const folded = fold(text)
  if (folded === '') return []
  const opts = { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true } as const
  const full = pinyin(folded, opts).join('').replace(/\s+/g, '')
  const initials = pinyin(folded, { ...opts, pattern: 'first' }).join('').replace(/\s+/g, '')
  return [...new Set([folded, full, initials])]
}

/**
 * True when every whitespace-separated term of `query` occurs in one of `keys` (made by
 * searchKeys). An empty query matches everything.
 */
export function matches(query: string, keys: string[]): boolean {
  const terms = query.normalize('NFKC').toLowerCase().split(/\s+/).filter(Boolean)
  return terms.every((t) => keys.some((k) => k.includes(t)))
}

/** Words that do not tell two companies apart: legal forms, generic trades, English suffixes. */
const NOISE = [
  '股份有限公司', '有限责任公司', '有限公司', '责任公司', '股份', '集团', '公司', '科技', '实业',
  'co.,ltd.', 'co.,ltd', 'co.ltd', 'company', 'limited', 'ltd', 'inc', 'corp',
]

/**
 * A company name reduced to what identifies it: half-width, lowercase, without bracketed notes
 * ((龙岗分厂)), legal forms (有限公司, 股份, 有限责任公司), 科技/实业/集团, punctuation and spaces,
 * and without the 省/市 of the place at the start (深圳市华兴 → 深圳华兴).
 */
export function normalizeCompanyName(name: string): string {
  let s = fold(name).replace(/\([^)]*\)|\[[^\]]*\]|【[^】]*】|〔[^〕]*〕/g, '')
  for (const w of NOISE) s = s.replaceAll(w, '')
  s = s.replace(/[\p{P}\p{S}]/gu, '')
  // 省 then 市 right after a 2–3 character place name (广东省深圳市…), not in the business part.
  const province = /^(\p{Script=Han}{2,3}?)省/u.exec(s)
  const head = province ? province[1]! : ''
  const rest = province ? s.slice(province[0].length) : s
  return head + rest.replace(/^(\p{Script=Han}{2,3}?)市/u, '$1')
}

function bigrams(s: string): Map<string, number> {
  const chars = [...s]
  const out = new Map<string, number>()
  for (let i = 0; i + 1 < chars.length; i++) {
    const g = chars[i]! + chars[i + 1]!
    out.set(g, (out.get(g) ?? 0) + 1)
  }
  return out
}

/**
 * Similarity of two company names in [0, 1]: the Dice coefficient of the character bigrams of
 * their normalised forms (1 = same company name once legal forms and place suffixes are removed).
 */
export function similarity(a: string, b: string): number {
  const x = normalizeCompanyName(a), y = normalizeCompanyName(b)
  if (x === '' || y === '') return 0
  if (x === y) return 1
  const bx = bigrams(x), by = bigrams(y)
  let nx = 0, ny = 0, common = 0
  for (const n of bx.values()) nx += n
  for (const n of by.values()) ny += n
  if (nx === 0 || ny === 0) return 0
  for (const [g, n] of bx) common += Math.min(n, by.get(g) ?? 0)
  return (2 * common) / (nx + ny)
}

/** Existing customers whose name is at least `threshold` similar to `name`, most similar first. */
export function possibleDuplicates<T extends { id: string; name: string }>(
  name: string, existing: T[], threshold = 0.7,
): Array<T & { score: number }> {
  return existing
    .map((e) => ({ ...e, score: similarity(name, e.name) }))
    .filter((e) => e.score >= threshold)
    .sort((p, q) => q.score - p.score)
}

/**
 * The few search-index prefixes that find a name's possible duplicates without reading every
 * record: the normalised name's first four characters (深圳华兴 for 深圳市华兴塑胶), the same with
 * 市 after a two- or three-character place (深圳市华兴), the business part without the place
 * (华兴塑胶, as a short name or a name without a place reads), and the pinyin initials of the first
 * four (szhx). A place alone (深圳) would match thousands of customers, so it is never a probe.
 */
export function duplicateProbes(name: string): string[] {
  const chars = [...normalizeCompanyName(name)]
  if (chars.length === 0) return []
  const head = chars.slice(0, 4).join('')
  const probes = [head]
  for (const place of [2, 3]) {
    if (chars.length < place + 2 || !/^\p{Script=Han}+$/u.test(chars.slice(0, place).join(''))) continue
    probes.push(`${chars.slice(0, place).join('')}市${chars.slice(place, place + 2).join('')}`)
    probes.push(chars.slice(place, place + 4).join(''))
  }
  const initials = searchKeys(head)[2]
  if (initials && initials !== head && initials.length >= 3) probes.push(initials)
  return [...new Set(probes.filter((p) => [...p].length >= 2))]
}
