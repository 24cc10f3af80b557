/** Main-process settings as a small JSON file in userData (the renderer's data lives in IndexedDB). */
import { mkdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { PC_ID } from '../../renderer/core/sync/names'
import type { MainSettings, SettingsStore, SharedTarget } from './ipc/deps'
import { writeWhole } from './ipc/file-ops'

/** A settings store backed by `file`; a missing or corrupt file reads as empty settings. */
export function createSettingsStore(file: string): SettingsStore {
  let cache: MainSettings | undefined
  let chain: Promise<unknown> = Promise.resolve()
  const load = async (): Promise<MainSettings> => {
    if (cache) return cache
    try {
      const parsed: unknown = JSON.parse(await readFile(file, 'utf8'))
      cache = parsed && typeof parsed === 'object' ? pick(parsed as Record<string, unknown>) : {}
    } catch {
      cache = {}
    }
    return cache
  }
  return {
    get: async () => ({ ...(await load()) }),
    update: (patch) => {
      // Serialised so two quick updates cannot interleave their writes.
      const next = chain.then(async () => {
        const merged = { ...(await load()), ...patch }
        await mkdir(path.dirname(file), { recursive: true })
        await writeWhole(file, JSON.stringify(merged, null, 2))
        cache = merged
        return { ...merged }
      })
      chain = next.catch(() => undefined)
      return next
    },
  }
}

function pick(o: Record<string, unknown>): MainSettings {
  const s: MainSettings = {}
  const shared = pickTarget(o.shared)
  if (shared) s.shared = shared
  if (typeof o.sharedRoot === 'string') s.sharedRoot = o.sharedRoot
  if (typeof o.lastSaveDir === 'string') s.lastSaveDir = o.lastSaveDir
  if (typeof o.ownPc === 'string' && PC_ID.test(o.ownPc)) s.ownPc = o.ownPc
  return s
}

/** The sync target of a settings file, or undefined when it is missing or malformed. */
function pickTarget(v: unknown): SharedTarget | undefined {
  if (!v || typeof v !== 'object') return undefined
  const t = v as Record<string, unknown>
  if (t.kind === 'folder' && typeof t.path === 'string' && t.path !== '') return { kind: 'folder', path: t.path }
  if (t.kind === 'webdav' && typeof t.url === 'string' && /^https?:\/\//i.test(t.url) && typeof t.username === 'string') {
    const out: SharedTarget = { kind: 'webdav', url: t.url, username: t.username }
    if (typeof t.timeoutMs === 'number' && Number.isInteger(t.timeoutMs) && t.timeoutMs >= 100 && t.timeoutMs <= 300_000) out.timeoutMs = t.timeoutMs
    return out
  }
  return undefined
}
