/**
 * The README's list of forms stays true: every form in the registry (read now, not a copy of its
 * ids) has its row, the row says what the form declares, and no row names a form that is gone.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { forms } from './registry'

const README = new URL('../README.md', import.meta.url)
const yesNo = (b: boolean): string => (b ? 'yes' : 'no')

/** The rows of the table under "## The forms": id (without backticks) → its other cells. */
function readmeRows(text: string): Map<string, string[]> {
  const section = text.split(/^## /m).find((s) => s.startsWith('The forms'))
  if (!section) throw new Error('README.md has no "## The forms" section')
  const rows = new Map<string, string[]>()
  for (const line of section.split('\n')) {
    const cells = /^\|(.*)\|\s*$/.exec(line.trim())?.[1]?.split('|').map((c) => c.trim())
    if (!cells || cells[0] === 'id' || /^-+$/.test(cells[0] ?? '')) continue
    rows.set(cells[0]!.replace(/`/g, ''), cells.slice(1))
  }
  return rows
}

describe('README: the forms', () => {
  const rows = readmeRows(readFileSync(README, 'utf8'))

  it.each(forms.map((f) => [f.id, f] as const))('lists %s as the registry declares it', (id, form) => {
    expect(rows.has(id), `README.md "## The forms" has no row for \`${id}\``).toBe(true)
    expect(rows.get(id), id).toEqual([form.title.zh, yesNo(!!form.print), yesNo(form.print?.returnable === true), yesNo(!!form.workflow)])
  })

  it('names no form the registry does not have', () => {
    const known = new Set(forms.map((f) => f.id))
    expect([...rows.keys()].filter((id) => !known.has(id))).toEqual([])
  })
})
