// Runs the upstream replayer (../shared/compat/replay) against a server and reads its report.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sharedDir } from './shared.mjs'

const here = dirname(fileURLToPath(import.meta.url))

// The scenarios that must match, from tests/api/replay-expected.txt.
export const expectedScenarios = readFileSync(join(here, '..', 'replay-expected.txt'), 'utf8')
  .split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean)

// A DIFF at a single step that the transcript marks as an upstream defect, but where the mark
// sits on the step itself rather than under `rules` (where replay.mjs looks for it): one stored
// transcript (models.lookup-by-name, step 7) is written that way. Stipple does the right thing
// there, so that difference is expected.
export function defectOnly (line) {
  const m = /^DIFF\s+(\S+): step (\d+) "[^"]*"(.*)$/.exec(line)
  if (!m || m[3].includes('more steps differ')) return false
  const file = join(sharedDir, 'compat', 'upstream-transcripts', `${m[1]}.json`)
  const step = JSON.parse(readFileSync(file, 'utf8')).steps[Number(m[2]) - 1]
  return Boolean(step?.defect ?? step?.rules?.defect)
}

// Runs `scenarios` (all when empty). Resolves to { results, summary, output }: `results` maps
// each scenario to 'ok', 'defect' (differs only where upstream is wrong), 'DIFF' or 'MISSING'.
export function replay (url, scenarios = []) {
  const replayer = join(sharedDir, 'compat', 'replay', 'replay.mjs')
  const transcripts = join(sharedDir, 'compat', 'upstream-transcripts')
  const options = { maxBuffer: 64 << 20, timeout: 600_000 }
  return new Promise((resolve) => {
    execFile('node', [replayer, url, transcripts, ...scenarios, '--jobs', '4'], options,
      (_error, stdout, stderr) => {
        const results = new Map()
        for (const line of stdout.split('\n')) {
          const m = /^(ok|DIFF|MISSING)\s+([^:\s]+)/.exec(line)
          if (m) results.set(m[2], m[1] === 'DIFF' && defectOnly(line) ? 'defect' : m[1])
        }
        const summary = stdout.trim().split('\n').pop()
        resolve({ results, summary, output: stdout + stderr })
      })
  })
}
