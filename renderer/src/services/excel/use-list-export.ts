/**
 * The 导出 Excel button's action for a form list (issue 10): collects every record the list's
 * current query (search, filters, sort) matches through the documents store, builds the workbook and saves it. Kept out
 * of FormList so the list only holds a button.
 */
import type { FormDef } from '@forms/schema/types'
import type { ListQuery } from '@core/list-query'
import { useLabel, useLang } from '@app/locales/label'
import { useDocumentsStore } from '@app/stores/documents'
import { localToday, useSessionStore } from '@app/stores/session'
import { collectListExport, listFileName } from './list-export'
import { useSheetExport } from './use-sheet-export'

export function useListExport() {
  const label = useLabel()
  const lang = useLang()
  const docs = useDocumentsStore()
  const session = useSessionStore()
  const { exporting, exportSheet } = useSheetExport()

  function exportList(form: FormDef, query: ListQuery): Promise<void> {
    const userName = (id: string) => session.users.find((u) => u.id === id)?.name
    return exportSheet(listFileName(label(form.title), localToday()), () => collectListExport(form, query, docs, { lang: lang(), userName }))
  }

  return { exporting, exportList }
}
