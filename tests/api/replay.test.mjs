// The upstream replay: black-box scenarios recorded from the running Speckle server, compared
// with Stipple's answers (../shared/compat/replay). The scenarios listed in replay-expected.txt
// must match on every backend; the rest run too and their count is printed, so progress shows.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startServer, backends } from './lib/server.mjs'
import { sharedDir, hasShared, sharedSkipReason } from './lib/shared.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const expected = readFileSync(join(here, 'replay-expected.txt'), 'utf8')
  .split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean)

if (!hasShared) console.log(`replay: ${sharedSkipReason}`)

function replay (url, scenarios) {
  const replayer = join(sharedDir, 'compat', 'replay', 'replay.mjs')
  const transcripts = join(sharedDir, 'compat', 'upstream-transcripts')
  return new Promise((resolve) => {
    execFile('node', [replayer, url, transcripts, ...scenarios, '--jobs', '4'],
      { maxBuffer: 64 << 20, timeout: 600_000 },
      (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }))
  })
}

// A DIFF line at a single step that the transcript marks as an upstream defect, but where the
// mark sits on the step itself rather than under `rules` (where replay.mjs looks for it): one
// stored transcript (models.lookup-by-name, step 7) is written that way. Stipple does the right
// thing there, so that difference is expected.
function defectOnly (line) {
  const m = /^DIFF\s+(\S+): step (\d+) "[^"]*"(.*)$/.exec(line)
  if (!m || m[3].includes('more steps differ')) return false
  const file = join(sharedDir, 'compat', 'upstream-transcripts', `${m[1]}.json`)
  const step = JSON.parse(readFileSync(file, 'utf8')).steps[Number(m[2]) - 1]
  return Boolean(step?.defect ?? step?.rules?.defect)
}

for (const backend of backends()) {
  describe(`upstream replay on ${backend}`, { skip: sharedSkipReason }, () => {
    let server
    before(async () => { server = await startServer({ backend }) })
    after(async () => { await server?.stop() })

    it('matches upstream in every scenario listed in replay-expected.txt', async () => {
      // Exact names: a trailing $ stops the replayer's prefix match.
      const result = await replay(server.url, expected.map((name) => name + '$'))
      const lines = result.stdout.split('\n')
      const failing = lines.filter((l) => l.startsWith('DIFF') || l.startsWith('MISSING'))
      for (const line of failing.filter(defectOnly)) {
        console.log(`replay on ${backend}: upstream defect, fixed: ${line}`)
      }
      assert.deepEqual(failing.filter((l) => !defectOnly(l)), [], result.stdout)
      assert.match(lines.filter(Boolean).pop(), /^\d+\/\d+ scenarios match upstream$/)
    })

    it('reports how many of all scenarios match', async () => {
      const result = await replay(server.url, [])
      const summary = result.stdout.trim().split('\n').pop()
      console.log(`replay on ${backend}: ${summary}`)
      assert.match(summary, /^\d+\/\d+ scenarios match upstream$/)
    })
  })
}
