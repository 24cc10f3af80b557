/**
 * Document numbers clerks see and print, e.g. `BJ2611-A7-0001`: the form's prefix, the year and
 * month (yymm), the issuing PC's code and that PC's sequence. Offline PCs never talk to each other
 * before numbering, so the PC code inside the number is what keeps two PCs from ever issuing the
 * same number (sync.md, scenario 31). The sequence is counted per PC and per `counterKey`.
 */

/** A parsed document number. */
export interface DocNumber { prefix: string; yy: string; mm: string; pcCode: string; seq: number }

const PREFIX = /^[A-Z]{1,4}$/
const PC_CODE = /^[A-Z0-9]{2,3}$/
const DATE = /^\d{2}(\d{2})-(\d{2})-\d{2}$/
const NUMBER = /^([A-Z]{1,4})(\d{2})(\d{2})-([A-Z0-9]{2,3})-(\d{4,8})$/
/** Largest sequence: 8 digits keeps the longest number (24 characters) inside the QR identity. */
export const MAX_SEQ = 99_999_999

/** True for a PC code: 2–3 uppercase letters or digits. */
export function isPcCode(code: string): boolean {
  return PC_CODE.test(code)
}

/** The number for `seq` issued on `date` (YYYY-MM-DD) by PC `pcCode`; throws on malformed parts. */
export function formatNumber(prefix: string, date: string, pcCode: string, seq: number): string {
  if (!PREFIX.test(prefix)) throw new RangeError(`number prefix must be 1–4 capital letters: "${prefix}"`)
  const d = DATE.exec(date)
  if (!d) throw new RangeError(`not a YYYY-MM-DD date: "${date}"`)
  if (!isPcCode(pcCode)) throw new RangeError(`PC code must be 2–3 capitals or digits: "${pcCode}"`)
  if (!Number.isInteger(seq) || seq < 1 || seq > MAX_SEQ) throw new RangeError(`sequence out of range: ${seq}`)
  return `${prefix}${d[1]}${d[2]}-${pcCode}-${String(seq).padStart(4, '0')}`
}

/** Parses a number made by formatNumber; null for anything else (typed by hand, another system). */
export function parseNumber(text: string): DocNumber | null {
  const m = NUMBER.exec(text.trim().toUpperCase())
  if (!m) return null
  const [, prefix, yy, mm, pcCode, seq] = m as unknown as [string, string, string, string, string, string]
  if (Number(mm) < 1 || Number(mm) > 12) return null
  return { prefix, yy, mm, pcCode, seq: Number(seq) }
}

/** The key a PC keeps its counter under: one sequence per form prefix, month and PC (`BJ2611-A7`). */
export function counterKey(prefix: string, date: string, pcCode: string): string {
  return formatNumber(prefix, date, pcCode, 1).replace(/-\d+$/, '')
}

/** The sequence after `lastSeq` (0 or undefined when the counter is new). */
export function nextSeq(lastSeq: number | undefined): number {
  const last = lastSeq ?? 0
  if (!Number.isInteger(last) || last < 0) throw new RangeError(`bad last sequence: ${lastSeq}`)
  if (last >= MAX_SEQ) throw new RangeError('the number sequence is exhausted')
  return last + 1
}

/** Letters and digits that cannot be misread on paper or over the phone (no I, O, 0, 1). */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

/**
 * A new PC code not in `existing`: two characters (letter first) while free ones are easy to
 * find, else three. `random` returns [0, 1) (Math.random, or a seeded one in tests).
 */
export function newPcCode(existing: string[], random: () => number): string {
  const taken = new Set(existing.map((c) => c.toUpperCase()))
  const letters = ALPHABET.replace(/\d/g, '')
  const pick = (chars: string) => chars[Math.min(chars.length - 1, Math.floor(random() * chars.length))]!
  for (const length of [2, 3]) {
    for (let attempt = 0; attempt < 200; attempt++) {
      let code = pick(letters)
      while (code.length < length) code += pick(ALPHABET)
      if (!taken.has(code)) return code
    }
  }
  // The random draws kept hitting taken codes: take the first free three-character code in order.
  for (const a of letters) for (const b of ALPHABET) for (const c of ALPHABET) {
    if (!taken.has(a + b + c)) return a + b + c
  }
  throw new Error('no free PC code left')
}
