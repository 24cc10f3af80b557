/**
 * How the app shows a moment in time: `2026-11-27 13:05`, in the PC's own time zone, 24-hour.
 * Stored times are UTC ISO strings (or epoch ms); every list, inbox, timeline and dialog shows them
 * through this one function so a clerk never sees two clocks on one screen.
 */
const pad = (n: number) => String(n).padStart(2, '0')

/** A stored time (ISO string or epoch ms) as local `YYYY-MM-DD HH:mm`; '' when empty or unreadable. */
export function formatDateTime(at: string | number | null | undefined): string {
  if (at === null || at === undefined || at === '') return ''
  const d = new Date(at)
  if (Number.isNaN(d.getTime())) return typeof at === 'string' ? at : ''
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}
