import { createI18n, useI18n } from 'vue-i18n'
import zhCN, { type Messages } from './zh-CN'
import en from './en'

export type Locale = 'zh-CN' | 'en'
export const LOCALES: Array<{ value: Locale; label: string }> = [
  { value: 'zh-CN', label: '中文' },
  { value: 'en', label: 'English' },
]

const LOCALE_KEY = 'marketdesk.locale'

/** The saved UI language, zh-CN unless the clerk chose English. */
export function savedLocale(): Locale {
  try { return localStorage.getItem(LOCALE_KEY) === 'en' ? 'en' : 'zh-CN' } catch { return 'zh-CN' }
}

export function saveLocale(locale: Locale): void {
  try { localStorage.setItem(LOCALE_KEY, locale) } catch { /* private mode: keep it for this session */ }
}

/** A fresh i18n instance (tests make their own). Keys are typed by the zh-CN shape. */
export function makeI18n(locale: Locale = savedLocale()) {
  return createI18n({
    legacy: false as const,
    locale: locale as Locale,
    fallbackLocale: 'zh-CN' as const,
    messages: { 'zh-CN': zhCN, en } satisfies Record<Locale, Messages>,
  })
}

export type { Messages }

declare module 'vue-i18n' {
  // Typed message keys: `t('menu.inbox')` is checked against the zh-CN shape.
  export interface DefineLocaleMessage extends Messages {}
}

/** Every message key, e.g. `'menu.inbox'`: dotted paths to the string leaves of the zh-CN shape. */
type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>
}[keyof T & string]
export type MessageKey = Leaves<Messages>

/** `useI18n` with typed keys: a misspelt key fails the type check instead of showing the key. */
export function useT() {
  const { t, locale } = useI18n()
  const tt = (key: MessageKey, named?: Record<string, unknown>): string => (named ? t(key, named) : t(key))
  /** The quieter line under a rule's message: 依据 §5.7.2（R14）, or 依据 §5.9 for a clause without a rule id. */
  const basis = (n: { rule?: string | undefined; clause?: string | undefined }): string =>
    (n.rule ? tt('doc.blocked', { rule: n.rule, clause: n.clause ?? '' }) : n.clause ? tt('doc.blockedClause', { clause: n.clause }) : '')
  return { t: tt, locale, basis }
}
