/**
 * UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Its text sorts by
 * creation time, so an index whose entries tie on their key (all quotations matching one search
 * word) lists them oldest to newest by primary key, and reversed, newest first.
 */

/** A new version-7 UUID for `ms` (default now); `random` fills the 74 random bits (tests pass a seeded one). */
export function uuidv7(ms: number = Date.now(), random: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  if (!Number.isSafeInteger(ms) || ms < 0 || ms >= 2 ** 48) throw new RangeError(`not a 48-bit millisecond time: ${ms}`)
  const b = random(new Uint8Array(16))
  let t = ms
  for (let i = 5; i >= 0; i--) { b[i] = t % 256; t = Math.floor(t / 256) }
  b[6] = 0x70 | (b[6]! & 0x0f) // version 7
  b[8] = 0x80 | (b[8]! & 0x3f) // variant 10
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
