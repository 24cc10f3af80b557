/**
 * Quantities as the forms keep them: exact decimal strings with at most three places ("12.5" kg).
 * Sums and comparisons go through integer thousandths, never floating point.
 */
import type { FieldValue } from '../../forms/schema/types'

const DECIMAL = /^(\d+)(?:\.(\d{1,3}))?$/

/** A quantity in thousandths of its unit ("12.5" → 12500n), or null when it is not a number. */
export function milli(q: FieldValue | undefined): bigint | null {
  const m = typeof q === 'string' ? DECIMAL.exec(q.trim()) : null
  return m ? BigInt(m[1]!) * 1000n + BigInt((m[2] ?? '').padEnd(3, '0')) : null
}

/** Thousandths back to the shortest decimal text (12500n → "12.5", 3000n → "3"). */
export function fromMilli(n: bigint): string {
  const neg = n < 0n
  const a = neg ? -n : n
  const frac = (a % 1000n).toString().padStart(3, '0').replace(/0+$/, '')
  return `${neg ? '-' : ''}${a / 1000n}${frac ? `.${frac}` : ''}`
}
