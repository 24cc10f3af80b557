import { describe, expect, it } from 'vitest'
import type { VaultFile } from '@core/sync/engine'
import { testVerdict } from './webdav-check'

const vault = (id: string): VaultFile => ({ id, format: 1, minApp: '0.1.0', created: '2026-11-20T02:00:00.000Z', founder: { pc: 'A1-0001', name: '客服1号机', publicKey: 'AAAA' } })
const ok = (entries: string[], v: VaultFile | null = null) => ({ ok: true as const, value: { entries, vault: v ? JSON.stringify(v) : null, insecure: false } })

describe('测试连接: what the clerk is told', () => {
  it('says whether the folder is empty, this office’s vault, another office’s, or other files', () => {
    expect(testVerdict(ok([]), undefined)).toMatchObject({ ok: true, state: { kind: 'empty' }, line: { zh: expect.stringMatching(/文件夹是空的.*新建/) } })
    expect(testVerdict(ok(['pcs', 'vault.json'], vault('V1')), vault('V1')).line.zh).toMatch(/本办公室的同步库/)
    expect(testVerdict(ok(['pcs', 'vault.json'], vault('V2')), vault('V1')).line.zh).toMatch(/另一个办公室的同步库/)
    expect(testVerdict(ok(['pcs', 'vault.json'], vault('V2')), undefined).line.zh).toMatch(/客服1号机.*可以加入/)
    expect(testVerdict(ok(['照片', '合同.docx']), undefined).line.zh).toMatch(/2 个其他文件/)
    expect(testVerdict({ ok: true, value: { entries: ['vault.json'], vault: '{"id":', insecure: true } }, undefined)).toMatchObject({ ok: true, insecure: true, line: { zh: expect.stringMatching(/无法识别/) } })
  })

  it('passes main’s zh-CN message through and gives an English line by code', () => {
    const v = testVerdict({ ok: false, code: 'AUTH_FAILED', message: 'WebDAV 用户名或密码不正确。' }, undefined)
    expect(v).toEqual({ ok: false, code: 'AUTH_FAILED', line: { zh: 'WebDAV 用户名或密码不正确。', en: expect.stringMatching(/password is wrong/) } })
    expect(testVerdict({ ok: false, code: 'CERT_INVALID', message: '证书' }, undefined).line.en).toMatch(/certificate/)
  })
})
