import { describe, expect, it } from 'vitest'
import { MAX_FAILURES, attemptDelayMs, signInMessage } from './lockout'

describe('attemptDelayMs', () => {
  it('waits 0, 1, 2, 4, 8 s after 0–4 wrong passwords, then asks for the administrator', () => {
    expect([0, 1, 2, 3, 4].map(attemptDelayMs)).toEqual([0, 1000, 2000, 4000, 8000])
    expect(MAX_FAILURES).toBe(5)
    expect(attemptDelayMs(5)).toBeNull()
    expect(attemptDelayMs(6)).toBeNull()
    expect(attemptDelayMs(100)).toBeNull()
  })

  it('refuses a count that is not a whole number ≥ 0', () => {
    expect(() => attemptDelayMs(-1)).toThrow(RangeError)
    expect(() => attemptDelayMs(1.5)).toThrow(RangeError)
    expect(() => attemptDelayMs(Number.NaN)).toThrow(RangeError)
  })
})

describe('signInMessage', () => {
  it('says the password is wrong and how many attempts are left', () => {
    expect(signInMessage({ failures: 1 })).toEqual({ zh: '密码不正确，请重新输入（还可尝试 4 次）', en: 'Wrong password, please try again (4 attempts left)' })
    expect(signInMessage({ failures: 2 }).zh).toBe('密码不正确，请重新输入（还可尝试 3 次）')
    expect(signInMessage({ failures: 4 })).toEqual({ zh: '密码不正确，请重新输入（还可尝试 1 次）', en: 'Wrong password, please try again (1 attempt left)' })
  })

  it('says how long to wait, in whole seconds rounded up, when the attempt came too soon', () => {
    expect(signInMessage({ failures: 3, waitMs: 4000 })).toEqual({ zh: '请等待 4 秒后再试', en: 'Please wait 4 seconds and try again' })
    expect(signInMessage({ failures: 3, waitMs: 3200 }).zh).toBe('请等待 4 秒后再试')
    expect(signInMessage({ failures: 1, waitMs: 300 })).toEqual({ zh: '请等待 1 秒后再试', en: 'Please wait 1 second and try again' })
    expect(signInMessage({ failures: 2, waitMs: 0 }).zh).toBe('密码不正确，请重新输入（还可尝试 3 次）')
  })

  it('after 5 wrong passwords sends the clerk to the administrator, whatever the wait', () => {
    const locked = { zh: '密码已连续输错 5 次，请联系管理员重置密码', en: 'Wrong password 5 times in a row; ask the administrator to reset your password' }
    expect(signInMessage({ failures: 5 })).toEqual(locked)
    expect(signInMessage({ failures: 7, waitMs: 8000 })).toEqual(locked)
  })
})
