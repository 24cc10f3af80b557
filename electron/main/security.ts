/** Navigation and external-link policy (pure, so it is unit-tested). */
import { APP_ORIGIN } from './ipc/register'

/** https hosts a link may open in the system browser; none are needed today. */
export const EXTERNAL_ALLOW: ReadonlySet<string> = new Set<string>([])

/** True for pages of our own app:// origin. */
export const isAppUrl = (url: string): boolean => url.startsWith(APP_ORIGIN)

/** A blob: URL made by our own page (an attachment or PDF opened for viewing). */
export const isOwnBlobUrl = (url: string): boolean => url.startsWith(`blob:${APP_ORIGIN}`)

/**
 * Whether a page now showing `current` may navigate to `url`: our app page moves within the app
 * or to its own blob: viewers; the print window (a file: page holding one PDF) never moves.
 */
export function mayNavigate(current: string, url: string): boolean {
  if (current.startsWith('file:')) return false
  return isAppUrl(url) || isOwnBlobUrl(url)
}

/** Whether a navigation may be redirected to `url`: only to our own app page, and never in the print window. */
export function mayRedirect(current: string, url: string): boolean {
  return !current.startsWith('file:') && isAppUrl(url)
}

/** True when `url` may be handed to shell.openExternal: https and an allow-listed host only. */
export function isAllowedExternal(url: string, allow: ReadonlySet<string> = EXTERNAL_ALLOW): boolean {
  try {
    const u = new URL(url)
    return u.protocol === 'https:' && u.username === '' && u.password === '' && allow.has(u.hostname)
  } catch {
    return false
  }
}

/** Permissions the app's own page may use: writing text to the clipboard (copy a document number). */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write'])
