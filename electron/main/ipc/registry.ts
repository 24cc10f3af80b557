/**
 * All handlers as a plain map `channel → (args: unknown) => Promise<Envelope>`. Every call checks
 * its arguments against the channel's schema before any work, and every failure comes back as an
 * `{ ok: false, code, message }` envelope with a zh-CN message. Used by register.ts (Electron)
 * and by e2e/support/bridge.ts (Playwright), so both run the same code.
 */
import { z } from 'zod'
import { Channel, requestSchemas, type ChannelName, type Envelope, type ChannelRequest, type Results } from '../../shared/ipc'
import { appInfo } from './app'
import {
  backupAbort, backupAppend, backupBegin, backupChooseFolder, backupFinish, backupFolder, backupList, backupPick, backupPrune, backupRead, BackupState,
} from './backup'
import type { HandlerDeps } from './deps'
import { toFailure } from './errors'
import { importPick, importRead, ImportGrants } from './import'
import { fileSave, pdfPrint, pdfSave } from './pdf'
import { secretClear, secretGet, secretSet } from './secrets'
import { sharedChoose, sharedClaimPc, sharedCurrent, sharedList, sharedRead, sharedRemove, sharedWriteIfAbsent } from './shared'
import { sharedWebdavSet, sharedWebdavTest } from './webdav'

export type Handler<C extends ChannelName> = (args: unknown) => Promise<Envelope<Results[C]>>
export type Handlers = { [C in ChannelName]: Handler<C> }
type Impl = { [C in ChannelName]: (req: ChannelRequest<C>) => Promise<Results[C]> }

function badRequest(channel: string, err: z.ZodError) {
  const detail = err.issues.map((i) => `${i.path.join('.') || '(参数)'}: ${i.message}`).join('; ')
  return { ok: false as const, code: 'BAD_REQUEST' as const, message: `请求参数无效（${channel}）：${detail}` }
}

/** The handler map for these dependencies (one import-grant store and one backup state per map). */
export function createHandlers(deps: HandlerDeps): Handlers {
  const grants = new ImportGrants()
  const backups = new BackupState()
  const impl: Impl = {
    [Channel.pdfSave]: (r) => pdfSave(deps, r),
    [Channel.pdfPrint]: (r) => pdfPrint(deps, r),
    [Channel.fileSave]: (r) => fileSave(deps, r),
    [Channel.importPick]: (r) => importPick(deps, grants, r),
    [Channel.importRead]: (r) => importRead(grants, r),
    [Channel.sharedChoose]: (r) => sharedChoose(deps, r),
    [Channel.sharedCurrent]: (r) => sharedCurrent(deps, r),
    [Channel.sharedList]: (r) => sharedList(deps, r),
    [Channel.sharedRead]: (r) => sharedRead(deps, r),
    [Channel.sharedWriteIfAbsent]: (r) => sharedWriteIfAbsent(deps, r),
    [Channel.sharedRemove]: (r) => sharedRemove(deps, r),
    [Channel.sharedClaimPc]: (r) => sharedClaimPc(deps, r),
    [Channel.sharedWebdavSet]: (r) => sharedWebdavSet(deps, r),
    [Channel.sharedWebdavTest]: (r) => sharedWebdavTest(deps, r),
    [Channel.appInfo]: (r) => appInfo(deps, r),
    [Channel.secretGet]: (r) => secretGet(deps, r),
    [Channel.secretSet]: (r) => secretSet(deps, r),
    [Channel.secretClear]: (r) => secretClear(deps, r),
    [Channel.backupChooseFolder]: (r) => backupChooseFolder(deps, r),
    [Channel.backupFolder]: (r) => backupFolder(deps, r),
    [Channel.backupBegin]: (r) => backupBegin(deps, backups, r),
    [Channel.backupAppend]: (r) => backupAppend(deps, backups, r),
    [Channel.backupFinish]: (r) => backupFinish(deps, backups, r),
    [Channel.backupAbort]: (r) => backupAbort(deps, backups, r),
    [Channel.backupList]: (r) => backupList(deps, r),
    [Channel.backupRead]: (r) => backupRead(deps, backups, r),
    [Channel.backupPick]: (r) => backupPick(deps, backups, r),
    [Channel.backupPrune]: (r) => backupPrune(deps, r),
  }
  const wrap = <C extends ChannelName>(channel: C): Handler<C> => {
    const schema = requestSchemas[channel] as unknown as z.ZodType<ChannelRequest<C>>
    const run = impl[channel] as (req: ChannelRequest<C>) => Promise<Results[C]>
    return async (args) => {
      const parsed = schema.safeParse(args)
      if (!parsed.success) return badRequest(channel, parsed.error)
      try {
        return { ok: true, value: await run(parsed.data) }
      } catch (e) {
        return toFailure(e)
      }
    }
  }
  const out = {} as Record<ChannelName, Handler<ChannelName>>
  for (const c of Object.values(Channel)) out[c] = wrap(c) as Handler<ChannelName>
  return out as Handlers
}
