// Starts Stipple the way the README's first command does: `scripts/start`, with nothing in its
// environment but the port, a throwaway data directory and, for the PostgreSQL run, the database.
// Every other setting keeps its default (rate limits on, logs as the binary chooses), so the
// scenarios see what a user who typed `scripts/start` gets. STIPPLE_BIN, when set, is handed to
// scripts/start, which then runs that binary instead of building ./build.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { repoRoot, freePort, createPostgresDatabase, backends } from '../../api/lib/server.mjs'

export { backends }

// The variables scripts/start itself needs from the caller's environment (to find node, npm,
// cmake and the npm cache); no Stipple setting passes through.
const passThrough = ['PATH', 'HOME', 'LANG', 'TMPDIR', 'STIPPLE_BIN']

async function waitReady (url, child, output, timeoutMs) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`scripts/start exited with ${child.exitCode}:\n${output.join('')}`)
    }
    try {
      if ((await fetch(url + '/readiness')).status === 200) return
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`scripts/start did not serve ${url} in ${timeoutMs} ms:\n${output.join('')}`)
}

// Runs scripts/start on a free loopback port; on 'postgres' with a fresh database of the test
// PostgreSQL. Returns { url, backend, dataDir, postgresUrl, output, stop() }.
export async function startAsReadme (backend = 'sqlite') {
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'stipple-e2e-'))
  const postgresUrl = backend === 'postgres' ? createPostgresDatabase() : ''
  const env = { PORT: String(port), STIPPLE_DATA_DIR: dataDir }
  if (postgresUrl) env.POSTGRES_URL = postgresUrl
  for (const name of passThrough) if (process.env[name] !== undefined) env[name] = process.env[name]

  // scripts/start installs and builds first (no-ops once scripts/test has done both), then
  // replaces itself with `stipple serve`, so the child's pid is the server's.
  const child = spawn(join(repoRoot, 'scripts', 'start'), [],
    { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] })
  const output = []
  child.stdout.on('data', (d) => output.push(d.toString()))
  child.stderr.on('data', (d) => output.push(d.toString()))
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }))
  })
  const url = `http://127.0.0.1:${port}`
  try {
    await waitReady(url, child, output, 120_000)
  } catch (e) {
    if (child.exitCode === null) child.kill('SIGTERM')
    throw e
  }

  return {
    url,
    backend,
    dataDir,
    postgresUrl,
    output,
    // Stops the server with SIGTERM, waits for it to exit and removes its data directory.
    async stop () {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      const result = await exited
      rmSync(dataDir, { recursive: true, force: true })
      return result
    }
  }
}
