import { createApp } from 'vue'
import { createPinia } from 'pinia'
import ElementPlus, { ElMessage } from 'element-plus'
import 'element-plus/dist/index.css'
import App from './App.vue'
import { router } from './router'
import { makeI18n } from './locales'
import './styles.css'
import { recoveredNotice, UNSAVED_KEY } from '@shared/channels'

const app = createApp(App)
app.use(createPinia())
app.use(makeI18n())
app.use(ElementPlus)
app.use(router)
app.mount('#app')

// Reopened by the main process after this page crashed or hung (issue 7): say what was kept. The
// flag is dropped from the address so a later reload does not say it again.
let unsaved: string | null = null
try {
  unsaved = localStorage.getItem(UNSAVED_KEY)
  localStorage.removeItem(UNSAVED_KEY)
} catch { /* no storage: the general message */ }
const notice = recoveredNotice(location.search, unsaved)
if (notice) {
  history.replaceState(history.state, '', `${location.pathname}${location.hash}`)
  ElMessage({ type: 'warning', message: notice.zh, duration: 0, showClose: true, grouping: true })
}
