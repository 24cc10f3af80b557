import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { Label } from '@forms/schema/types'
import { formById } from '@forms/registry'
import type { ManualMatch } from '@app/data/db'
import { readScan } from '@app/services/scan/scan-client'
import { pickImportFiles } from '@app/services/platform'
import { attachManual, decideOlder, importFiles, type FileImport, type ImportDeps, type ImportSource, type Outcome } from '@app/services/import'
import { backend } from './backend'
import { localToday, useSessionStore } from './session'
import { useDocumentsStore } from './documents'

/** The clerk's decision on an older version, once taken. */
export type Decided = { choice: 'attach' | 'discard'; message: Label }

/** Runs imports for the import page and keeps the manual-match list; the decisions are the core's. */
export const useImportStore = defineStore('import', () => {
  const results = shallowRef<FileImport[]>([])
  const decided = shallowRef(new Map<Outcome, Decided>())
  const busy = ref(false)
  const current = ref('')
  const manual = shallowRef<ManualMatch[]>([])

  async function deps(): Promise<ImportDeps> {
    const s = useSessionStore()
    if (!s.actor || !s.actorContext) throw new Error('请先选择用户')
    const { db, documents, manualMatches } = await backend()
    return {
      readScan: (f) => readScan(f, { thumbnails: true }), db, documents, manualMatches, forms: formById, actor: s.actor, actorContext: s.actorContext, users: s.users,
      today: localToday(), now: () => new Date().toISOString(),
    }
  }

  /** Imports picked files, each read only when its turn comes (tests pass their own `read`). */
  async function importPicked(files: ImportSource[]) {
    if (files.length === 0) return
    busy.value = true
    try {
      const d = await deps()
      results.value = []
      for (const f of files) {
        current.value = f.name
        const [r] = await importFiles([f], d)
        results.value = [...results.value, r!]
      }
      useDocumentsStore().revision++
      await loadManual()
    } finally { busy.value = false; current.value = '' }
  }

  async function pick(mode: 'files' | 'folder') {
    await importPicked(await pickImportFiles(mode))
  }

  async function decide(o: Extract<Outcome, { kind: 'olderVersion' }>, choice: 'attach' | 'discard') {
    const message = await decideOlder(o, choice, await deps())
    decided.value = new Map(decided.value).set(o, { choice, message })
    useDocumentsStore().revision++
  }

  async function loadManual() {
    manual.value = await (await backend()).manualMatches.pending()
  }

  async function attach(m: ManualMatch, number: string) {
    const r = await attachManual(m, number, await deps())
    if (r.ok) { await loadManual(); useDocumentsStore().revision++ }
    return r
  }

  async function discardManual(m: ManualMatch) {
    const s = useSessionStore()
    if (!s.actor) return
    await (await backend()).manualMatches.resolve(m.id, undefined, s.actor)
    await loadManual()
  }

  return { results, decided, busy, current, manual, importPicked, pick, decide, loadManual, attach, discardManual }
})
