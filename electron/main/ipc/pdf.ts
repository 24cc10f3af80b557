/** pdf:save and pdf:print. The save path always comes from the dialog shown in this very call. */
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { ChannelRequest, Results } from '../../shared/ipc'
import type { HandlerDeps } from './deps'

/** A file name safe on Windows and Linux, ending in .pdf (the suggested name is renderer data). */
export function safePdfName(suggested: string): string {
  // Separators become '_' too: the name is one file name, never a path.
  let name = suggested
    .replace(/[\u0000-\u001f<>:"|?*\\/]/g, '_')
    .replace(/[. ]+$/, '')
    .trim()
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(name) || name === '' || /^\.+$/.test(name)) name = `文档_${name}`
  if (!/\.pdf$/i.test(name)) name += '.pdf'
  return name.slice(-180)
}

export async function pdfSave(deps: HandlerDeps, req: ChannelRequest<'pdf:save'>): Promise<Results['pdf:save']> {
  const settings = await deps.settings.get()
  const dir = settings.lastSaveDir ?? deps.defaultSaveDir
  const answer = await deps.dialogs.showSaveDialog({
    title: '保存 PDF',
    defaultPath: path.join(dir, safePdfName(req.suggestedName)),
    filters: [{ name: 'PDF', extensions: ['pdf'] }],
  })
  if (answer.canceled || !answer.filePath) return { saved: false }
  let target = path.resolve(answer.filePath)
  if (!/\.pdf$/i.test(target)) target += '.pdf'
  await writeFile(target, req.bytes)
  await deps.settings.update({ lastSaveDir: path.dirname(target) })
  return { saved: true, path: target }
}

export async function pdfPrint(deps: HandlerDeps, req: ChannelRequest<'pdf:print'>): Promise<Results['pdf:print']> {
  return { printed: await deps.dialogs.printPdf(req.bytes) }
}
