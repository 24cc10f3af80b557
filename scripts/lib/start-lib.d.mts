// Types of start-lib.mjs (plain Node ESM, run by `npm start` without tsx), for scripts/start.test.ts.

/** A remembered failed Electron download: when (ISO, or '?') and for which electron version (or '?'). */
export interface ElectronMarker { date: string; electron: string }
/** How to open a URL in the default browser; `verbatim`: cmd.exe arguments passed unquoted. */
export interface OpenerCommand { cmd: string; args: string[]; verbatim: boolean }

export function markerPath(root: string): string
export function readMarker(file: string): ElectronMarker | null
export function writeMarker(file: string, version: string, now?: Date): void
export function clearMarker(file: string): void
export function markerApplies(marker: ElectronMarker | null, installedVersion: string): boolean
export function isOfflineError(output: string): boolean
export function downloadFailedLine(o: { url: string; offline: boolean; markerRel: string }): string
export function downloadSkippedLine(o: { date: string; markerRel: string }): string
export function openerCommand(platform: string, url: string, env: Record<string, string | undefined>): OpenerCommand | null
