import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'
import { ElMessage } from 'element-plus'
import { useSessionStore } from './stores/session'
import zhCN from './locales/zh-CN'
import en from './locales/en'

declare module 'vue-router' {
  interface RouteMeta {
    /** Open without a signed-in user. */
    public?: boolean
    /** Only an administrator may open it. */
    admin?: boolean
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/setup', name: 'setup', component: () => import('./pages/SetupPage.vue'), meta: { public: true } },
  { path: '/start', name: 'start', component: () => import('./pages/StartPage.vue'), meta: { public: true } },
  { path: '/', name: 'inbox', component: () => import('./pages/InboxPage.vue') },
  { path: '/list/:form', name: 'list', component: () => import('./pages/ListPage.vue'), props: true },
  { path: '/doc/:form/new', name: 'new', component: () => import('./pages/DocumentPage.vue'), props: (r) => ({ form: r.params.form, id: undefined }) },
  { path: '/doc/:form/:id', name: 'doc', component: () => import('./pages/DocumentPage.vue'), props: true },
  { path: '/report/contracts', name: 'ledger', component: () => import('./pages/LedgerPage.vue') },
  { path: '/report/ageing', name: 'ageing', component: () => import('./pages/AgeingPage.vue') },
  { path: '/report/credit', name: 'credit', component: () => import('./pages/CreditPage.vue') },
  { path: '/import', name: 'import', component: () => import('./pages/ImportPage.vue') },
  { path: '/manual-match', name: 'manualMatch', component: () => import('./pages/ManualMatchPage.vue') },
  // Everyone may open 设置: a non-administrator sees the office read-only and sets this PC's language and code.
  { path: '/settings', name: 'settings', component: () => import('./pages/SettingsPage.vue') },
  // Anyone signed in may back up; a restore happens on a fresh profile (the setup wizard), not here.
  { path: '/backup', name: 'backup', component: () => import('./pages/BackupPage.vue') },
  { path: '/security', name: 'security', component: () => import('./pages/SecurityPage.vue'), meta: { admin: true } },
  { path: '/sync', name: 'sync', component: () => import('./pages/SyncPage.vue') },
  { path: '/conflicts', name: 'conflicts', component: () => import('./pages/ConflictsPage.vue') },
  { path: '/:rest(.*)*', redirect: '/' },
]

export const router = createRouter({ history: createWebHashHistory(), routes })

// A profile that belongs to no office goes to the setup wizard (joining goes through 同步);
// everything else needs a signed-in, unlocked user; administrators' pages need an administrator.
router.beforeEach(async (to) => {
  const session = useSessionStore()
  // Until this PC belongs to an office, look again each time (the sync page may just have joined one).
  if (!session.loaded || session.office.kind === 'none') await session.load()
  if (session.office.kind === 'none') {
    if (to.name === 'setup' || to.name === 'sync') return true
    return { name: 'setup' }
  }
  if (to.name === 'setup') return { name: 'start' }
  if (to.meta.public) return true
  if (!session.user || session.locked) return { name: 'start', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
  if (to.meta.admin && !session.isAdmin) {
    ElMessage.warning((session.locale === 'en' ? en : zhCN).security.adminOnly)
    return { name: 'inbox' }
  }
  return true
})
