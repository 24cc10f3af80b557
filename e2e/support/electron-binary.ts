/**
 * Finds a real Electron binary without loading the `electron` package (which would try to
 * download one): ELECTRON_PATH, or node_modules/electron/path.txt and the file it names.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'

export function findElectron(repoRoot: string): { path: string } | { reason: string } {
  const env = process.env.ELECTRON_PATH
  if (env) return existsSync(env) ? { path: env } : { reason: `ELECTRON_PATH=${env} 不存在 / does not exist` }
  const pkg = path.join(repoRoot, 'node_modules', 'electron')
  const txt = path.join(pkg, 'path.txt')
  if (!existsSync(txt)) {
    return { reason: '没有 Electron 可执行文件（安装时跳过了下载）/ no Electron binary: node_modules/electron/path.txt is missing (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1); set ELECTRON_PATH to run' }
  }
  const bin = path.join(pkg, 'dist', readFileSync(txt, 'utf8').trim())
  return existsSync(bin) ? { path: bin } : { reason: `Electron 可执行文件不存在 / Electron binary named by path.txt is missing: ${bin}` }
}
