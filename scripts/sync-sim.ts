/**
 * `npm run sync:sim -- --pcs 8 --ops 5000 --seed 42 [--clones K --restores K]`: a randomized office through the in-memory
 * shared folder (delays, reordering, duplicate "conflicted copy" files); prints whether all PCs
 * converged, the counts of changes and conflicts, and the time.
 */
import { simulate } from '../renderer/core/sync/simulate'

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback
  if (!Number.isFinite(v)) throw new Error(`--${name} needs a number`)
  return v
}

const pcs = arg('pcs', 8), ops = arg('ops', 5000), seed = arg('seed', 42)
const clones = arg('clones', 0), restores = arg('restores', 0)
const r = await simulate({ pcs, ops, seed, delay: arg('delay', 0.3), duplicate: arg('duplicate', 0.02), clones, restores })
console.log(`pcs: ${pcs}  ops: ${ops}  seed: ${seed}  clones: ${clones}  restores: ${restores}`)
console.log(`converged: ${r.converged ? 'yes' : 'no'}`)
console.log(`nothing lost: ${r.nothingLost ? 'yes' : 'no'}${r.lost.length ? `\n  ${r.lost.join('\n  ')}` : ''}`)
console.log(`changes: ${r.changes}  open conflicts: ${r.conflicts}  segments: ${r.segments}`)
console.log(`time: ${(r.ms / 1000).toFixed(2)} s  digest: ${r.digest.slice(0, 16)}`)
process.exitCode = r.converged && r.nothingLost ? 0 : 1
