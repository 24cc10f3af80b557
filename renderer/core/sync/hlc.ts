/**
 * Hybrid logical clock (sync.md: "a hybrid logical clock only orders truly concurrent writes").
 * Causality between writes is carried by explicit predecessors in merge.ts, so the HLC never has
 * to be trusted for "who saw what"; it only picks the same winner everywhere among concurrent
 * writes. That lets us refuse to be dragged forward by a PC whose clock is far ahead (fault 15).
 */

/** A timestamp: physical wall ms, a counter for events within one ms, and the writing PC. */
export interface Hlc { wall: number; counter: number; pc: string }

const WALL_DIGITS = 15
const COUNTER_DIGITS = 6

/** Encodes so that string order equals `compareHlc` order (wall, counter, then PC id). */
export function encodeHlc(h: Hlc): string {
  return `${String(h.wall).padStart(WALL_DIGITS, '0')}.${String(h.counter).padStart(COUNTER_DIGITS, '0')}.${h.pc}`
}

/** The highest counter: past it a tick moves to the next millisecond, so string order stays true. */
export const MAX_COUNTER = 10 ** COUNTER_DIGITS - 1

/**
 * The PC id of a change id. The HLC's PC part may carry `~<session>`: a random part per running
 * engine, so two machines sharing one identity (a cloned disk) never issue the same change id.
 */
export function hlcPc(h: string): string {
  const pc = h.slice(h.lastIndexOf('.') + 1)
  const t = pc.indexOf('~')
  return t < 0 ? pc : pc.slice(0, t)
}

/** Parses `encodeHlc` output; null for anything else. */
export function decodeHlc(s: string): Hlc | null {
  const m = /^(\d{15})\.(\d{6})\.(.+)$/.exec(s)
  if (!m) return null
  return { wall: Number(m[1]), counter: Number(m[2]), pc: m[3] as string }
}

/** Total order: wall, counter, PC id. */
export function compareHlc(a: Hlc, b: Hlc): number {
  if (a.wall !== b.wall) return a.wall < b.wall ? -1 : 1
  if (a.counter !== b.counter) return a.counter < b.counter ? -1 : 1
  return a.pc < b.pc ? -1 : a.pc > b.pc ? 1 : 0
}

/** How a received remote timestamp relates to our physical clock. */
export type DriftVerdict = 'ok' | 'skewed' | 'ahead'

/** Outcome of `HlcClock.receive`. */
export interface ReceiveResult { verdict: DriftVerdict; driftMs: number }

/** Limits for remote clocks: above `warnMs` we warn (fault 14), above `maxMs` we refuse to follow (fault 15). */
export interface DriftLimits { warnMs: number; maxMs: number }

/** Defaults: warn at one minute, refuse to follow at ten minutes. */
export const DEFAULT_DRIFT: DriftLimits = { warnMs: 60_000, maxMs: 10 * 60_000 }

/** One PC's clock. `physical` is injected so tests can set any wall time. */
export class HlcClock {
  private last: Hlc

  constructor(readonly pc: string, private readonly physical: () => number, readonly limits: DriftLimits = DEFAULT_DRIFT, start?: Hlc) {
    this.last = start ? { ...start, pc } : { wall: 0, counter: 0, pc }
  }

  /** The last issued or accepted timestamp (persist it so a restart never goes back). */
  current(): Hlc {
    return { ...this.last }
  }

  /** A timestamp for a local event, strictly greater than every earlier one of this PC. */
  tick(): Hlc {
    const now = Math.floor(this.physical())
    if (now > this.last.wall) this.last = { wall: now, counter: 0, pc: this.pc }
    // The counter has six digits in the sortable form: at its limit the clock moves one ms on.
    else if (this.last.counter >= MAX_COUNTER) this.last = { wall: this.last.wall + 1, counter: 0, pc: this.pc }
    else this.last = { wall: this.last.wall, counter: this.last.counter + 1, pc: this.pc }
    return { ...this.last }
  }

  /**
   * Resumes after a restart above the last value this PC issued or accepted, whatever the wall
   * clock says now (set back by a person, a dead CMOS battery): a change id never repeats and the
   * clock never goes backwards.
   */
  resume(saved: Hlc): void {
    const s = { wall: saved.wall, counter: Math.min(saved.counter, MAX_COUNTER), pc: this.pc }
    if (compareHlc(s, this.last) > 0) this.last = s
  }

  /**
   * Takes note of a remote timestamp. Within `maxMs` of our physical clock we move past it as a
   * normal HLC does; beyond that the remote clock is wrong, its changes are still applied (by the
   * caller) but flagged, and our clock stays where it was (fault 15).
   */
  receive(remote: Hlc): ReceiveResult {
    const now = Math.floor(this.physical())
    const driftMs = remote.wall - now
    // Only a timestamp from our future is evidence of a wrong clock: an old one may simply have
    // travelled slowly (a USB stick carried for a week).
    const verdict: DriftVerdict = driftMs > this.limits.maxMs ? 'ahead' : driftMs > this.limits.warnMs ? 'skewed' : 'ok'
    if (verdict !== 'ahead' && compareHlc({ ...remote, pc: this.pc }, this.last) > 0) {
      this.last = { wall: remote.wall, counter: Math.min(remote.counter, MAX_COUNTER), pc: this.pc }
    }
    return { verdict, driftMs }
  }
}
