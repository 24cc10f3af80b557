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
