/**
 * The fork tests of issue 7 and a fixed fault-32 run over WebDAV (issue 11), as in
 * webdav-faults.test.ts: folder transport → each PC's own `shared:*` handlers with the WebDAV
 * backend → a local webdav-server serving a temp folder. The tests are in renderer/core/sync/fault-suite.ts.
 */
import { forkSuite, simulationSuite, type SuiteBackend } from '@core/sync/fault-suite'
import { webdavShare } from './test-shares'

const webdav: SuiteBackend = { name: 'webdav', share: webdavShare, timeoutMs: 120_000 }

forkSuite(webdav)
simulationSuite(webdav, [{ pcs: 3, ops: 80, seed: 42, clones: 1, restores: 1 }])
