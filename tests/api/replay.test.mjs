// The upstream replay: black-box scenarios recorded from the running Speckle server, compared
// with Stipple's answers (../shared/compat/replay). The scenarios listed in replay-expected.txt
// must match on every backend (or differ only at a step marked as an upstream defect); the rest
// run too and their count is printed, so progress shows.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, backends } from './lib/server.mjs'
import { hasShared, sharedSkipReason } from './lib/shared.mjs'
import { replay, expectedScenarios } from './lib/replay.mjs'

if (!hasShared) console.log(`replay: ${sharedSkipReason}`)

const passing = (result) => result === 'ok' || result === 'defect'

for (const backend of backends()) {
  describe(`upstream replay on ${backend}`, { skip: sharedSkipReason }, () => {
    let server
    before(async () => { server = await startServer({ backend }) })
    after(async () => { await server?.stop() })

    it('matches upstream in every scenario listed in replay-expected.txt', async () => {
      // Exact names: a trailing $ stops the replayer's prefix match.
      const run = await replay(server.url, expectedScenarios.map((name) => name + '$'))
      for (const [name, result] of run.results) {
        if (result === 'defect') console.log(`replay on ${backend}: ${name} differs only where upstream is wrong`)
      }
      const failing = expectedScenarios.filter((name) => !passing(run.results.get(name)))
      assert.deepEqual(failing, [], run.output)
    })

    it('reports how many of all scenarios match', async () => {
      const run = await replay(server.url)
      console.log(`replay on ${backend}: ${run.summary}`)
      assert.match(run.summary, /^\d+\/\d+ scenarios match upstream$/)
    })
  })
}
