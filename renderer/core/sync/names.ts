/**
 * File names in the shared folder. Readers accept only names matching these exact patterns and
 * ignore everything else (sync.md "Folder"; fault 9: `.part`, `~$x`, `desktop.ini`, `Thumbs.db`,
 * `.syncthing.*.tmp`, "conflicted copy" files are never read).
 *
 *   vault.json                          written once by the PC that creates the vault
 *   pcs/<pc>/identity.json              the PC's name and public key
 *   pcs/<pc>/status.json                what it imported, its state digest (advisory, rewritten)
 *   pcs/<pc>/seg/<seq:10 digits>.seg    write-once segments
 *   blobs/<sha256 hex>.blob             attachment bytes, stored once under their hash
 *   snapshots/<pc>-<seq:10>.snap        signed snapshots for new PCs
 *   tmp/<uuid>.part                     writes in progress of the folder transport (never read)
 *
 * `vault.json` is also the share's marker: a folder without it is not the office's share (an
 * unmounted network drive leaves an empty mount point behind), and nothing but the vault's own
 * creation is written into such a folder (electron/main/ipc/shared.ts).
 */

/** The longest PC id any PC may use (what readers and the main process accept). */
export const PC_ID_MAX = 40

/** A PC id: short, file-name safe, no spaces, nothing a cloud client appends. */
export const PC_ID = new RegExp(`^[A-Za-z0-9_-]{1,${PC_ID_MAX}}$`)

/** What a recognised name is. */
export type OurName =
  | { kind: 'vault' }
  | { kind: 'identity'; pc: string }
  | { kind: 'status'; pc: string }
  | { kind: 'segment'; pc: string; seq: number }
  | { kind: 'blob'; hash: string }
  | { kind: 'snapshot'; pc: string; seq: number }

const PC = `([A-Za-z0-9_-]{1,${PC_ID_MAX}})`
const SEG = new RegExp(`^pcs/${PC}/seg/(\\d{10})\\.seg$`)
const IDENTITY = new RegExp(`^pcs/${PC}/identity\\.json$`)
const STATUS = new RegExp(`^pcs/${PC}/status\\.json$`)
const BLOB = /^blobs\/([0-9a-f]{64})\.blob$/
const SNAP = new RegExp(`^snapshots/${PC}-(\\d{10})\\.snap$`)

/** Parses a relative path; null for every name we did not write. */
export function parseName(rel: string): OurName | null {
  if (rel === 'vault.json') return { kind: 'vault' }
  let m = SEG.exec(rel)
  if (m) return { kind: 'segment', pc: m[1] as string, seq: Number(m[2]) }
  m = IDENTITY.exec(rel)
  if (m) return { kind: 'identity', pc: m[1] as string }
  m = STATUS.exec(rel)
  if (m) return { kind: 'status', pc: m[1] as string }
  m = BLOB.exec(rel)
  if (m) return { kind: 'blob', hash: m[1] as string }
  m = SNAP.exec(rel)
  if (m) return { kind: 'snapshot', pc: m[1] as string, seq: Number(m[2]) }
  return null
}

/** True only for names this engine writes (fault 9). */
export function isOurName(rel: string): boolean {
  return parseName(rel) !== null
}

const pad = (n: number) => String(n).padStart(10, '0')

/** Paths the engine writes. */
export const paths = {
  vault: 'vault.json',
  pcsDir: 'pcs',
  pcDir: (pc: string) => `pcs/${pc}`,
  segDir: (pc: string) => `pcs/${pc}/seg`,
  segment: (pc: string, seq: number) => `pcs/${pc}/seg/${pad(seq)}.seg`,
  identity: (pc: string) => `pcs/${pc}/identity.json`,
  status: (pc: string) => `pcs/${pc}/status.json`,
  blobDir: 'blobs',
  blob: (hash: string) => `blobs/${hash}.blob`,
  snapshotDir: 'snapshots',
  snapshot: (pc: string, seq: number) => `snapshots/${pc}-${pad(seq)}.snap`,
  tmpDir: 'tmp',
  /** A write in progress of the folder transport; `id` is a random UUID. */
  tmpFile: (id: string) => `tmp/${id}.part`,
} as const

/** The share's marker: a folder is taken for the office's share only when this file is in it. */
export const SHARE_MARKER = paths.vault

/**
 * Largest status, identity or vault file a reader accepts (issue 7: a 200 MB status.json was parsed
 * every round). Ours are a few hundred bytes; with 30 PCs and a hash per cursor about 5 KB.
 */
export const SMALL_FILE_MAX = 64 * 1024

/** The size limit a reader applies to `rel` by its name: the small JSON files; undefined for the rest. */
export function maxBytesFor(rel: string): number | undefined {
  const k = parseName(rel)?.kind
  return k === 'vault' || k === 'identity' || k === 'status' ? SMALL_FILE_MAX : undefined
}

/** The longest name of each kind the engine writes: the longest PC id, the highest sequence, a full hash, a UUID. */
const LONGEST_PC = 'x'.repeat(PC_ID_MAX)
const LONGEST_SEQ = 9_999_999_999
const LONGEST_ARGS: { [K in keyof typeof paths]: (typeof paths)[K] extends (...a: infer A) => string ? A : [] } = {
  vault: [], pcsDir: [], pcDir: [LONGEST_PC], segDir: [LONGEST_PC], segment: [LONGEST_PC, LONGEST_SEQ],
  identity: [LONGEST_PC], status: [LONGEST_PC], blobDir: [], blob: ['f'.repeat(64)], snapshotDir: [],
  snapshot: [LONGEST_PC, LONGEST_SEQ], tmpDir: [], tmpFile: ['ffffffff-ffff-4fff-bfff-ffffffffffff'],
}

/**
 * The longest relative path the engine (or the folder transport) can write under the shared root.
 * Computed from `paths` itself (a new kind of name must say its longest arguments above, or this
 * file does not compile), so the root's length check stays true when names change.
 */
export function longestRelativePath(): string {
  let longest = ''
  for (const key of Object.keys(paths) as Array<keyof typeof paths>) {
    const p = paths[key] as string | ((...a: unknown[]) => string)
    const rel = typeof p === 'string' ? p : p(...(LONGEST_ARGS[key] as unknown[]))
    if (rel.length > longest.length) longest = rel
  }
  return longest
}

/** See `longestRelativePath`; today `blobs/<64 hex>.blob`, 75 characters. */
export const LONGEST_RELATIVE_PATH = longestRelativePath()

/**
 * Longest full path allowed for any file under the shared root: Windows' MAX_PATH is 260 with the
 * drive and the final NUL; 250 leaves room for a share or a cloud client that adds a little.
 */
export const MAX_FULL_PATH = 250

/** True when every file the engine writes under `root` stays within `MAX_FULL_PATH` (separator counted). */
export function rootFitsMaxPath(root: string): boolean {
  const sep = /[\\/]$/.test(root) ? 0 : 1
  return root.length + sep + LONGEST_RELATIVE_PATH.length <= MAX_FULL_PATH
}
