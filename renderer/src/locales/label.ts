import { useI18n } from 'vue-i18n'
import type { Label } from '@forms/schema/types'

/** Picks a form definition's label in the current UI language. */
export function useLabel(): (l: Label | undefined) => string {
  const { locale } = useI18n()
  return (l) => (l ? (locale.value === 'en' ? l.en : l.zh) : '')
}

/** The current UI language as the core's display functions take it (`displayValue`). */
export function useLang(): () => 'zh' | 'en' {
  const { locale } = useI18n()
  return () => (locale.value === 'en' ? 'en' : 'zh')
}
