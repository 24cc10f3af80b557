/**
 * Electron main: app lifecycle, the one window factory, security policy, the app:// protocol and
 * IPC registration. The only module that touches ipcMain; handlers themselves are plain Node.
 */
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session, shell, type WebContents } from 'electron'
import path from 'node:path'
import { serveApp, type AppRoots } from './app-protocol'
import { electronDialogs } from './dialogs'
import { APP_ORIGIN, registerHandlers } from './ipc/register'
import { createHandlers } from './ipc/registry'
import { createSecretStore } from './ipc/secrets'
import { ALLOWED_PERMISSIONS, isAllowedExternal, isOwnBlobUrl, mayNavigate, mayRedirect } from './security'
import { watchRenderer } from './renderer-recovery'
import { createSettingsStore } from './settings'

// Must run before 'ready': app:// behaves like an https origin (IndexedDB, fetch, workers, CSP 'self').
protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
])

let mainWindow: BrowserWindow | null = null

function appRoots(): AppRoots {
  const appDir = app.getAppPath()
  const fontsDir = app.isPackaged ? path.join(process.resourcesPath, 'fonts') : path.join(appDir, 'node_modules/@expo-google-fonts/noto-sans-sc')
  const font = (weight: string) => (app.isPackaged ? path.join(fontsDir, `NotoSansSC_${weight}.ttf`) : path.join(fontsDir, weight, `NotoSansSC_${weight}.ttf`))
  return {
    renderer: path.join(appDir, 'dist/renderer'),
    fonts: { 'NotoSansSC_400Regular.ttf': font('400Regular'), 'NotoSansSC_700Bold.ttf': font('700Bold') },
  }
}

/** The one window factory: every window of the app is made here, with the same hardened settings. */
function createMainWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'MarketDesk 营销业务台',
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: path.join(__dirname, '../preload/index.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    },
  })
  win.once('ready-to-show', () => win.show())
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null
  })
  // A crashed or hung renderer is reloaded and the clerk told what was kept (issue 7): saved data
  // is in IndexedDB; a renderer that keeps dying is not reloaded in a loop.
  watchRenderer(win, {
    url: `${APP_ORIGIN}index.html`,
    onGiveUp: () => dialog.showErrorBox('MarketDesk 营销业务台', '程序多次意外中断，已停止自动重新打开。请关闭程序后重新启动；已保存的数据不受影响。'),
  })
  void win.loadURL(`${APP_ORIGIN}index.html`)
  return win
}

/** Navigation, new windows and webviews: our origin only; allow-listed https links go to the browser. */
function harden(contents: WebContents): void {
  contents.on('will-navigate', (e, url) => {
    if (!mayNavigate(contents.getURL(), url)) e.preventDefault()
  })
  contents.on('will-redirect', (e, url) => {
    if (!mayRedirect(contents.getURL(), url)) e.preventDefault()
  })
  contents.on('will-attach-webview', (e) => e.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    // The renderer opens stored scans/PDFs it made itself as blob: URLs; those get a plain,
    // sandboxed viewer window without our preload (no window.desk there).
    if (isOwnBlobUrl(url)) {
      return {
        action: 'allow',
        overrideBrowserWindowOptions: {
          autoHideMenuBar: true,
          webPreferences: { preload: '', sandbox: true, contextIsolation: true, nodeIntegration: false, plugins: true, spellcheck: false },
        },
      }
    }
    if (isAllowedExternal(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
}

function start(): void {
  app.on('web-contents-created', (_e, contents) => harden(contents))
  app.on('second-instance', () => {
    if (!mainWindow) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })
  app.on('window-all-closed', () => app.quit())

  void app.whenReady().then(() => {
    const roots = appRoots()
    protocol.handle('app', (req) => serveApp(req.url, roots))
    const ses = session.defaultSession
    ses.setPermissionRequestHandler((_wc, permission, callback) => callback(ALLOWED_PERMISSIONS.has(permission)))
    ses.setPermissionCheckHandler((_wc, permission) => ALLOWED_PERMISSIONS.has(permission))

    const userDataDir = app.getPath('userData')
    const handlers = createHandlers({
      dialogs: electronDialogs(() => mainWindow),
      settings: createSettingsStore(path.join(userDataDir, 'settings.json')),
      app: { version: app.getVersion(), platform: process.platform, userDataDir },
      defaultSaveDir: app.getPath('documents'),
      // The remembered office passphrase, sealed by the OS (issue 7); safeStorage needs 'ready'.
      secrets: createSecretStore(path.join(userDataDir, 'secrets.json'), safeStorage),
    })
    registerHandlers(ipcMain, handlers, () => mainWindow?.webContents.mainFrame)

    mainWindow = createMainWindow()
    app.on('activate', () => {
      if (!mainWindow) mainWindow = createMainWindow()
    })
  })
}

// One running copy per user: two would race on the same IndexedDB and shared-folder writes.
if (app.requestSingleInstanceLock()) start()
else app.quit()
