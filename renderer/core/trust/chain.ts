/**
 * The audit chain: each PC's audit entries are numbered 1, 2, … and each holds the chain hash of
 * the one before (data/audit.ts sealAudit). An entry removed from the middle, or altered after it
 * was written, leaves a break that every PC holding the entries can see.
 */
import type { AuditEntry } from '../model'
import { chainHash } from './sign'

/** One break in one device's chain. */
export interface ChainBreak { dev: string; n: number; kind: 'missing' | 'altered'; message: { zh: string; en: string } }

/** The breaks in the chains of the given entries (unsigned, unchained entries are ignored). */
export function chainBreaks(entries: Iterable<AuditEntry>): ChainBreak[] {
  const byDev = new Map<string, Map<number, AuditEntry>>()
  for (const e of entries) {
    if (typeof e.dev !== 'string' || typeof e.n !== 'number') continue
    let m = byDev.get(e.dev)
    if (!m) byDev.set(e.dev, (m = new Map()))
    m.set(e.n, e)
  }
  const out: ChainBreak[] = []
  for (const [dev, m] of byDev) {
    const top = Math.max(...m.keys())
    for (let n = 1; n <= top; n++) {
      const e = m.get(n)
      if (!e) {
        out.push({ dev, n, kind: 'missing', message: { zh: `操作记录缺失：设备 ${dev.slice(0, 8)} 的第 ${n} 条记录不见了`, en: `audit entry #${n} of device ${dev.slice(0, 8)} is missing` } })
        continue
      }
      const before = m.get(n - 1)
      if (n > 1 && before && e.prev !== chainHash(before)) {
        out.push({ dev, n: n - 1, kind: 'altered', message: { zh: `操作记录被改动：设备 ${dev.slice(0, 8)} 的第 ${n - 1} 条记录与后一条不符`, en: `audit entry #${n - 1} of device ${dev.slice(0, 8)} was altered` } })
      }
    }
  }
  return out
}
