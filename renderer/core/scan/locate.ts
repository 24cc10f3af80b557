/**
 * Where the QR codes on a sheet might be: every finder-pattern-like spot (the three nested squares
 * in a QR's corners, 1:1:3:1:1 dark/light runs across in every direction), found in one pass over
 * a binarised view of the whole sheet, then grouped into symbol-sized clusters.
 *
 * Decoders only look where a cluster is, so a page without any QR costs one pass (no decoder runs
 * on empty paper or tables), and a sheet with several codes (two pages copied 2-up) gets each one
 * decoded, wherever it sits. The run tests follow ZXing's FinderPatternFinder (Apache-2.0), which
 * stops after the first three centres; this scan never stops early.
 */

/** A finder-like spot in view pixels: centre, module size, and how many scan lines confirmed it. */
export interface Finder { x: number; y: number; module: number; count: number }

/** A binary image: 1 = dark. */
export interface Bits { bits: Uint8Array; width: number; height: number }

/**
 * Every finder-like spot, confirmed across (the row), down (the column) and along a diagonal,
 * merged when two hits are one spot. Spots seen on a single scan line are dropped (text noise).
 */
export function findFinders(img: Bits): Finder[] {
  const { bits, width, height } = img
  const found: Finder[] = []
  const counts = new Int32Array(5)
  for (let y = 0; y < height; y++) {
    counts.fill(0)
    let state = 0
    const row = y * width
    for (let x = 0; x < width; x++) {
      if (bits[row + x]) {
        if (state & 1) state++ // a dark pixel after a light run
        counts[state]!++
      } else if (!(state & 1)) {
        // a light pixel after a dark run
        if (state === 4) {
          if (crossRatio(counts)) confirm(img, counts, x, y, found)
          shift(counts)
          state = 3
        } else {
          counts[++state]!++
        }
      } else {
        counts[state]!++
      }
    }
    if (state === 4 && crossRatio(counts)) confirm(img, counts, width, y, found)
  }
  return found.filter((f) => f.count >= 2)
}

function shift(c: Int32Array): void {
  c[0] = c[2]!; c[1] = c[3]!; c[2] = c[4]!; c[3] = 1; c[4] = 0
}

/** Runs in 1:1:3:1:1 within half a module each (the centre within 1.5 modules). */
function crossRatio(c: ArrayLike<number>): boolean {
  const total = c[0]! + c[1]! + c[2]! + c[3]! + c[4]!
  if (total < 7) return false
  const m = total / 7, v = m / 2
  return Math.abs(m - c[0]!) < v && Math.abs(m - c[1]!) < v && Math.abs(3 * m - c[2]!) < 3 * v && Math.abs(m - c[3]!) < v && Math.abs(m - c[4]!) < v
}

function confirm(img: Bits, c: Int32Array, endX: number, y: number, found: Finder[]): void {
  const total = c[0]! + c[1]! + c[2]! + c[3]! + c[4]!
  let cx = endX - c[4]! - c[3]! - c[2]! / 2
  const cy = crossLine(img, Math.floor(cx), y, 0, 1, c[2]!, total)
  if (Number.isNaN(cy)) return
  cx = crossLine(img, Math.floor(cx), Math.floor(cy), 1, 0, c[2]!, total)
  if (Number.isNaN(cx)) return
  if (Number.isNaN(crossLine(img, Math.floor(cx), Math.floor(cy), 1, 1, c[2]!, total * Math.SQRT2))) return
  const module = total / 7
  for (const f of found) {
    if (Math.abs(f.x - cx) <= module && Math.abs(f.y - cy) <= module && Math.abs(f.module - module) <= Math.max(1, f.module)) {
      const n = f.count
      f.x = (f.x * n + cx) / (n + 1); f.y = (f.y * n + cy) / (n + 1); f.module = (f.module * n + module) / (n + 1); f.count = n + 1
      return
    }
  }
  found.push({ x: cx, y: cy, module, count: 1 })
}

/**
 * Counts the five runs through (x, y) along direction (dx, dy) and checks their ratio and that
 * their total is near the row's; returns the centre's coordinate along the line, or NaN.
 */
function crossLine(img: Bits, x: number, y: number, dx: number, dy: number, maxCount: number, expected: number): number {
  const { bits, width, height } = img
  const at = (k: number) => {
    const px = x + k * dx, py = y + k * dy
    return px >= 0 && py >= 0 && px < width && py < height ? bits[py * width + px]! : -1
  }
  const s = [0, 0, 0, 0, 0]
  let k = 0
  // Back from the centre: dark centre, light ring, dark ring.
  while (at(k) === 1) { s[2]!++; k-- }
  if (at(k) === -1) return NaN
  while (at(k) === 0 && s[1]! <= maxCount) { s[1]!++; k-- }
  if (at(k) === -1 || s[1]! > maxCount) return NaN
  while (at(k) === 1 && s[0]! <= maxCount) { s[0]!++; k-- }
  if (s[0]! > maxCount) return NaN
  // Forward from the centre.
  k = 1
  while (at(k) === 1) { s[2]!++; k++ }
  if (at(k) === -1) return NaN
  while (at(k) === 0 && s[3]! < maxCount) { s[3]!++; k++ }
  if (at(k) === -1 || s[3]! >= maxCount) return NaN
  while (at(k) === 1 && s[4]! < maxCount) { s[4]!++; k++ }
  if (s[4]! >= maxCount) return NaN
  const total = s[0]! + s[1]! + s[2]! + s[3]! + s[4]!
  // Across a diagonal the runs are √2 longer; the expected total says so.
  if (5 * Math.abs(total - expected) >= 2 * expected) return NaN
  if (!crossRatio(s)) return NaN
  const end = k // first pixel past the last run, in steps from the start point
  const centre = end - s[4]! - s[3]! - s[2]! / 2
  return (dx ? x : y) + centre
}

/** A cluster of finder spots that may be one symbol. */
export interface FinderGroup { finders: Finder[]; module: number }

/**
 * Groups spots that may belong to one symbol: similar module size, centres within `reach`
 * modules (a version-7 symbol's finders are 38 modules apart; ours are version ≤ 4, 26 apart).
 * Largest and most confirmed groups first.
 */
export function groupFinders(finders: Finder[], reach = 40): FinderGroup[] {
  const parent = finders.map((_, i) => i)
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)))
  for (let i = 0; i < finders.length; i++) {
    for (let j = i + 1; j < finders.length; j++) {
      const a = finders[i]!, b = finders[j]!
      const m = (a.module + b.module) / 2
      if (Math.max(a.module, b.module) > 1.6 * Math.min(a.module, b.module)) continue
      if (Math.hypot(a.x - b.x, a.y - b.y) <= reach * m) parent[root(i)] = root(j)
    }
  }
  const byRoot = new Map<number, Finder[]>()
  finders.forEach((f, i) => { const r = root(i); byRoot.set(r, [...(byRoot.get(r) ?? []), f]) })
  const groups = [...byRoot.values()].map((fs) => ({ finders: fs, module: fs.reduce((s, f) => s + f.module, 0) / fs.length }))
  const weight = (g: FinderGroup) => Math.min(g.finders.length, 3) * 1000 + g.finders.reduce((s, f) => s + f.count, 0)
  return groups.sort((a, b) => weight(b) - weight(a))
}
