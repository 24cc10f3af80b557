/**
 * Saved list filters (我的常用, issue 10): a name and a `ListQuery`, per user and per form, kept in
 * this PC's `meta` table. Local on purpose: `meta` is never synced (no outbox rows), so a clerk's
 * shortcuts stay on the PC where they were made; no sync, no schema change.
 */
import type { ListQuery } from '@core/list-query'
import type { DeskDb } from './db'

export interface SavedFilter { name: string; query: ListQuery }

export interface SavedFilterStore {
  list(userId: string, form: string): Promise<SavedFilter[]>
  /** Saves under `name`, replacing a filter of the same name; returns the list as stored. */
  save(userId: string, form: string, filter: SavedFilter): Promise<SavedFilter[]>
  remove(userId: string, form: string, name: string): Promise<SavedFilter[]>
}

const keyOf = (userId: string, form: string) => `listFilters:${userId}:${form}`

/** The saved filters of a database. */
export function createSavedFilterStore(db: DeskDb): SavedFilterStore {
  const read = async (key: string) => ((await db.meta.get(key))?.value as SavedFilter[] | undefined) ?? []
  const write = (key: string, change: (list: SavedFilter[]) => SavedFilter[]) =>
    db.transaction('rw', db.meta, async () => {
      const next = change(await read(key))
      await db.meta.put({ key, value: next })
      return next
    })
  return {
    list: (userId, form) => read(keyOf(userId, form)),
    save: (userId, form, filter) => write(keyOf(userId, form), (list) =>
      [...list.filter((f) => f.name !== filter.name), { name: filter.name, query: JSON.parse(JSON.stringify(filter.query)) as ListQuery }]
        .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))),
    remove: (userId, form, name) => write(keyOf(userId, form), (list) => list.filter((f) => f.name !== name)),
  }
}
