// Where ../shared (real data, upstream transcripts, the replayer) sits, if it does. A user's
// clone has no ../shared: suites that need it skip with one line saying so.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot } from './server.mjs'

export const sharedDir = process.env.STIPPLE_SHARED_DIR ?? join(repoRoot, '..', 'shared')
export const hasShared = existsSync(join(sharedDir, 'compat', 'replay', 'replay.mjs'))
export const sharedSkipReason = hasShared ? false : `../shared is absent (${sharedDir}); skipped`
