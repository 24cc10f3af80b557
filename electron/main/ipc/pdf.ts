/**
 * pdf:save, file:save and pdf:print. The save path always comes from the dialog shown in this very
 * call; file:save writes only the kinds the contract names (SAVE_KINDS), each checked by its bytes.
 */
import path from 'node:path'
import { SAVE_KINDS, type ChannelRequest, type Results, type SaveKind } from '../../shared/ipc'
import type { HandlerDeps } from './deps'
import { writeWhole } from './file-ops'

/** A file name safe on Windows and Linux, ending in .pdf (the suggested name is renderer data). */
export function safePdfName(suggested: string): string { return safeFileName(suggested, 'pdf') }

/** A file name safe on Windows and Linux, ending in `.ext`. */
export function safeFileName(suggested: string, ext: string): string {
  // Separators become '_' too: the name is one file name, never a path.
  let name = suggested
    .replace(/[\u0000-\u001f<>:"|?*\\/]/g, '_')
    .replace(/[. ]+$/, '')
    .trim()
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(name) || name === '' || /^\.+$/.test(name)) name = `文档_${name}`
  if (!name.toLowerCase().endsWith(`.${ext}`)) name += `.${ext}`
  return name.slice(-180)
}

/** Shows the save dialog in the last folder used and writes the bytes where the clerk chose. */
async function saveWithDialog(deps: HandlerDeps, suggestedName: string, bytes: Uint8Array, kind: SaveKind): Promise<{ saved: boolean; path?: string }> {
  const { ext, name } = SAVE_KINDS[kind]
  const settings = await deps.settings.get()
  const dir = settings.lastSaveDir ?? deps.defaultSaveDir
  const answer = await deps.dialogs.showSaveDialog({
    title: kind === 'pdf' ? '保存 PDF' : kind === 'png' ? '保存图片' : '保存 Excel',
    defaultPath: path.join(dir, safeFileName(suggestedName, ext)),
    filters: [{ name, extensions: [ext] }],
  })
  if (answer.canceled || !answer.filePath) return { saved: false }
  let target = path.resolve(answer.filePath)
  if (!target.toLowerCase().endsWith(`.${ext}`)) target += `.${ext}`
  await writeWhole(target, bytes)
  await deps.settings.update({ lastSaveDir: path.dirname(target) })
  return { saved: true, path: target }
}

export async function pdfSave(deps: HandlerDeps, req: ChannelRequest<'pdf:save'>): Promise<Results['pdf:save']> {
  return saveWithDialog(deps, req.suggestedName, req.bytes, 'pdf')
}

export async function fileSave(deps: HandlerDeps, req: ChannelRequest<'file:save'>): Promise<Results['file:save']> {
  return saveWithDialog(deps, req.suggestedName, req.bytes, req.kind)
}

export async function pdfPrint(deps: HandlerDeps, req: ChannelRequest<'pdf:print'>): Promise<Results['pdf:print']> {
  return { printed: await deps.dialogs.printPdf(req.bytes) }
}
