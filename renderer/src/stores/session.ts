import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { Actor, ProxyGrant, Settings, User } from '@core/model'
import { rolesOf, type ActorContext } from '@core/workflow'
import { type Locale, saveLocale, savedLocale } from '@app/locales'
import { backend } from './backend'

const SESSION_KEY = 'marketdesk.session'

/** Today's date on this PC as "YYYY-MM-DD" (local time: a grant's window is in office days). */
export function localToday(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}

/**
 * The seam for passwords: today every user is let in; later this checks a password or PIN.
 * Kept async so a real check can drop in without touching callers.
 */
export async function authenticate(_user: User): Promise<boolean> { return true }

/** Who is at the keyboard, whom they act for, the office directory and this PC's settings. */
export const useSessionStore = defineStore('session', () => {
  const users = shallowRef<User[]>([])
  const grants = shallowRef<ProxyGrant[]>([])
  const settings = ref<Settings>({ company: { name: '', address: '', phone: '' }, pcCode: '' })
  const userId = ref<string | null>(null)
  /** The proxy grant the user chose to act under, or null when acting as themselves. */
  const grantId = ref<string | null>(null)
  const locale = ref<Locale>(savedLocale())
  const loaded = ref(false)

  const user = computed(() => users.value.find((u) => u.id === userId.value) ?? null)
  const grant = computed(() => grants.value.find((g) => g.id === grantId.value) ?? null)
  const principal = computed(() => users.value.find((u) => u.id === grant.value?.principalId) ?? null)

  /** The grants the workflow may use: only the one the user chose to act under. */
  const activeGrants = computed(() => (grant.value ? [grant.value] : []))

  /** What the workflow engine needs to decide what this user may do. */
  const actorContext = computed<ActorContext | null>(() =>
    user.value ? { user: user.value, grants: activeGrants.value, users: users.value } : null)

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

  async function load() {
    const { directory } = await backend()
    const [u, g, s] = await Promise.all([directory.users(), directory.proxies(), directory.settings()])
    users.value = u
    grants.value = g
    settings.value = s
    if (!loaded.value) {
      loaded.value = true
      try {
        const saved = JSON.parse(localStorage.getItem(SESSION_KEY) ?? 'null') as { userId?: string; grantId?: string | null } | null
        if (saved?.userId && u.some((x) => x.id === saved.userId && x.active)) {
          userId.value = saved.userId
          grantId.value = saved.grantId && g.some((x) => x.id === saved.grantId) ? saved.grantId : null
        }
      } catch { /* a corrupt entry: choose again */ }
    }
  }

  /** Chooses who is at the keyboard, optionally acting under a proxy grant. False if refused. */
  async function choose(id: string, asGrant: string | null = null): Promise<boolean> {
    const u = users.value.find((x) => x.id === id)
    if (!u || !(await authenticate(u))) return false
    userId.value = id
    grantId.value = asGrant && proxyChoices(u).some((c) => c.grant.id === asGrant) ? asGrant : null
    try { localStorage.setItem(SESSION_KEY, JSON.stringify({ userId: id, grantId: grantId.value })) } catch { /* session only */ }
    return true
  }

  function signOut() {
    userId.value = null
    grantId.value = null
  }

  function setLocale(l: Locale) {
    locale.value = l
    saveLocale(l)
    void backend().then(({ directory }) => directory.setLanguage(l)).catch(() => undefined)
  }

  return { users, grants, settings, userId, grantId, locale, loaded, user, grant, principal, actorContext, actor, roles, proxyChoices, load, choose, signOut, setLocale }
})
