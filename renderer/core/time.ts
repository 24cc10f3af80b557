/**
 * How the app writes a moment for a clerk: `2026-11-27 13:05`, in the PC's own time zone, 24-hour.
 * Stored times are UTC ISO strings; a UTC date cut from one (`slice(0, 10)`) shows the previous
 * day for anything before 08:00 in China, so every message formats through this.
 */
const pad = (n: number) => String(n).padStart(2, '0')

/** A stored time (ISO string or epoch ms) as local `YYYY-MM-DD HH:mm`; '' when empty, unreadable text as it is. */
export function formatLocalDateTime(at: string | number | null | undefined): string {
  if (at === null || at === undefined || at === '') return ''
  const d = new Date(at)
  if (Number.isNaN(d.getTime())) return typeof at === 'string' ? at : ''
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/**
 * A date as a clerk types it, completed to `YYYY-MM-DD` against `today` (`YYYY-MM-DD`): "11-30",
 * "11/30", "11.30", "11月30日" mean this year; "2026/11/30", "2026.11.30", "20261130" and
 * "2026年11月30日" are read as written. Null when it is not a real date or is already complete.
 */
export function completeTypedDate(text: string, today: string): string | null {
  const s = text.normalize('NFKC').trim().replace(/日$/, '')
  let m = /^(\d{4})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})|(\d{2})(\d{2}))$/.exec(s)
  let y: number, mo: number, d: number
  if (m) {
    y = Number(m[1]); mo = Number(m[2] ?? m[4]); d = Number(m[3] ?? m[5])
  } else {
    m = /^(\d{1,2})[-/.月](\d{1,2})$/.exec(s)
    if (!m) return null
    y = Number(today.slice(0, 4)); mo = Number(m[1]); d = Number(m[2])
  }
  const dt = new Date(Date.UTC(y, mo - 1, d))
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null
  const iso = `${y}-${pad(mo)}-${pad(d)}`
  return iso === s ? null : iso
}

/** Calendar days from ISO date `from` to ISO date `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const day = (s: string) => { const [y, m, d] = s.slice(0, 10).split('-').map(Number) as [number, number, number]; return Date.UTC(y, m - 1, d) / 86_400_000 }
  return Math.round(day(to) - day(from))
}
