/**
 * `npm run read-scan -- <files or folders…>`: prints, per file and page, the identity found in
 * the QR (number, version, page n/N, hash) or why none was. Exit 0 when it ran, 2 on bad usage.
 * Every bad file gets its message and the others are still read.
 */
import { readdir, stat } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { readScanFile } from './lib/scan-node'

const SCAN_EXTENSIONS = new Set(['.pdf', '.jpg', '.jpeg', '.png'])
const USAGE = 'usage: npm run read-scan -- [--en] <file or folder>…   (PDF, JPEG, PNG; folders are read recursively)'

async function collect(path: string, out: string[], explicit: boolean): Promise<void> {
  const s = await stat(path)
  if (s.isDirectory()) {
    for (const entry of (await readdir(path)).sort()) await collect(join(path, entry), out, false)
  } else if (explicit || SCAN_EXTENSIONS.has(extname(path).toLowerCase())) {
    // A file named on the command line is read whatever its name: sniffing says what it is.
    out.push(path)
  }
}

async function main(argv: string[]): Promise<number> {
  const en = argv.includes('--en')
  const args = argv.filter((a) => a !== '--en')
  if (args.length === 0 || args.some((a) => a === '-h' || a === '--help' || a.startsWith('--'))) {
    console.error(USAGE)
    return 2
  }
  const files: string[] = []
  for (const a of args) {
    try {
      await collect(a, files, true)
    } catch {
      console.log(`${a}\n  ${en ? 'not found' : '找不到文件或文件夹'}`)
    }
  }
  for (const file of files) {
    const r = await readScanFile(file)
    const kind = r.kind ? ` [${r.kind}]` : ''
    console.log(`${file}${kind}  sha256 ${r.sha256.slice(0, 16)}…  ${r.size} B`)
    if (r.error) {
      console.log(`  ${en ? r.error.en : r.error.zh}`)
      continue
    }
    for (const n of r.notes ?? []) console.log(`  ${en ? n.en : n.zh}`)
    if (r.metadataIdentity) console.log(`  metadata: ${r.metadataIdentity.number} V${r.metadataIdentity.version}`)
    for (const p of r.pages) {
      const head = `  ${en ? 'page' : '第'} ${p.index + 1}${en ? '' : ' 页'}:`
      const ms = `(${Math.round(p.ms)} ms${p.via ? `, ${p.via}` : ''})`
      if (p.error) console.log(`${head} ${en ? p.error.en : p.error.zh} ${ms}`)
      else if (p.codes.length === 0) console.log(`${head} ${en ? 'no QR code found' : '未找到二维码'} ${ms}`)
      // One line per code: a sheet copied 2-up carries two pages.
      p.codes.forEach((c, i) => {
        const tail = i === 0 ? ms : `(${c.via})`
        if (c.identity) {
          const id = c.identity
          console.log(`${head} ${id.number}  V${id.version}  P${id.page}/${id.pages}  hash ${id.hash8}  ${tail}`)
        } else console.log(`${head} ${en ? 'QR code is not one of ours' : '二维码不是本系统的单据'}: ${JSON.stringify(c.text.slice(0, 80))} ${tail}`)
      })
    }
  }
  return 0
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code },
  (e: unknown) => { console.error(e); process.exitCode = 1 },
)
