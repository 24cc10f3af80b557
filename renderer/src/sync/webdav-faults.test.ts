/**
 * The faults of sync.md over WebDAV (issue 11): every PC runs the renderer's folder transport →
 * its own main-process `shared:*` handlers with the WebDAV backend → a local webdav-server serving
 * a temp folder, and the tests damage that folder on disk (what the server then serves). The tests
 * are in renderer/core/sync/fault-suite.ts; the fork tests and fault 32 are in webdav-forks.test.ts
 * (two files, so each stays near two minutes on a busy machine).
 */
import { faultSuite, type SuiteBackend } from '@core/sync/fault-suite'
import { webdavShare } from './test-shares'

const webdav: SuiteBackend = { name: 'webdav', share: webdavShare, timeoutMs: 120_000 }

faultSuite(webdav)
