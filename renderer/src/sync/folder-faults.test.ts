/**
 * The faults of sync.md and the fork tests of issue 7 over the real folder stack (issue 11): every
 * PC runs the renderer's folder transport → its own main-process `shared:*` handlers → one temp
 * folder, and the tests damage that folder on disk. The tests are in renderer/core/sync/fault-suite.ts.
 */
import { faultSuite, forkSuite, simulationSuite, type SuiteBackend } from '@core/sync/fault-suite'
import { folderShare } from './test-shares'

const folder: SuiteBackend = { name: 'folder', share: folderShare, timeoutMs: 120_000 }

faultSuite(folder)
forkSuite(folder)
simulationSuite(folder, [{ pcs: 3, ops: 80, seed: 42, clones: 1, restores: 1 }])
