// The whole upstream replay (../shared/compat/replay) against `stipple serve` started as the
// README's first command starts it, with its default settings, on SQLite and on PostgreSQL.
// Every scenario of tests/api/replay-expected.txt must match; the list grows as features land.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startAsReadme, backends } from './lib/start.mjs'
import { repoRoot } from '../api/lib/server.mjs'
import { sharedDir, sharedSkipReason } from '../api/lib/shared.mjs'

if (sharedSkipReason) console.log(`e2e replay: ${sharedSkipReason}`)

const expected = readFileSync(join(repoRoot, 'tests', 'api', 'replay-expected.txt'), 'utf8')
  .split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean)

// Runs every scenario. Resolves to { results, summary, output }; `results` maps each scenario
// to 'ok', 'DIFF' or 'MISSING'.
function replayAll (url) {
  const replayer = join(sharedDir, 'compat', 'replay', 'replay.mjs')
  const transcripts = join(sharedDir, 'compat', 'upstream-transcripts')
  const options = { maxBuffer: 64 << 20, timeout: 600_000 }
  return new Promise((resolve) => {
    execFile('node', [replayer, url, transcripts], options, (_error, stdout, stderr) => {
      const results = new Map()
      for (const line of stdout.split('\n')) {
        const m = /^(ok|DIFF|MISSING)\s+([^:\s]+)/.exec(line)
        if (m) results.set(m[2], m[1])
      }
      const summary = stdout.trim().split('\n').pop()
      resolve({ results, summary, output: stdout + stderr })
    })
  })
}

for (const backend of backends()) {
  const title = `upstream replay against scripts/start on ${backend}`
  describe(title, { skip: sharedSkipReason }, () => {
    let server
    before(async () => { server = await startAsReadme(backend) })
    after(async () => { await server?.stop() })

    it('runs all 82 scenarios and matches every one of replay-expected.txt', async () => {
      const run = await replayAll(server.url)
      const others = [...run.results].filter(([, r]) => r !== 'ok').map(([name]) => name)
      const note = others.length ? ` (not yet: ${others.join(', ')})` : ''
      console.log(`e2e replay on ${backend}: ${run.summary}${note}`)
      assert.match(run.summary, /^\d+\/82 scenarios match upstream$/, run.output)
      assert.equal(run.results.size, 82, run.output)
      const failing = expected.filter((name) => run.results.get(name) !== 'ok')
      assert.deepEqual(failing, [], run.output)
    })
  })
}
