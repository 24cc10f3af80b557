/**
 * The office for end-to-end tests: one PC = one persistent Chromium profile (its own IndexedDB on
 * disk) with the test bridge installed (the real main-process handlers, scripted dialogs) and a
 * temp "Documents" folder where saved PDFs and scans live. Small page objects on role locators
 * and the visible zh-CN text (renderer/README.md, "stable names").
 */
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, mkdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium, expect, test, type BrowserContext, type Locator, type Page } from '@playwright/test'
import { installBridge, type Bridge } from './bridge'
import { recoveredUrl } from '../../electron/main/renderer-recovery'

/** One office PC: a browser profile, its bridge and its Documents folder. */
export interface Pc {
  context: BrowserContext
  page: Page
  bridge: Bridge
  /** The PC's root temp folder (profile, settings and Documents are inside). */
  root: string
  /** Where the clerk saves PDFs and keeps scans. */
  documents: string
  /** Closes the browser profile (an app restart when followed by openPc on the same root). */
  close(): Promise<void>
}

/**
 * Opens a PC. Passing the `root` of a closed PC relaunches the same profile (same IndexedDB,
 * same localStorage, same settings.json) on the same fixed port, like restarting the app.
 */
export async function openPc(opts: { root?: string } = {}): Promise<Pc> {
  const root = opts.root ?? (await mkdtemp(path.join(tmpdir(), 'desk-pc-')))
  const profile = path.join(root, 'chromium')
  const userData = path.join(root, 'desk')
  const documents = path.join(root, 'Documents')
  await Promise.all([mkdir(profile, { recursive: true }), mkdir(userData, { recursive: true }), mkdir(documents, { recursive: true })])
  const use = test.info().project.use
  const context = await chromium.launchPersistentContext(profile, {
    ...(use.launchOptions ?? {}),
    baseURL: use.baseURL,
    locale: use.locale ?? 'zh-CN',
    timezoneId: use.timezoneId ?? 'Asia/Shanghai',
    viewport: use.viewport ?? { width: 1440, height: 900 },
  })
  // Saved PDFs default to Documents, as on a clerk's PC.
  const bridge = await installBridge(context, { userDataDir: userData, deps: { defaultSaveDir: documents } })
  const page = context.pages()[0] ?? (await context.newPage())
  return { context, page, bridge, root, documents, close: () => context.close() }
}

/** Removes a PC's folders (after its context is closed). */
export async function disposePc(pc: Pc): Promise<void> {
  await pc.context.close().catch(() => undefined)
  // Chromium's helper processes may still be flushing the profile for a moment after close.
  await rm(pc.root, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }).catch((e: Error) => {
    console.warn(`could not remove ${pc.root}: ${e.message}`)
  })
}

/** Every demo user's password (the setup wizard's 试用演示数据 office). */
export const DEMO_PASSWORD = '123456'

/** The setup wizard (a profile that belongs to no office) or the sign-in page, whichever shows. */
export function setupOrStart(page: Page): Locator {
  return page.getByTestId('setup').or(page.getByRole('table', { name: '请登录' })).or(page.getByText('名录中还没有用户'))
}

/**
 * On the setup wizard, 试用演示数据 → 开始试用: the demo office is installed and the sign-in page
 * shows with the 演示 badge.
 */
export async function startDemo(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^试用演示数据/ }).click()
  await page.getByRole('button', { name: '开始试用', exact: true }).click()
  await expect(page).toHaveURL(/#\/start/)
  await expect(page.getByTestId('demo-badge')).toBeVisible()
}

/** The sign-in page's row of one user (the row with its 选择 button, not the password row under it). */
export function userRow(page: Page, name: string): Locator {
  return page.getByRole('table', { name: '请登录' }).getByRole('row', { name: new RegExp(`^${name}(\\s|$)`) })
    .filter({ has: page.getByRole('button', { name: '选择', exact: true }) })
}

/**
 * Types the password in the open sign-in row and presses 登录 (once any wait after an earlier wrong
 * password is over; no check of the outcome). Resolves once the page answered: it left /start, or
 * it emptied the password field again (a refusal, shown under it). The password check is scrypt at
 * the office's cost (about half a second here, much longer on a busy machine): a generous wait.
 */
export async function submitPassword(page: Page, password: string): Promise<void> {
  const field = page.getByTestId('password')
  await field.fill(password)
  await page.getByTestId('sign-in').getByRole('button', { name: '登录', exact: true }).click()
  // Read in one step in the page: the field goes away the moment the sign-in succeeds.
  await expect.poll(() => page.evaluate(() => {
    if (!location.hash.startsWith('#/start')) return 'signed in'
    const el = document.querySelector('[data-testid="password"]')
    const input = el instanceof HTMLInputElement ? el : el?.querySelector('input')
    if (!input) return 'no password field'
    return input.value === '' ? 'refused' : 'checking'
  }), { timeout: 60_000 }).not.toBe('checking')
}

/**
 * Signs in on the start page as `name` with their password (the demo's `123456` unless given),
 * optionally as a registered proxy for someone. A fresh profile first goes through the setup
 * wizard's 试用演示数据, as a clerk trying the app would. A reload or a restart signs everyone
 * out (issue 6): call this again afterwards.
 */
export async function signIn(page: Page, name: string, opts: { password?: string; proxyFor?: string } = {}): Promise<void> {
  // Already on the sign-in page (e.g. sent there after a reload): stay, so its ?next= brings the
  // clerk back to the page they were on.
  if (!/#\/(start|setup)\b/.test(page.url())) {
    // Just reloaded, the app sends the page to sign-in by itself (keeping ?next=) once its router
    // has looked: wait for that rather than racing it. A page with someone signed in, or a blank
    // one, goes there directly.
    const blank = !/^https?:/.test(page.url())
    if (blank || (await page.getByTestId('current-user').isVisible())) await page.goto('/#/start')
    else await setupOrStart(page).first().waitFor({ timeout: 15_000 }).catch(() => page.goto('/#/start'))
  }
  await expect(setupOrStart(page).first()).toBeVisible()
  if (await page.getByTestId('setup').isVisible()) await startDemo(page)
  const row = userRow(page, name)
  if (opts.proxyFor) await row.getByRole('button', { name: `以 ${opts.proxyFor} 的代理人身份` }).click()
  else await row.getByRole('button', { name: '选择', exact: true }).click()
  await submitPassword(page, opts.password ?? DEMO_PASSWORD)
  const refused = page.getByTestId('sign-in-error')
  if (await refused.isVisible()) throw new Error(`${name} could not sign in: ${await refused.textContent()}`)
  await expect(page.getByTestId('current-user')).toContainText(name)
  if (opts.proxyFor) await expect(page.getByTestId('acting-for')).toHaveText(`代理 ${opts.proxyFor}`)
  else await expect(page.getByTestId('acting-for')).toHaveCount(0)
}

/** The start page: choose who you are (and sign in with the demo password), optionally as a registered proxy. */
export async function chooseUser(page: Page, name: string, opts: { proxyFor?: string; password?: string } = {}): Promise<void> {
  await signIn(page, name, opts)
}

/** Opens a menu entry of the left navigation (待办, 客户, 报价单, 扫描件导入, …). */
export async function openMenu(page: Page, name: string): Promise<void> {
  await page.getByRole('menuitem', { name, exact: true }).click()
}

/** Opens a form's list from the menu and the row naming `text`. */
export async function openFromList(page: Page, menu: string, text: string | RegExp): Promise<void> {
  await openMenu(page, menu)
  await page.locator('.el-table__body').getByRole('row').filter({ hasText: text }).first().getByRole('link').first().click()
}

/** The dialog of a workflow action (its asked fields and comment), not a date picker's popup. */
export const actionDialog = (page: Page): Locator => page.getByRole('dialog').filter({ has: page.getByRole('button', { name: '确定', exact: true }) })

/** Confirms the action dialog and waits until it is gone. */
export async function confirmDialog(page: Page): Promise<void> {
  await actionDialog(page).getByRole('button', { name: '确定', exact: true }).click()
  await expect(actionDialog(page)).toBeHidden()
}

/** Picks `option` in a drop-down the action dialog asks (`ask-<key>`: a select or user field). */
export async function pickInDialog(page: Page, key: string, option: string): Promise<void> {
  await actionDialog(page).getByTestId(`ask-${key}`).locator('.el-select__wrapper').click()
  await page.getByRole('option', { name: option, exact: true }).locator('visible=true').first().click()
}

/**
 * Picks an option of an Element Plus select labelled `name` (a list filter, a line's cell), typing
 * `typed` first; inside `within` where another table has a cell of the same name (a forecast's
 * 预估与实际 beside its 预估明细). The select's wrapper takes the click (its placeholder lies over the
 * input), as DocPage.choose does.
 */
export async function pickOption(page: Page, name: string, option: string | RegExp, typed?: string, within: Page | Locator = page): Promise<void> {
  const box = within.getByRole('combobox', { name, exact: true })
  await box.locator('xpath=ancestor::div[contains(@class, "el-select__wrapper")]').click()
  if (typed !== undefined) await box.pressSequentially(typed, { delay: 20 })
  await page.getByRole('option', { name: option }).locator('visible=true').first().click()
}

/** The menu entry of each form's list. */
const LIST_MENU = { customer: '客户', customerEvaluation: '客户评估', quotation: '报价单' } as const

/** The generic list view of one form. */
export class ListView {
  constructor(readonly page: Page) {}
  get search(): Locator { return this.page.getByRole('textbox', { name: '搜索' }) }
  /** Data rows of the table (the header row has no cells). */
  get rows(): Locator { return this.page.locator('.el-table__body').getByRole('row') }
  /** The "共 N 条" total of the pager. */
  get total(): Locator { return this.page.getByText(/^共 \d+ 条$/) }
  /**
   * Opens the list from the menu, as a clerk does (a hash `goto` right after a reload can race
   * the router's first navigation and be overridden by it).
   */
  async open(formId: keyof typeof LIST_MENU): Promise<void> {
    await openMenu(this.page, LIST_MENU[formId])
    await expect(this.page).toHaveURL(new RegExp(`#/list/${formId}$`))
    await expect(this.total).toBeVisible()
  }
  async find(text: string): Promise<void> {
    await this.search.fill(text)
  }
  row(text: string | RegExp): Locator { return this.rows.filter({ hasText: text }) }
}

/** The generic document page. */
export class DocPage {
  constructor(readonly page: Page) {}
  get title(): Locator { return this.page.getByTestId('doc-title') }
  get state(): Locator { return this.page.getByTestId('doc-state') }
  get blocked(): Locator { return this.page.getByTestId('blocked') }
  button(name: string): Locator { return this.page.getByRole('button', { name, exact: true }) }
  field(key: string): Locator { return this.page.getByTestId(`field-${key}`) }

  /** The document number shown in the heading (e.g. BJ2611-…, BFJ2612-… for a visit plan). */
  async number(): Promise<string> {
    const text = (await this.title.textContent()) ?? ''
    const m = /([A-Z]{2,3}\d{4}-[A-Z0-9]+-\d{4})/.exec(text)
    if (!m) throw new Error(`no document number in "${text}"`)
    return m[1]!
  }

  async fill(label: string, value: string): Promise<void> {
    await this.page.getByLabel(label, { exact: true }).fill(value)
  }

  async fillDate(label: string, iso: string): Promise<void> {
    const input = this.page.getByLabel(label, { exact: true })
    await input.fill(iso)
    await input.press('Enter')
    await expect(input).toHaveValue(iso)
  }

  /** An Element Plus select or reference field: open, type to filter, pick the option. */
  async choose(key: string, option: string | RegExp, typed?: string): Promise<void> {
    const wrapper = this.field(key).locator('.el-select__wrapper')
    await wrapper.click()
    if (typed !== undefined) await this.field(key).locator('input').pressSequentially(typed, { delay: 20 })
    await this.page.getByRole('option', { name: option }).locator('visible=true').first().click()
    await expect(this.field(key).locator('.el-select__placeholder').first()).toContainText(option)
  }

  /** Fills one line row (0-based `row`); cells are labelled "<column> <row + 1>". */
  async fillLine(row: number, cells: Record<string, string>): Promise<void> {
    for (const [col, value] of Object.entries(cells)) await this.page.getByLabel(`${col} ${row + 1}`, { exact: true }).fill(value)
  }

  async addLine(): Promise<void> {
    await this.page.getByRole('button', { name: /添加一行/ }).click()
  }

  async save(): Promise<void> {
    await this.button('保存').click()
  }

  /** Runs a workflow action; when it asks for a comment, types it and confirms. */
  async act(name: string, comment?: string): Promise<void> {
    await this.button(name).click()
    if (comment !== undefined) {
      const dialog = this.page.getByRole('dialog')
      await dialog.getByRole('textbox').fill(comment)
      await dialog.getByRole('button', { name: '确定', exact: true }).click()
      await expect(dialog).toBeHidden()
    }
  }

  /**
   * 保存PDF in the print preview, answering the save dialog with `file`; resolves once the file is
   * complete on disk (ends with %%EOF) and the clerk sees 「PDF 已保存」.
   */
  async savePdf(pc: Pc, file: string): Promise<void> {
    pc.bridge.dialogs.queueSave(file)
    await this.page.getByRole('button', { name: '保存PDF' }).click()
    await expect.poll(() => existsSync(file) && readFileSync(file).subarray(-1024).includes('%%EOF')).toBe(true)
    await expect(this.page.getByText('PDF 已保存').last()).toBeVisible()
  }

  async tab(name: '表单' | '时间线' | '附件' | '打印预览'): Promise<void> {
    await this.page.getByRole('tab', { name, exact: true }).click()
  }
}

/** 扫描件导入: picks through the scripted open dialog, then one result card per file. */
export class ImportView {
  constructor(readonly pc: Pc) {}
  get page(): Page { return this.pc.page }
  get results(): Locator { return this.page.getByTestId('import-result') }
  result(fileName: string): Locator { return this.results.filter({ hasText: fileName }) }

  /** Imports `paths` (files, or one folder) and waits until every file has its card. */
  async run(paths: string[], mode: 'files' | 'folder', expectedCards = paths.length): Promise<void> {
    await openMenu(this.page, '扫描件导入')
    this.pc.bridge.dialogs.queueOpen(paths)
    await this.page.getByRole('button', { name: mode === 'files' ? '选择文件' : '选择文件夹', exact: true }).click()
    await expect(this.results).toHaveCount(expectedCards, { timeout: 90_000 })
    await expect(this.page.getByText(/^正在读取/)).toHaveCount(0)
  }
}

/** The rows of the 附件 tab (header excluded). */
export function attachmentRows(page: Page): Locator {
  return page.getByTestId('attachments').getByRole('row').filter({ has: page.getByRole('cell') })
}

/** Today in Asia/Shanghai (the app's clock zone in the tests), ISO yyyy-mm-dd. */
export function todayIso(offsetDays = 0): string {
  const d = new Date(Date.now() + 8 * 3600_000 + offsetDays * 86_400_000)
  return d.toISOString().slice(0, 10)
}

/**
 * Runs `step`; when it fails, prints what each PC's window showed (address, who is signed in, the
 * visible text) before the error, so a failure on a CI machine without its trace can be read.
 */
export async function explainOnFailure<T>(pcs: Record<string, Page>, step: () => Promise<T>): Promise<T> {
  try {
    return await step()
  } catch (e) {
    for (const [name, page] of Object.entries(pcs)) {
      const text = await page.locator('body').innerText({ timeout: 2_000 }).catch(() => '(no text)')
      console.log(`[${name}] ${page.url()}\n${text.replace(/\n{2,}/g, '\n').slice(0, 2_000)}\n`)
    }
    throw e
  }
}

/**
 * Crashes the PC's renderer (as a PDF bomb or an out-of-memory would) and reopens the window the
 * way the main process does (electron/main/renderer-recovery.ts, `recoveredUrl`): a new page of the
 * same profile at the app's address with `?recovered=crashed`. `pc.page` is the new page after it.
 */
export async function crashAndRecover(pc: Pc): Promise<void> {
  const old = pc.page
  const url = old.url()
  const gone = new Promise<void>((resolve) => old.once('crash', () => resolve()))
  // chrome://crash ends the tab's renderer only (CDP's Page.crash took the whole headless browser down).
  old.goto('chrome://crash').catch(() => undefined)
  await gone
  const page = await pc.context.newPage()
  await old.close().catch(() => undefined)
  await page.goto(recoveredUrl(url, 'crashed'))
  pc.page = page
}
