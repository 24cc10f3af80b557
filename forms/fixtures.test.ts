import { readdirSync, readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { forms } from './registry'
import { parseNumber } from '../renderer/core/numbering'
import { applyComputed, validateForm } from '../renderer/core/validation'
import type { FormData } from './schema/types'

/** Every form keeps realistic records under fixtures/ (used by `npm run render` and the tests). */
const folderOf = (id: string) => id.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)

describe('form fixtures', () => {
  for (const form of forms) {
    const dir = join(__dirname, folderOf(form.id), 'fixtures')
    it(`${form.id}: has fixtures that are valid records of the form`, () => {
      expect(existsSync(dir), `${dir} is missing`).toBe(true)
      const files = readdirSync(dir).filter((f) => f.endsWith('.json'))
      expect(files.length).toBeGreaterThan(0)
      for (const f of files) {
        const rec = JSON.parse(readFileSync(join(dir, f), 'utf8')) as FormData & { number: string }
        // The number is one the app itself could have allocated, with this form's prefix.
        expect(parseNumber(rec.number)?.prefix, `${f}: ${rec.number}`).toBe(form.numbering.prefix)
        const errors = validateForm(form, applyComputed(form, { values: rec.values, lines: rec.lines ?? {} }))
        expect(errors.map((e) => `${e.field}${e.row === undefined ? '' : `[${e.row}].${e.column}`}: ${e.message.zh}`), f).toEqual([])
      }
    })
  }
})
