import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'
import { useSessionStore } from './stores/session'

const routes: RouteRecordRaw[] = [
  { path: '/start', name: 'start', component: () => import('./pages/StartPage.vue'), meta: { public: true } },
  { path: '/', name: 'inbox', component: () => import('./pages/InboxPage.vue') },
  { path: '/list/:form', name: 'list', component: () => import('./pages/ListPage.vue'), props: true },
  { path: '/doc/:form/new', name: 'new', component: () => import('./pages/DocumentPage.vue'), props: (r) => ({ form: r.params.form, id: undefined }) },
  { path: '/doc/:form/:id', name: 'doc', component: () => import('./pages/DocumentPage.vue'), props: true },
  { path: '/import', name: 'import', component: () => import('./pages/ImportPage.vue') },
  { path: '/manual-match', name: 'manualMatch', component: () => import('./pages/ManualMatchPage.vue') },
  { path: '/settings', name: 'settings', component: () => import('./pages/SettingsPage.vue') },
  { path: '/sync', name: 'sync', component: () => import('./pages/SyncPage.vue') },
  { path: '/conflicts', name: 'conflicts', component: () => import('./pages/ConflictsPage.vue') },
  { path: '/:rest(.*)*', redirect: '/' },
]

export const router = createRouter({ history: createWebHashHistory(), routes })

// Nobody works anonymously: every page but the user choice needs a chosen user.
router.beforeEach(async (to) => {
  const session = useSessionStore()
  if (!session.loaded) await session.load()
  if (!to.meta.public && !session.user) return { name: 'start', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
  return true
})
