/**
 * The domain core's boundary (our lint rule): nothing under renderer/core or forms, tests aside,
 * may import the UI, storage or platform (vue, pinia, dexie, electron, element-plus, the app under
 * renderer/src or electron/) or touch `document` / `window`. The core runs in Node, in a Web
 * Worker and in the renderer alike only as long as this holds.
 */
import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))
const FORBIDDEN_PACKAGE = /^(vue|vue-[\w-]+|@vue\/.*|pinia|dexie|dexie-[\w-]+|electron|electron-[\w-]+|@electron\/.*|element-plus|@element-plus\/.*)(\/.*)?$/
const FORBIDDEN_PATH = /(^|\/)(renderer\/src|electron)(\/|$)/

/** Source text without comments and without the contents of string and template literals. */
function codeOnly(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`/g,
    (m) => (m.startsWith('/') ? ' ' : m[0]! + m[0]!))
}

/** Every module specifier a file imports, re-exports, requires or imports dynamically. */
export function specifiers(src: string): string[] {
  const out: string[] = []
  const re = /(?:\bimport\s+(?:type\s+)?(?:[\w*{}\s,$]+\s+from\s+)?|\bexport\s+(?:type\s+)?[\w*{}\s,$]+\s+from\s+|\bimport\s*\(\s*|\brequire\s*\(\s*)(['"])([^'"]+)\1/g
  for (const m of src.matchAll(re)) out.push(m[2]!)
  return out
}

/** What is wrong with one file's source, as messages; empty when it keeps to the boundary. */
export function violations(file: string, src: string): string[] {
  const out: string[] = []
  for (const spec of specifiers(src)) {
    if (FORBIDDEN_PACKAGE.test(spec)) out.push(`${file} imports ${spec}`)
    else if (spec.startsWith('.')) {
      const target = relative(root, join(root, file, '..', spec)).replaceAll('\\', '/')
      if (FORBIDDEN_PATH.test(target)) out.push(`${file} imports ${spec} (app code)`)
    }
  }
  const code = codeOnly(src)
  const bare = /(?<![\w$.])(document|window)(?![\w$])(?!\s*:)/g
  const viaGlobal = /\b(?:globalThis|self)\s*\.\s*(document|window)(?![\w$])/g
  for (const m of [...code.matchAll(bare), ...code.matchAll(viaGlobal)]) out.push(`${file} uses ${m[1]} at offset ${m.index}`)
  return out
}

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'testdata' ? [] : sources(rel)
    return /\.(ts|mts|js|mjs)$/.test(e.name) && !/\.test\.\w+$/.test(e.name) ? [rel] : []
  })
}

describe('the core boundary', () => {
  it('no file under renderer/core or forms imports UI, storage or platform code, or uses document/window', () => {
    const files = [...sources('renderer/core'), ...sources('forms')]
    expect(files.length).toBeGreaterThan(10)
    expect(files.flatMap((f) => violations(f, readFileSync(join(root, f), 'utf8')))).toEqual([])
  })
  it('the rule catches each kind of breach and ignores comments and strings', () => {
    const f = 'renderer/core/x.ts'
    expect(violations(f, "import { ref } from 'vue'")).toHaveLength(1)
    expect(violations(f, "import type { Table } from 'dexie'")).toHaveLength(1)
    expect(violations(f, "export { defineStore } from 'pinia'")).toHaveLength(1)
    expect(violations(f, "const { ipcRenderer } = require('electron')")).toHaveLength(1)
    expect(violations(f, "const m = await import('element-plus/es/locale')")).toHaveLength(1)
    expect(violations(f, "import { db } from '../src/data/db'")).toHaveLength(1)
    expect(violations(f, 'const w = window.innerWidth')).toHaveLength(1)
    expect(violations(f, 'if (typeof document !== "undefined") {}')).toHaveLength(1)
    expect(violations(f, 'const el = globalThis.document')).toHaveLength(1)
    expect(violations(f, 'const w = self.window')).toHaveLength(1)
    expect(violations(f, '// the document is saved\nconst s = "window seat"\nconst x = { document: 1 }')).toEqual([])
    expect(violations(f, "import { pinyin } from 'pinyin-pro'\nimport { a } from './money'")).toEqual([])
  })
})
