/**
 * How sign-in slows down after wrong passwords. Each wrong attempt doubles the wait before the
 * next one (0, 1, 2, 4, 8 s), and after MAX_FAILURES in a row only the administrator can help
 * (a password reset). The scrypt cost makes each guess slow; this makes guessing at one PC
 * slower still and tells the clerk plainly what is going on.
 */

/** Consecutive wrong passwords after which sign-in is refused until the administrator resets the password. */
export const MAX_FAILURES = 5

/** How long the next attempt must wait after `failures` consecutive wrong passwords: 0,1,2,4,8 s …; null once `failures >= MAX_FAILURES` (ask the administrator). */
export function attemptDelayMs(failures: number): number | null {
  if (!Number.isSafeInteger(failures) || failures < 0) throw new RangeError(`failures must be a whole number ≥ 0, got ${failures}`)
  if (failures >= MAX_FAILURES) return null
  return failures === 0 ? 0 : 1000 * 2 ** (failures - 1)
}

/**
 * The zh-CN/en message for a refused sign-in. `failures` counts the consecutive wrong passwords so
 * far; `waitMs` is given when the attempt came before the delay was over. Locked out wins over a
 * wait, a wait over "wrong password".
 */
export function signInMessage(r: { failures: number; waitMs?: number }): { zh: string; en: string } {
  if (r.failures >= MAX_FAILURES) {
    return {
      zh: `密码已连续输错 ${MAX_FAILURES} 次，请联系管理员重置密码`,
      en: `Wrong password ${MAX_FAILURES} times in a row; ask the administrator to reset your password`,
    }
  }
  if (r.waitMs !== undefined && r.waitMs > 0) {
    const s = Math.ceil(r.waitMs / 1000)
    return { zh: `请等待 ${s} 秒后再试`, en: `Please wait ${s} second${s === 1 ? '' : 's'} and try again` }
  }
  const left = MAX_FAILURES - Math.max(0, r.failures)
  return {
    zh: `密码不正确，请重新输入（还可尝试 ${left} 次）`,
    en: `Wrong password, please try again (${left} attempt${left === 1 ? '' : 's'} left)`,
  }
}
