/**
 * The scan worker's time limit and crash recovery, with stand-in workers: a file that hangs the
 * worker or kills it gets its own message, and the next file is still read (by a fresh worker).
 */
import { describe, expect, it } from 'vitest'
import type { ScanFileResult } from '@core/scan/read'
import type { ScanRequest, ScanResponse } from './protocol'
import { createScanClient, type WorkerLike } from './scan-client'

/** A stand-in worker: `behave` decides what it does with each request. */
class FakeWorker implements WorkerLike {
  onmessage: ((event: MessageEvent<ScanResponse>) => void) | null = null
  onerror: ((event: ErrorEvent) => void) | null = null
  terminated = false
  constructor(private readonly behave: (req: ScanRequest, w: FakeWorker) => void) {}
  postMessage(req: ScanRequest) { this.behave(req, this) }
  terminate() { this.terminated = true }
  send(res: ScanResponse) { if (!this.terminated) this.onmessage?.({ data: res } as MessageEvent<ScanResponse>) }
}

const result = (name: string): ScanFileResult => ({ name, size: 1, sha256: 'x', kind: 'png', pages: [] })
const file = (name: string) => ({ name, bytes: new TextEncoder().encode(name) })
/** Starts on the file (as the worker says at once) and then never answers. */
const hang = (req: ScanRequest, w: FakeWorker) => w.send({ id: req.id, progress: { pages: 0, done: 0 } })
const answer = (req: ScanRequest, w: FakeWorker) => setTimeout(() => w.send({ id: req.id, ok: true, result: result(req.name) }), 1)

describe('scan client', () => {
  it('stops a file that takes too long with a message, and reads the next one with a fresh worker', async () => {
    const workers: FakeWorker[] = []
    const client = createScanClient({ fileMs: 30, pageMs: 10, spawn: () => { const w = new FakeWorker(workers.length === 0 ? hang : answer); workers.push(w); return w } })
    const [bomb, good] = await Promise.all([client.readScan(file('炸弹.pdf')), client.readScan(file('签回件.png'))])
    expect(bomb.error?.zh).toMatch(/^读取超时（\d+ 秒），已停止读取此文件，请拆分文件或降低扫描分辨率后再导入$/)
    expect(bomb.pages).toEqual([])
    expect(bomb.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(workers[0]!.terminated).toBe(true)
    expect(good).toEqual(result('签回件.png'))
    expect(workers).toHaveLength(2)
    client.dispose()
  })

  it('gives a file whose page count is known more time: the limit grows with the pages to read', async () => {
    // 30 ms for a file, 500 ms per page: a 3-page file answering after 100 ms is within its time.
    const client = createScanClient({ fileMs: 30, pageMs: 500, spawn: () => new FakeWorker((req, w) => {
      w.send({ id: req.id, progress: { pages: 3, done: 0 } })
      setTimeout(() => w.send({ id: req.id, ok: true, result: result(req.name) }), 100)
    }) })
    expect(await client.readScan(file('三页.pdf'))).toEqual(result('三页.pdf'))
    client.dispose()
  })

  it('loading the worker is not counted against the file: a worker slow to start still reads the first file', async () => {
    // The e2e signed scan was stopped as 读取超时 on a busy machine: 7.6 s of the first file's
    // 11.6 s (load 6-9) went to loading pdf.js in the worker, against a 20 s + 3 s limit.
    const client = createScanClient({ fileMs: 40, pageMs: 10, bootMs: 1000, spawn: () => new FakeWorker((req, w) => {
      setTimeout(() => {
        w.send({ id: req.id, progress: { pages: 0, done: 0 } })
        w.send({ id: req.id, progress: { pages: 1, done: 0 } })
        setTimeout(() => w.send({ id: req.id, ok: true, result: result(req.name) }), 10)
      }, 120)
    }) })
    expect(await client.readScan(file('签回件.pdf'))).toEqual(result('签回件.pdf'))
    client.dispose()
  })

  it('a page that never finishes stops the file after the stall limit, although the whole-file limit is far off', async () => {
    const workers: FakeWorker[] = []
    const client = createScanClient({ fileMs: 60_000, pageMs: 60_000, stallMs: 50, spawn: () => {
      const w = new FakeWorker(workers.length === 0
        ? (req, w) => { w.send({ id: req.id, progress: { pages: 0, done: 0 } }); w.send({ id: req.id, progress: { pages: 100, done: 0 } }); w.send({ id: req.id, progress: { pages: 100, done: 1 } }) }
        : answer)
      workers.push(w)
      return w
    } })
    const started = Date.now()
    const [stuck, next] = await Promise.all([client.readScan(file('卡在第2页.pdf')), client.readScan(file('好.png'))])
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(stuck.error?.zh).toMatch(/^读取超时（\d+ 秒），已停止读取此文件，请拆分文件或降低扫描分辨率后再导入$/)
    expect(workers[0]!.terminated).toBe(true)
    expect(next).toEqual(result('好.png'))
    client.dispose()
  })

  it('a worker that never starts on the file fails it with its own message after the start-up allowance', async () => {
    let spawned = 0
    const client = createScanClient({ bootMs: 30, spawn: () => new FakeWorker(spawned++ === 0 ? () => undefined : answer) })
    const [stuck, next] = await Promise.all([client.readScan(file('卡住.pdf')), client.readScan(file('好.png'))])
    expect(stuck.error?.zh).toBe('扫描读取进程未能启动，已跳过此文件，请重新导入')
    expect(next).toEqual(result('好.png'))
    client.dispose()
  })

  it('a file that makes the worker die gets its own message; the next file is still read', async () => {
    let spawned = 0
    const client = createScanClient({ spawn: () => new FakeWorker(spawned++ === 0
      ? (_req, w) => setTimeout(() => w.onerror?.({ message: 'out of memory' } as ErrorEvent), 1)
      : answer) })
    const [dead, next] = await Promise.all([client.readScan(file('坏.pdf')), client.readScan(file('好.jpg'))])
    expect(dead.error?.zh).toBe('扫描读取进程出错（out of memory），已跳过此文件，请拆分文件或降低扫描分辨率后再导入')
    expect(next).toEqual(result('好.jpg'))
    client.dispose()
  })
})
