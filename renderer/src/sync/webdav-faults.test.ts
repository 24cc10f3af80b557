/**
 * The faults of sync.md and the fork tests of issue 7 over WebDAV (issue 11): every PC runs the
 * renderer's folder transport → its own main-process `shared:*` handlers with the WebDAV backend →
 * a local webdav-server serving a temp folder, and the tests damage that folder on disk (what the
 * server then serves). The tests are in renderer/core/sync/fault-suite.ts.
 */
import { faultSuite, forkSuite, simulationSuite, type SuiteBackend } from '@core/sync/fault-suite'
import { webdavShare } from './test-shares'

const webdav: SuiteBackend = { name: 'webdav', share: webdavShare, timeoutMs: 120_000 }

faultSuite(webdav)
forkSuite(webdav)
simulationSuite(webdav, [{ pcs: 3, ops: 120, seed: 42, clones: 1, restores: 1 }])
