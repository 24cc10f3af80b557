/**
 * How the app shows a moment in time: `2026-11-27 13:05`, in the PC's own time zone, 24-hour.
 * Stored times are UTC ISO strings (or epoch ms); every list, inbox, timeline and dialog shows them
 * through this one function so a clerk never sees two clocks on one screen. The core's messages
 * (scan import) use the same function, core/time.ts.
 */
import { formatLocalDateTime } from '@core/time'

/** A stored time (ISO string or epoch ms) as local `YYYY-MM-DD HH:mm`; '' when empty or unreadable. */
export const formatDateTime: (at: string | number | null | undefined) => string = formatLocalDateTime
