import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { Actor, ProxyGrant, Settings, User } from '@core/model'
import { rolesOf, type ActorContext } from '@core/workflow'
import { DEFAULT_OFFICE_SETTINGS, isAdmin as holdsAdmin, type OfficeSettings } from '@core/trust/directory'
import { startDemo as installDemo } from '@app/data'
import type { Company, OfficeState, SignInResult } from '@app/data/directory'
import { type Locale, saveLocale, savedLocale } from '@app/locales'
import { backend } from './backend'

/** The last user who signed in on this PC: only to preselect them on the start page, never to sign in. */
const LAST_USER_KEY = 'marketdesk.lastUser'
/** Where earlier versions kept the signed-in user (restored without a password); removed on start. */
const OLD_SESSION_KEY = 'marketdesk.session'
/**
 * Test hook: when `localStorage['marketdesk.idleMs']` holds a positive number, the screen locks
 * after that many milliseconds without input instead of the office's 自动锁定 minutes. The e2e
 * tests set a few seconds; a clerk never needs it.
 */
export const IDLE_MS_KEY = 'marketdesk.idleMs'
/** What counts as the clerk being at the keyboard. */
const INPUT_EVENTS = ['keydown', 'mousedown', 'mousemove', 'wheel', 'touchstart', 'pointerdown'] as const

/** Today's date on this PC as "YYYY-MM-DD" (local time: a grant's window is in office days). */
export function localToday(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}

function readLocal(key: string): string | null {
  try { return localStorage.getItem(key) } catch { return null }
}
function writeLocal(key: string, value: string | null): void {
  try { if (value === null) localStorage.removeItem(key); else localStorage.setItem(key, value) } catch { /* private mode: this session only */ }
}

/**
 * Who is at the keyboard (signed in with their password), whom they act for, the office directory
 * and this PC's settings; the idle lock. The directory store decides who may do what; this store
 * only follows it for the pages.
 */
export const useSessionStore = defineStore('session', () => {
  const users = shallowRef<User[]>([])
  const grants = shallowRef<ProxyGrant[]>([])
  const settings = ref<Settings>({ company: { name: '', address: '', phone: '' }, pcCode: '' })
  const office = ref<OfficeState>({ kind: 'none' })
  const officeSettings = ref<OfficeSettings>({ ...DEFAULT_OFFICE_SETTINGS })
  const userId = ref<string | null>(null)
  /** The proxy grant the user chose to act under, or null when acting as themselves. */
  const grantId = ref<string | null>(null)
  /** True while the screen is locked (idle or by hand): the user must type their password again. */
  const locked = ref(false)
  /** Who signed in last on this PC (preselected on the start page). */
  const lastUserId = ref<string | null>(readLocal(LAST_USER_KEY))
  const locale = ref<Locale>(savedLocale())
  const loaded = ref(false)

  const user = computed(() => users.value.find((u) => u.id === userId.value) ?? null)
  const grant = computed(() => grants.value.find((g) => g.id === grantId.value) ?? null)
  const principal = computed(() => users.value.find((u) => u.id === grant.value?.principalId) ?? null)
  /** The signed-in user holds the administrator role (own role, never through a proxy grant). */
  const isAdmin = computed(() => holdsAdmin(user.value ?? undefined))
  const isDemo = computed(() => office.value.kind === 'demo')

  /** The grants the workflow may use: only the one the user chose to act under. */
  const activeGrants = computed(() => (grant.value ? [grant.value] : []))

  /** What the workflow engine needs to decide what this user may do. */
  const actorContext = computed<ActorContext | null>(() =>
    user.value ? { user: user.value, grants: activeGrants.value, users: users.value, policy: officeSettings.value.policy } : null)

  /** Recorded on every change: the user, and whom they act for while acting as a proxy. */
  const actor = computed<Actor | null>(() => {
    if (!user.value) return null
    const a: Actor = { userId: user.value.id, name: user.value.name }
    if (grant.value && principal.value) a.actingFor = { userId: principal.value.id, name: principal.value.name, role: grant.value.role }
    return a
  })

  const roles = computed(() => (user.value ? rolesOf(user.value, activeGrants.value, users.value, localToday()) : []))

  /** Proxy grants valid today that let `u` act for someone (the choices on the start page). */
  function proxyChoices(u: User): Array<{ grant: ProxyGrant; principal: User }> {
    return rolesOf(u, grants.value, users.value, localToday())
      .filter((h) => h.actingFor)
      .map((h) => ({ grant: grants.value.find((g) => g.proxyId === u.id && g.principalId === h.actingFor!.id && g.role === h.role)!, principal: h.actingFor! }))
      .filter((c) => c.grant)
  }

  // --- the wait after a wrong password (the directory refuses earlier attempts; this shows the countdown) ---
  const retry = ref<{ userId: string; until: number } | null>(null)
  const clock = ref(Date.now())
  let retryTimer: ReturnType<typeof setInterval> | undefined

  function noteRefusal(id: string, r: SignInResult) {
    if (r.ok || !r.waitMs || r.waitMs <= 0) return
    retry.value = { userId: id, until: Date.now() + r.waitMs }
    clock.value = Date.now()
    if (retryTimer !== undefined) clearInterval(retryTimer)
    retryTimer = setInterval(() => {
      clock.value = Date.now()
      if (!retry.value || clock.value >= retry.value.until) { clearInterval(retryTimer); retryTimer = undefined; retry.value = null }
    }, 250)
  }

  /** Whole seconds before user `id` may try their password again (0: now). */
  function waitSeconds(id: string | null | undefined): number {
    const r = retry.value
    if (!r || !id || r.userId !== id) return 0
    return Math.max(0, Math.ceil((r.until - clock.value) / 1000))
  }

  // --- idle lock ---
  let idleTimer: ReturnType<typeof setTimeout> | undefined
  let lastInput = 0
  const onInput = () => { lastInput = Date.now() }

  function idleMs(): number {
    const override = Number(readLocal(IDLE_MS_KEY))
    if (Number.isFinite(override) && override > 0) return override
    return Math.max(1, officeSettings.value.idleMinutes) * 60_000
  }

  /** Starts watching for input; after the idle time without any, the screen locks. */
  function armIdle() {
    disarmIdle()
    if (typeof window === 'undefined') return
    for (const e of INPUT_EVENTS) window.addEventListener(e, onInput, { capture: true, passive: true })
    lastInput = Date.now()
    // One timer that re-arms for the time left, instead of a new timer on every mouse move.
    const tick = () => {
      const left = lastInput + idleMs() - Date.now()
      if (left <= 0) lock()
      else idleTimer = setTimeout(tick, left)
    }
    idleTimer = setTimeout(tick, idleMs())
  }

  function disarmIdle() {
    if (idleTimer !== undefined) clearTimeout(idleTimer)
    idleTimer = undefined
    if (typeof window === 'undefined') return
    for (const e of INPUT_EVENTS) window.removeEventListener(e, onInput, { capture: true })
  }

  /** Follows a successful sign-in: who, under which grant (only one valid today), remembered as the last user. */
  function enter(id: string, asGrant: string | null) {
    const u = users.value.find((x) => x.id === id)
    userId.value = id
    grantId.value = u && asGrant && proxyChoices(u).some((c) => c.grant.id === asGrant) ? asGrant : null
    locked.value = false
    lastUserId.value = id
    writeLocal(LAST_USER_KEY, id)
    armIdle()
  }

  async function load() {
    const { directory } = await backend()
    const [o, u, g, s, os] = await Promise.all([directory.office(), directory.users(), directory.proxies(), directory.settings(), directory.officeSettings()])
    office.value = o
    users.value = u
    grants.value = g
    settings.value = s
    officeSettings.value = os
    if (!loaded.value) {
      loaded.value = true
      // A restart needs the password: the old remembered session is dropped, not restored.
      writeLocal(OLD_SESSION_KEY, null)
    }
    // The directory store signed someone in by itself (the setup wizard's first administrator).
    const current = directory.current()
    if (current && !userId.value) enter(current.user.id, current.grantId)
    // Deactivated meanwhile (a directory entry arrived by sync): out at once.
    if (userId.value && !u.some((x) => x.id === userId.value && x.active)) signOut()
  }

  /** Signs in with the password, optionally acting under a proxy grant; the result carries the clerk's message when refused. */
  async function signIn(id: string, password: string, asGrant: string | null = null): Promise<SignInResult> {
    const { directory } = await backend()
    const r = await directory.signIn(id, password, asGrant)
    if (r.ok) {
      await load()
      enter(id, asGrant)
    } else noteRefusal(id, r)
    return r
  }

  /** Locks the screen: the key is forgotten, the user and the page stay until the password is typed again. */
  function lock() {
    if (!userId.value || locked.value) return
    locked.value = true
    disarmIdle()
    void backend().then(({ directory }) => directory.lock())
  }

  /** Unlocks with the locked user's password (same delays and messages as signing in). */
  async function unlock(password: string): Promise<SignInResult> {
    if (!userId.value) return { ok: false, reason: 'unknown', failures: 0, message: { zh: '请先登录', en: 'Please sign in first' } }
    const { directory } = await backend()
    const id = userId.value
    const r = await directory.signIn(id, password, grantId.value)
    if (r.ok) enter(id, grantId.value)
    else noteRefusal(id, r)
    return r
  }

  function signOut() {
    disarmIdle()
    userId.value = null
    grantId.value = null
    locked.value = false
    void backend().then(({ directory }) => directory.signOut())
  }

  /** The signed-in user's own new password (old one first); the message says what is wrong. */
  async function changePassword(oldPassword: string, newPassword: string): Promise<{ ok: true } | { ok: false; message: { zh: string; en: string } }> {
    const { directory } = await backend()
    return directory.changeOwnPassword(oldPassword, newPassword)
  }

  /** Setup wizard: founds the office; its first administrator is signed in. */
  async function createOffice(input: { company: Company; pcName: string; admin: { name: string; dept?: string; password: string } }): Promise<User> {
    const { directory } = await backend()
    const admin = await directory.createOffice(input)
    await load()
    enter(admin.id, null)
    return admin
  }

  /** Setup wizard: installs the demo office on this profile (it can never join a real one). */
  async function startDemo(): Promise<void> {
    await installDemo(await backend())
    await load()
  }

  function setLocale(l: Locale) {
    locale.value = l
    saveLocale(l)
    void backend().then(({ directory }) => directory.setLanguage(l)).catch(() => undefined)
  }

  return {
    users, grants, settings, office, officeSettings, userId, grantId, locked, lastUserId, locale, loaded,
    user, grant, principal, isAdmin, isDemo, actorContext, actor, roles, proxyChoices,
    waitSeconds, load, signIn, lock, unlock, signOut, changePassword, createOffice, startDemo, setLocale,
  }
})
