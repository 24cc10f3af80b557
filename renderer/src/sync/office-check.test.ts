import { describe, expect, it } from 'vitest'
import { createProblem, joinProblem, vaultOffice } from './office-check'

const real = { kind: 'real' as const, id: 'o1', name: '恒泰', genesis: 'g1' }
const demo = { kind: 'demo' as const, id: 'd', name: '演示', genesis: 'gd' }

describe('which vault an office may join', () => {
  it('a demo profile never joins a real vault, and a real office never a demo one', () => {
    expect(joinProblem(demo, vaultOffice(real))?.zh).toContain('演示数据不能加入真实办公室')
    expect(joinProblem(real, vaultOffice(demo))?.zh).toContain('真实办公室不能加入演示数据')
    expect(joinProblem(demo, vaultOffice(demo))).toBeNull()
  })
  it('a new profile joins a real vault; an office only its own', () => {
    expect(joinProblem({ kind: 'none' }, vaultOffice(real))).toBeNull()
    expect(joinProblem(real, vaultOffice(real))).toBeNull()
    expect(joinProblem(real, { ...vaultOffice(real), genesis: 'other' })?.zh).toBe('该同步库属于另一个办公室')
    expect(joinProblem(real, undefined)?.zh).toContain('没有办公室信息')
  })
  it('a vault is created only by an office, and carries whether it is a demo', () => {
    expect(createProblem({ kind: 'none' })?.zh).toContain('请先创建办公室')
    expect(createProblem(real)).toBeNull()
    expect(vaultOffice(demo).demo).toBe(true)
    expect(vaultOffice(real).demo).toBeUndefined()
  })
})
