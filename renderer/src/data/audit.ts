/**
 * Signed, chained audit entries. Every audit entry this PC writes is signed by the signed-in user
 * (their Ed25519 key, unlocked by their password) and chained per device: it carries its number
 * `n` and the hash of the device's previous entry, so an entry removed or altered anywhere is seen
 * (core/trust/chain.ts). Called inside the business write's transaction, synchronously signed.
 */
import type { AuditEntry } from '@core/model'
import { viewOf } from '@core/trust/directory'
import { chainHash, signObject } from '@core/trust/sign'
import type { DeskDb } from './db'
import { NotAllowed, type SignedIn } from './directory'

const CHAIN_KEY = 'auditChain'

/** This PC's device id (made on first use). Call inside a transaction that includes `settings`. */
export async function deviceIdInTx(db: DeskDb): Promise<string> {
  let id = (await db.settings.get('deviceId'))?.value as string | undefined
  if (!id) { id = crypto.randomUUID(); await db.settings.put({ key: 'deviceId', value: id }) }
  return id
}

/** The office's calendar date of an ISO instant on this PC (a proxy grant's window is in office days). */
export function localDay(iso: string): string {
  const d = new Date(iso)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

/**
 * Signs, chains and stores an audit entry; returns it as stored (the outbox row carries it whole).
 * The caller's transaction must include `audit`, `meta`, `settings` and `directory`.
 */
export async function sealAudit(db: DeskDb, signer: SignedIn | null, entry: AuditEntry, fixed?: FixedChain): Promise<AuditEntry> {
  if (!signer) throw new NotAllowed('请先登录', 'Please sign in first')
  if (entry.actor.userId !== signer.user.id) throw new NotAllowed('只能以登录的用户身份操作', 'You can act only as the signed-in user')
  const dev = fixed?.dev ?? (await deviceIdInTx(db))
  const chain = fixed ? { n: fixed.n - 1, hash: fixed.prev } : ((await db.meta.get(CHAIN_KEY))?.value as { n: number; hash: string } | undefined) ?? { n: 0, hash: '' }
  const view = viewOf(await db.directory.toArray())
  const unsigned: AuditEntry = { ...entry, day: fixed ? entry.at.slice(0, 10) : localDay(entry.at), dev, n: chain.n + 1, prev: chain.hash, view }
  const sealed: AuditEntry = { ...unsigned, sig: signObject('audit', unsigned, signer.seed) }
  await db.audit.add(sealed)
  if (!fixed) await db.meta.put({ key: CHAIN_KEY, value: { n: sealed.n, hash: chainHash(sealed) } })
  return sealed
}

/**
 * A chain position given by the caller instead of this PC's own: only the demo seed, whose records
 * must be the same on every PC that seeds them (a device of their own, numbered in seed order).
 */
export interface FixedChain { dev: string; n: number; prev: string }
