import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { fileURLToPath } from 'node:url'

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url))

export default defineConfig({
  root: r('./renderer'),
  base: './',
  plugins: [vue()],
  resolve: {
    alias: { '@core': r('./renderer/core'), '@forms': r('./forms'), '@app': r('./renderer/src'), '@shared': r('./electron/shared') },
  },
  build: { outDir: r('./dist/renderer'), emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4000 },
  worker: { format: 'es' },
  server: { port: 5173, strictPort: true },
  preview: { port: 4173, strictPort: true },
})
