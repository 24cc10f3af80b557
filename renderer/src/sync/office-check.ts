/**
 * Which vault an office may create or join (issue 6): demo data never meets a real office, either
 * way round, and a PC joins only the vault of its own office (the founding entry the vault names).
 */
import type { VaultFile } from '@core/sync/engine'
import type { OfficeState } from '../data/directory'

/** Why this profile may not join the vault, in the clerk's words; null when it may. */
export function joinProblem(mine: OfficeState, vault: VaultFile['office'] | undefined): { zh: string; en: string } | null {
  if (!vault) return { zh: '该同步库没有办公室信息（旧版本建立），无法加入', en: 'The vault names no office (made by an older version)' }
  if (mine.kind === 'demo' && !vault.demo) return { zh: '演示数据不能加入真实办公室的同步库；请在新的用户配置中加入', en: 'A demo profile cannot join a real office\'s vault' }
  if (mine.kind === 'real' && vault.demo) return { zh: '真实办公室不能加入演示数据的同步库', en: 'A real office cannot join a demo vault' }
  if (mine.kind !== 'none' && mine.genesis !== vault.genesis) return { zh: '该同步库属于另一个办公室', en: 'The vault belongs to another office' }
  return null
}

/** Why this profile may not create a vault; null when it may (the vault then carries `office`). */
export function createProblem(mine: OfficeState): { zh: string; en: string } | null {
  return mine.kind === 'none' ? { zh: '请先创建办公室（或载入演示数据），再新建同步库', en: 'Create the office first' } : null
}

/** The office a new vault carries. */
export function vaultOffice(mine: OfficeState & { kind: 'demo' | 'real' }): NonNullable<VaultFile['office']> {
  return { id: mine.id, name: mine.name, genesis: mine.genesis, ...(mine.kind === 'demo' ? { demo: true } : {}) }
}
