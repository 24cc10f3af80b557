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
 *   tmp/…                               writes in progress (never read)
 */

/** A PC id: short, file-name safe, no spaces, nothing a cloud client appends. */
export const PC_ID = /^[A-Za-z0-9_-]{1,40}$/

/** What a recognised name is. */
export type OurName =
  | { kind: 'vault' }
  | { kind: 'identity'; pc: string }
  | { kind: 'status'; pc: string }
  | { kind: 'segment'; pc: string; seq: number }
  | { kind: 'blob'; hash: string }
  | { kind: 'snapshot'; pc: string; seq: number }

const SEG = /^pcs\/([A-Za-z0-9_-]{1,40})\/seg\/(\d{10})\.seg$/
const IDENTITY = /^pcs\/([A-Za-z0-9_-]{1,40})\/identity\.json$/
const STATUS = /^pcs\/([A-Za-z0-9_-]{1,40})\/status\.json$/
const BLOB = /^blobs\/([0-9a-f]{64})\.blob$/
const SNAP = /^snapshots\/([A-Za-z0-9_-]{1,40})-(\d{10})\.snap$/

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
} as const
