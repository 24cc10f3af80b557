/**
 * Money in integer fen (CNY). Every multiplication or division of money goes through BigInt and
 * is rounded half-up exactly once, so 0.1 + 0.2 never happens and totals always add up.
 * Rounding of negative amounts is half away from zero (the mirror of the positive case), so
 * amount(−x) = −amount(x).
 */

/** An amount in integer fen. Plain numbers are accepted everywhere; the brand is for callers who want it. */
export type Fen = number & { readonly brand?: 'Fen' }

/** Throws unless `fen` is a safe integer (money is never fractional fen). */
export function assertFen(fen: number, what = 'amount'): void {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`${what} must be a safe integer number of fen: ${fen}`)
}

/** n / d rounded half away from zero; d > 0. */
function divRound(n: bigint, d: bigint): bigint {
  if (n < 0n) return -divRound(-n, d)
  return (2n * n + d) / (2n * d)
}

function toSafe(n: bigint, what: string): number {
  const v = Number(n)
  if (!Number.isSafeInteger(v)) throw new RangeError(`${what} is out of range: ${n}`)
  return v
}

const QUANTITY = /^(-?)(\d+)(?:\.(\d{1,3}))?$/

/**
 * 金额 of a line: `quantity` (exact decimal string, at most 3 decimals) × `unitPriceFen`,
 * rounded half-up to a whole fen once. Throws on a malformed quantity.
 */
export function lineAmountFen(quantity: string, unitPriceFen: number): number {
  assertFen(unitPriceFen, 'unit price')
  const m = QUANTITY.exec(quantity.trim())
  if (!m) throw new RangeError(`not a quantity with at most 3 decimals: "${quantity}"`)
  const [, sign, whole, frac = ''] = m as unknown as [string, string, string, string | undefined]
  const thousandths = BigInt(whole + frac.padEnd(3, '0')) * (sign === '-' ? -1n : 1n)
  return toSafe(divRound(thousandths * BigInt(unitPriceFen), 1000n), 'line amount')
}

/**
 * Splits a tax-inclusive amount: net = round-half-up(amount / (1 + rate/100)), tax = amount − net,
 * so net + tax = amount exactly. `ratePercent` may carry up to 2 decimals (e.g. 13, 9, 1.5).
 */
export function splitTax(amountFen: number, ratePercent: number): { net: number; tax: number } {
  assertFen(amountFen)
  const rateHundredths = Math.round(ratePercent * 100)
  if (!Number.isFinite(ratePercent) || ratePercent < 0 || Math.abs(rateHundredths - ratePercent * 100) > 1e-6) {
    throw new RangeError(`tax rate must be a non-negative percentage with at most 2 decimals: ${ratePercent}`)
  }
  const net = toSafe(divRound(BigInt(amountFen) * 10000n, 10000n + BigInt(rateHundredths)), 'net amount')
  return { net, tax: amountFen - net }
}

/** Sum of amounts in fen; throws if any is not a safe integer or the sum overflows. */
export function addFen(...amounts: number[]): number {
  let sum = 0n
  for (const a of amounts) { assertFen(a); sum += BigInt(a) }
  return toSafe(sum, 'sum')
}

/** "1,234.50" (or "¥1,234.50" with `symbol`); negatives as "-1,234.50" / "-¥1,234.50". */
export function formatFen(fen: number, opts: { symbol?: boolean } = {}): string {
  assertFen(fen)
  const abs = BigInt(Math.abs(fen))
  const yuan = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  const cents = (abs % 100n).toString().padStart(2, '0')
  return `${fen < 0 ? '-' : ''}${opts.symbol ? '¥' : ''}${yuan}.${cents}`
}

const YUAN = /^(-?)[¥￥]?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/

/**
 * What a clerk types as a number, as plain ASCII: full-width digits and signs (input methods often
 * give "１０００" or "１，０００．５"), a leading ¥/￥ and a trailing 元 dropped, spaces trimmed.
 * Thousands separators are kept for the caller to check (1,000 yes, 10,00 no).
 */
function asciiNumber(text: string): string {
  return text.normalize('NFKC').trim().replace(/^([+-]?)\s*¥\s*/, '$1').replace(/\s*元$/, '').replace(/^\+/, '')
}

/**
 * A typed quantity or other plain number as its canonical decimal string ("1,000" → "1000",
 * "１０００" → "1000", "2.50元" → "2.50"), or null when it is not a number at all (the field is
 * then marked; nothing is ever dropped silently).
 */
export function normalizeNumberText(text: string): string | null {
  const s = asciiNumber(text)
  const m = /^(-?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$/.exec(s)
  if (!m) return null
  return `${m[1]}${m[2]!.replaceAll(',', '')}${m[3] ?? ''}`
}

/**
 * Parses what a clerk types as yuan ("1,234.5", "-3", "¥12.30", "１２．３元") into fen; null for junk, more than
 * 2 decimals, misplaced thousands separators or amounts beyond a safe integer.
 */
export function parseYuan(text: string): number | null {
  const m = YUAN.exec(asciiNumber(text))
  if (!m) return null
  const [, sign, whole, frac = ''] = m as unknown as [string, string, string, string | undefined]
  const fen = BigInt(whole.replaceAll(',', '') + frac.padEnd(2, '0')) * (sign === '-' ? -1n : 1n)
  const v = Number(fen)
  return Number.isSafeInteger(v) ? (v === 0 ? 0 : v) : null
}

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'] as const
const POS = ['仟', '佰', '拾', ''] as const
const GROUPS = ['亿', '万', ''] as const

/** Largest amount toCapital writes: 9999 9999 9999.99 元 (just under 1 万亿 元). */
export const MAX_CAPITAL_FEN = 99_999_999_999_999

/**
 * 大写金额 of an amount in fen, following the People's Bank rules (pdf.md). Our convention:
 * - no 人民币 prefix (the print layout adds it); negatives are prefixed 负;
 * - 整 after 元 and after 角 when nothing follows (壹拾元伍角整, 伍角整), never after 分;
 * - the leading 1 of tens is written (壹拾元整, 壹拾万元整);
 * - a run of zeros inside the amount is one 零, and the 零 is ALSO written when the 万 or 元 digit
 *   is 0 and a lower digit is not (壹万零伍佰元整, 壹仟零壹拾元零壹角整, 壹元零伍分);
 * - an amount under 1 元 starts at its first non-zero digit (伍分, not 零元零伍分); 0 is 零元整.
 * Throws beyond ±MAX_CAPITAL_FEN.
 */
export function toCapital(fen: number): string {
  assertFen(fen)
  if (Math.abs(fen) > MAX_CAPITAL_FEN) throw new RangeError(`amount too large for 大写金额: ${fen}`)
  if (fen === 0) return '零元整'
  const abs = Math.abs(fen)
  const yuan = Math.floor(abs / 100)
  const jiao = Math.floor(abs / 10) % 10
  const fenDigit = abs % 10

  let out = ''
  let zeroPending = false
  const digit = (d: number, unit: string): void => {
    if (d === 0) { if (out !== '') zeroPending = true; return }
    if (zeroPending) out += '零'
    zeroPending = false
    out += DIGITS[d] + unit
  }

  if (yuan > 0) {
    const text = String(yuan).padStart(12, '0')
    for (let g = 0; g < 3; g++) {
      const group = text.slice(g * 4, g * 4 + 4)
      for (let i = 0; i < 4; i++) digit(Number(group[i]), POS[i]!)
      if (group !== '0000' && out !== '') out += GROUPS[g]
    }
    out += '元'
  }
  digit(jiao, '角')
  digit(fenDigit, '分')
  if (fenDigit === 0) out += '整'
  return (fen < 0 ? '负' : '') + out
}
