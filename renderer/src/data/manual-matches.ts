/**
 * Scanned pages that matched no document (no QR, unknown number, content changed): kept with a
 * thumbnail and the reason until a clerk assigns or discards them. They are this PC's work queue
 * and stay local; the attachment made on assignment is what syncs.
 */
import type { Actor } from '@core/model'
import type { DeskDb, ManualMatch } from './db'

export type ManualMatchInput = Omit<ManualMatch, 'id' | 'at' | 'by' | 'resolved'>

export interface ManualMatchStore {
  /** Queues a page; the same page of the same file is queued once (returns the queued one). */
  add(input: ManualMatchInput, actor: Actor): Promise<ManualMatch>
  /** Unresolved pages, oldest first. */
  pending(): Promise<ManualMatch[]>
  /** Everything queued from one scanned file, resolved or not. */
  forFile(fileHash: string): Promise<ManualMatch[]>
  /** Marks a page as attached to `docId`, or discarded when `docId` is undefined. */
  resolve(id: string, docId: string | undefined, actor: Actor): Promise<void>
}

/** Creates the store of unmatched scan pages. */
export function createManualMatchStore(db: DeskDb, deps: { now: () => string }): ManualMatchStore {
  return {
    async add(input, actor) {
      return db.transaction('rw', db.manualMatches, async () => {
        const same = (await db.manualMatches.where('fileHash').equals(input.fileHash).toArray()).find((m) => m.page === input.page)
        if (same) return same
        const row: ManualMatch = { ...input, id: crypto.randomUUID(), at: deps.now(), by: actor.userId }
        await db.manualMatches.add(row)
        return row
      })
    },
    async pending() {
      return (await db.manualMatches.toArray()).filter((m) => !m.resolved).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.page - b.page))
    },
    forFile: (fileHash) => db.manualMatches.where('fileHash').equals(fileHash).toArray(),
    async resolve(id, docId, actor) {
      const resolved: NonNullable<ManualMatch['resolved']> = docId ? { at: deps.now(), by: actor.userId, docId } : { at: deps.now(), by: actor.userId, discarded: true }
      const n = await db.manualMatches.update(id, { resolved })
      if (n === 0) throw new Error(`未找到待处理扫描页 / no such queued page: ${id}`)
    },
  }
}
