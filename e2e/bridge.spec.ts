/**
 * The test bridge itself: window.desk in a page reaches the real handlers, bytes survive the
 * JSON hop both ways (also above the chunk size), and files stay inside the shared folder.
 * Uses its own blank page (routed), so it does not need the app build.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { expect, test } from '@playwright/test'
import { apiNames } from '../electron/shared/ipc'
import { installBridge, CHUNK_BYTES } from './support/bridge'

test('window.desk in the page talks to the real handlers over the bridge', async ({ browser }) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'desk-bridge-'))
  const context = await browser.newContext()
  try {
    const bridge = await installBridge(context, { sharedRoot: dir, userDataDir: path.join(dir, 'ud') })
    const page = await context.newPage()
    await page.route('http://bridge.test/', (r) => r.fulfill({ contentType: 'text/html', body: '<!doctype html><title>bridge</title>' }))
    await page.goto('http://bridge.test/')

    expect(await page.evaluate(() => Object.keys(window.desk ?? {}).sort())).toEqual([...apiNames].sort())

    // The folder is the office's share (its vault.json), and this page's PC is PC01: main lets it
    // write its own files only (issue 7).
    await writeFile(path.join(dir, 'vault.json'), '{"id":"V1"}')
    // Small write → file on disk with the same bytes; a second write never overwrites.
    const first = await page.evaluate(async () => {
      const d = window.desk!
      const claim = await d.sharedClaimPc({ pc: 'PC01' })
      if (!claim.ok) throw new Error(claim.message)
      const a = await d.sharedWriteIfAbsent({ rel: 'pcs/PC01/000001.seg', bytes: new Uint8Array([0, 1, 2, 255]) })
      const b = await d.sharedWriteIfAbsent({ rel: 'pcs/PC01/000001.seg', bytes: new Uint8Array([9]) })
      const list = await d.sharedList({ dir: 'pcs/PC01' })
      const read = await d.sharedRead({ rel: 'pcs/PC01/000001.seg' })
      const escape = await d.sharedRead({ rel: '../ud/settings.json' })
      const theirs = await d.sharedWriteIfAbsent({ rel: 'pcs/PC02/000001.seg', bytes: new Uint8Array([1]) })
      return { claim, a, b, list, read: read.ok ? Array.from(read.value) : read, escape, theirs }
    })
    expect(first.claim).toEqual({ ok: true, value: { pc: 'PC01' } })
    expect(first.theirs).toMatchObject({ ok: false, code: 'NOT_OWN_FILE' })
    expect(first.a).toEqual({ ok: true, value: { written: true } })
    expect(first.b).toEqual({ ok: true, value: { written: false, same: false } })
    expect(first.list).toEqual({ ok: true, value: ['000001.seg'] })
    expect(first.read).toEqual([0, 1, 2, 255])
    expect(first.escape).toMatchObject({ ok: false, code: 'OUTSIDE_ROOT' })
    expect([...(await readFile(path.join(dir, 'pcs/PC01/000001.seg')))]).toEqual([0, 1, 2, 255])

    // Larger than one chunk, both directions, byte for byte.
    const size = CHUNK_BYTES + 12345
    const big = await page.evaluate(async (n) => {
      const u8 = new Uint8Array(n)
      for (let i = 0; i < n; i++) u8[i] = (i * 31) & 255
      const w = await window.desk!.sharedWriteIfAbsent({ rel: 'blobs/big.bin', bytes: u8 })
      const r = await window.desk!.sharedRead({ rel: 'blobs/big.bin' })
      let same = r.ok && r.value.length === n
      if (r.ok) for (let i = 0; same && i < n; i++) same = r.value[i] === ((i * 31) & 255)
      return { w, same }
    }, size)
    expect(big).toEqual({ w: { ok: true, value: { written: true } }, same: true })
    const onDisk = await readFile(path.join(dir, 'blobs/big.bin'))
    expect(onDisk.length).toBe(size)
    expect(onDisk[size - 1]).toBe(((size - 1) * 31) & 255)

    // Scripted save dialog: the PDF lands where the "clerk" chose.
    const target = path.join(dir, 'out.pdf')
    bridge.dialogs.queueSave(target)
    const saved = await page.evaluate(() => window.desk!.pdfSave({ suggestedName: '报价单', bytes: new TextEncoder().encode('%PDF-1.7 test') }))
    expect(saved).toEqual({ ok: true, value: { saved: true, path: target } })
    expect(await readFile(target, 'utf8')).toBe('%PDF-1.7 test')

    // Import: pick a folder, read a scan.
    await writeFile(path.join(dir, 'ud', 'scan.png'), 'png-bytes')
    bridge.dialogs.queueOpen([path.join(dir, 'ud')])
    const imported = await page.evaluate(async () => {
      const p = await window.desk!.importPick({ mode: 'folder' })
      if (!p.ok) return p
      const r = await window.desk!.importRead({ token: p.value.token, rel: 'scan.png' })
      return { files: p.value.files, text: r.ok ? new TextDecoder().decode(r.value.bytes) : r }
    })
    expect(imported).toEqual({ files: [{ rel: 'scan.png', size: 9 }], text: 'png-bytes' })
  } finally {
    await context.close()
    await rm(dir, { recursive: true, force: true })
  }
})
