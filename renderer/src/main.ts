import { createApp } from 'vue'
import { createPinia } from 'pinia'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import App from './App.vue'
import { router } from './router'
import { makeI18n } from './locales'
import './styles.css'

const app = createApp(App)
app.use(createPinia())
app.use(makeI18n())
app.use(ElementPlus)
app.use(router)
app.mount('#app')
