// The whole upstream replay (../shared/compat/replay) against `stipple serve` started as the
// README's first command starts it, with its default settings, on SQLite and on PostgreSQL.
// Every scenario of tests/api/replay-expected.txt must match; the list grows as features land.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startAsReadme, backends } from './lib/start.mjs'
import { sharedSkipReason } from '../api/lib/shared.mjs'
import { replay, expectedScenarios } from '../api/lib/replay.mjs'

if (sharedSkipReason) console.log(`e2e replay: ${sharedSkipReason}`)

for (const backend of backends()) {
  const title = `upstream replay against scripts/start on ${backend}`
  describe(title, { skip: sharedSkipReason }, () => {
    let server
    before(async () => { server = await startAsReadme(backend) })
    after(async () => { await server?.stop() })

    it('runs all 82 scenarios and matches every one of replay-expected.txt', async () => {
      const run = await replay(server.url)
      const others = [...run.results].filter(([, r]) => r !== 'ok').map(([name, r]) => `${name} (${r})`)
      const note = others.length ? ` (not identical: ${others.join(', ')})` : ''
      console.log(`e2e replay on ${backend}: ${run.summary}${note}`)
      assert.match(run.summary, /^\d+\/82 scenarios match upstream$/, run.output)
      assert.equal(run.results.size, 82, run.output)
      const failing = expectedScenarios.filter((name) => !['ok', 'defect'].includes(run.results.get(name)))
      assert.deepEqual(failing, [], run.output)
    })
  })
}
