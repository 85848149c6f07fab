// Starts `stipple serve` for a test: a free loopback port, a throwaway data directory, and on
// PostgreSQL a fresh database of its own. Every test file shares these helpers.
import { spawn, execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { randomBytes } from 'node:crypto'

const here = dirname(fileURLToPath(import.meta.url))
export const repoRoot = join(here, '..', '..', '..')
export const binary = process.env.STIPPLE_BIN ?? join(repoRoot, 'build', 'stipple')

// The backends to run against: STIPPLE_TEST_BACKENDS="sqlite,postgres" (the test script sets
// it when it has started a PostgreSQL; STIPPLE_TEST_POSTGRES_URL names that server).
export function backends () {
  const list = (process.env.STIPPLE_TEST_BACKENDS ?? 'sqlite').split(',').map((s) => s.trim())
  return list.filter(Boolean)
}

export function freePort () {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

// Creates an empty database on the test PostgreSQL and returns its URL.
export function createPostgresDatabase () {
  const base = process.env.STIPPLE_TEST_POSTGRES_URL
  if (!base) throw new Error('STIPPLE_TEST_POSTGRES_URL is not set (run the tests through scripts/test)')
  const name = 'stipple_' + randomBytes(6).toString('hex')
  execFileSync('psql', [base, '-q', '-c', `CREATE DATABASE ${name}`], { stdio: 'pipe' })
  const url = new URL(base)
  url.pathname = '/' + name
  return url.toString()
}

async function waitReady (url, child, output, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`stipple exited with ${child.exitCode}:\n${output.join('')}`)
    }
    try {
      const res = await fetch(url + '/readiness')
      if (res.status === 200) return
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`stipple did not become ready in ${timeoutMs} ms:\n${output.join('')}`)
}

// Starts a server. Options: backend ('sqlite' | 'postgres'), env (extra variables), args.
// Returns { url, port, backend, dataDir, postgresUrl, child, output, stop(signal) }.
export async function startServer ({ backend = 'sqlite', env = {}, args = [] } = {}) {
  if (!existsSync(binary)) throw new Error(`${binary} is missing: build first (scripts/build)`)
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'stipple-test-'))
  const postgresUrl = backend === 'postgres' ? createPostgresDatabase() : ''
  const childEnv = {
    ...process.env,
    PORT: String(port),
    BIND_ADDRESS: '127.0.0.1',
    STIPPLE_DATA_DIR: dataDir,
    RATELIMITER_ENABLED: 'false',
    LOG_LEVEL: process.env.STIPPLE_TEST_LOG_LEVEL ?? 'warn',
    LOG_FORMAT: 'json',
    POSTGRES_URL: postgresUrl,
    ...env
  }
  const child = spawn(binary, ['serve', ...args], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  const output = []
  child.stdout.on('data', (d) => output.push(d.toString()))
  child.stderr.on('data', (d) => output.push(d.toString()))
  const url = `http://127.0.0.1:${port}`
  await waitReady(url, child, output)

  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  return {
    url,
    port,
    backend,
    dataDir,
    postgresUrl,
    child,
    output,
    exited,
    // Stops the server (SIGTERM by default), waits for it, removes its data.
    async stop (signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      const result = await exited
      rmSync(dataDir, { recursive: true, force: true })
      return result
    }
  }
}

// Runs `stipple <args>` to completion; returns { status, stdout, stderr }.
export function runStipple (args, env = {}) {
  try {
    const stdout = execFileSync(binary, args, {
      env: { ...process.env, LOG_FORMAT: 'json', ...env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    return { status: 0, stdout: stdout.toString(), stderr: '' }
  } catch (e) {
    return { status: e.status, stdout: e.stdout?.toString() ?? '', stderr: e.stderr?.toString() ?? '' }
  }
}
