import type { LoadedDoc } from '@core/ports'
import type { FormData, Values } from '@forms/schema/types'
import { groupLines } from '@core/records'

/** A loaded document as form data with some values changed (the edit screen's save). */
export function toFormDataForTest(loaded: LoadedDoc, values: Values): FormData {
  return { values: { ...loaded.doc.values, ...values }, lines: groupLines(loaded.lines) }
}
