/**
 * Page objects for issue 6 ("who may do what") on top of the office fixtures (office.ts): the setup
 * wizard of a profile that belongs to no office, 设置's users for the administrator, switching
 * users, and plain-IndexedDB reads and writes a test uses to play a forger on one PC.
 */
import { expect, type Locator, type Page } from '@playwright/test'
import { openMenu } from './office'
import { idbAdd, idbAll } from './sync-office'

export { idbAdd, idbAll }

/** What the wizard's 创建新办公室 asks for. */
export interface NewOffice {
  company: string
  address?: string
  phone?: string
  pcName: string
  admin: string
  dept?: string
  password: string
}

/** On the setup wizard: 创建新办公室, the letterhead, this PC's name and the first administrator. */
export async function createOffice(page: Page, o: NewOffice): Promise<void> {
  await expect(page.getByTestId('setup')).toBeVisible()
  await page.getByRole('button', { name: /^创建新办公室/ }).click()
  await expect(page.getByRole('heading', { name: '创建新办公室' })).toBeVisible()
  await page.getByLabel('公司名称', { exact: true }).fill(o.company)
  if (o.address) await page.getByLabel('地址', { exact: true }).fill(o.address)
  if (o.phone) await page.getByLabel('电话', { exact: true }).fill(o.phone)
  await page.getByLabel('本机名称', { exact: true }).fill(o.pcName)
  await page.getByLabel('管理员姓名', { exact: true }).fill(o.admin)
  if (o.dept) await page.getByLabel('部门', { exact: true }).fill(o.dept)
  await page.getByLabel('密码', { exact: true }).fill(o.password)
  await page.getByLabel('再次输入密码', { exact: true }).fill(o.password)
  await page.getByRole('button', { name: '创建办公室', exact: true }).click()
  // The administrator's credential is scrypt at the office's cost: slow on a busy machine.
  await expect(page.getByText(`办公室已创建，${o.admin} 已登录`)).toBeVisible({ timeout: 60_000 })
  await expect(page.getByTestId('current-user')).toContainText(o.admin)
}

/** On the setup wizard: 加入已有办公室 with this PC's name; ends on the sync page (?join=1). */
export async function joinOfficeWizard(page: Page, pcName: string): Promise<void> {
  await expect(page.getByTestId('setup')).toBeVisible()
  await page.getByRole('button', { name: /^加入已有办公室/ }).click()
  await page.getByLabel('本机名称', { exact: true }).fill(pcName)
  await page.getByRole('button', { name: '下一步：选择共享文件夹' }).click()
  await expect(page).toHaveURL(/#\/sync\?join=1/)
  await expect(page.getByRole('heading', { name: '设置 → 同步' })).toBeVisible()
}

/** 设置 from the menu. */
export async function openSettings(page: Page): Promise<void> {
  await openMenu(page, '设置')
  await expect(page.getByRole('heading', { name: '设置', exact: true })).toBeVisible()
}

/** The row of one user in 设置 → 用户. */
export function settingsUserRow(page: Page, name: string) {
  return page.getByRole('region', { name: '用户' }).getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) })
}

/** Opens an Element Plus select by its box (its tags and placeholder cover the inner combobox). */
async function openSelect(combobox: Locator): Promise<void> {
  await combobox.locator('xpath=ancestor::div[contains(@class, "el-select__wrapper")][1]').click()
}

/** Picks `roles` (by their zh names) in an open multiple select; clicking a chosen one removes it. */
async function toggleRoles(page: Page, roles: string[]): Promise<void> {
  for (const r of roles) await page.getByRole('option', { name: r, exact: true }).locator('visible=true').click()
}

/** The administrator adds a user in 设置 → 用户 with a first password. */
export async function addUser(page: Page, u: { name: string; dept: string; roles: string[]; password: string }): Promise<void> {
  await openSettings(page)
  const users = page.getByRole('region', { name: '用户' })
  await users.getByRole('textbox', { name: '姓名', exact: true }).fill(u.name)
  await users.getByRole('textbox', { name: '部门', exact: true }).fill(u.dept)
  await openSelect(users.getByRole('combobox', { name: '角色', exact: true }))
  await toggleRoles(page, u.roles)
  await users.getByRole('heading', { name: '用户' }).click()
  await users.getByLabel('初始密码', { exact: true }).fill(u.password)
  await users.getByRole('button', { name: '新增用户', exact: true }).click()
  await expect(page.getByText(`已新增用户 ${u.name}，请把初始密码告诉本人`)).toBeVisible({ timeout: 60_000 })
  await expect(settingsUserRow(page, u.name)).toContainText(u.roles.join('、'))
}

/** The administrator's 修改 of one user's roles: `toggle` names roles to add or remove. */
export async function toggleUserRoles(page: Page, name: string, toggle: string[]): Promise<void> {
  await openSettings(page)
  await page.getByRole('button', { name: `修改 ${name}`, exact: true }).click()
  const dialog = page.getByRole('dialog', { name: `修改用户：${name}` })
  await expect(dialog).toBeVisible()
  await openSelect(dialog.getByRole('combobox', { name: '角色', exact: true }))
  await toggleRoles(page, toggle)
  await dialog.getByText(`修改用户：${name}`).click()
  await dialog.getByRole('button', { name: '保存', exact: true }).click()
  await expect(dialog).toBeHidden()
  await expect(page.getByText('设置已保存').last()).toBeVisible()
}

/** 切换用户 in the header: signed out, on the sign-in page. */
export async function switchUser(page: Page): Promise<void> {
  await page.getByRole('button', { name: '切换用户', exact: true }).click()
  await expect(page).toHaveURL(/#\/start/)
  await expect(page.getByTestId('current-user')).toHaveCount(0)
}


/** The id of a user as this PC's signed directory names them (the `directory` table's user entries). */
export async function directoryUserId(page: Page, name: string): Promise<string> {
  const entries = await idbAll<{ body: { kind: string; user?: { id: string; name: string }; admin?: { id: string; name: string } } }>(page, 'directory')
  const found = entries.map((e) => e.body.user ?? e.body.admin).find((u) => u?.name === name)
  if (!found) throw new Error(`no directory entry for ${name}`)
  return found.id
}
