/**
 * A report's 导出 Excel button (合同台帐, 账龄分析, 回款与信用分析, every list): one export at a time,
 * the workbook built off the main thread, saved through the save dialog, and the outcome said in
 * the clerk's words. The page only says which sheet and under which file name.
 */
import { ref } from 'vue'
import { ElMessage } from 'element-plus'
import { useT } from '@app/locales'
import { saveFile } from '@app/services/platform'
import { buildWorkbookOffThread } from './excel-client'
import type { XlsxSheet } from './workbook'

export function useSheetExport() {
  const { t } = useT()
  const exporting = ref(false)

  /** Builds `sheet()` (it may read first) and saves it as `fileName`; `count` is the rows said in the success note. */
  async function exportSheet(fileName: string, sheet: () => XlsxSheet | Promise<{ sheet: XlsxSheet; count: number }>, count?: number): Promise<void> {
    if (exporting.value) return
    exporting.value = true
    try {
      const made = await sheet()
      const [s, n] = 'columns' in made ? [made, count ?? 0] : [made.sheet, made.count]
      if (await saveFile(fileName, await buildWorkbookOffThread([s]), 'xlsx')) ElMessage.success(t('excel.exported', { n }))
    } catch (e) {
      ElMessage.error(t('excel.exportFailed', { message: (e as Error).message }))
    } finally {
      exporting.value = false
    }
  }

  return { exporting, exportSheet }
}
