/**
 * The 导出 Excel button's action for a form list (issue 10): collects every record the list's
 * current query (search, filters, sort) matches through the documents store, builds the workbook and saves it. Kept out
 * of FormList so the list only holds a button.
 */
import { ref } from 'vue'
import { ElMessage } from 'element-plus'
import type { FormDef } from '@forms/schema/types'
import type { ListQuery } from '@core/list-query'
import { useT } from '@app/locales'
import { useLabel, useLang } from '@app/locales/label'
import { useDocumentsStore } from '@app/stores/documents'
import { localToday, useSessionStore } from '@app/stores/session'
import { saveFile } from '@app/services/platform'
import { collectListExport, listFileName } from './list-export'
import { buildWorkbookOffThread } from './excel-client'

export function useListExport() {
  const { t } = useT()
  const label = useLabel()
  const lang = useLang()
  const docs = useDocumentsStore()
  const session = useSessionStore()
  const exporting = ref(false)

  async function exportList(form: FormDef, query: ListQuery): Promise<void> {
    if (exporting.value) return
    exporting.value = true
    try {
      const userName = (id: string) => session.users.find((u) => u.id === id)?.name
      const { sheet, count } = await collectListExport(form, query, docs, { lang: lang(), userName })
      const bytes = await buildWorkbookOffThread([sheet])
      if (!(await saveFile(listFileName(label(form.title), localToday()), bytes, 'xlsx'))) return
      ElMessage.success(t('excel.exported', { n: count }))
    } catch (e) {
      ElMessage.error(t('excel.exportFailed', { message: (e as Error).message }))
    } finally {
      exporting.value = false
    }
  }

  return { exporting, exportList }
}
