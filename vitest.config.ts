import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import { fileURLToPath } from 'node:url'

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url))

export default defineConfig({
  plugins: [vue()],
  resolve: {
    alias: { '@core': r('./renderer/core'), '@forms': r('./forms'), '@app': r('./renderer/src'), '@shared': r('./electron/shared') },
  },
  test: {
    include: ['renderer/**/*.test.ts', 'forms/**/*.test.ts', 'electron/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    pool: 'forks',
  },
})
