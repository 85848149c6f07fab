// The foundation's black-box behaviour: ops endpoints, CORS, body limits, graceful shutdown,
// configuration errors — on every configured backend.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { gunzipSync } from 'node:zlib'
import http from 'node:http'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer, backends, runStipple, freePort, repoRoot } from './lib/server.mjs'

// A request with full control of headers (fetch would add and decode encodings).
function request (url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }))
    })
    req.on('error', reject)
    if (body) req.write(body)
    req.end()
  })
}

for (const backend of backends()) {
  describe(`foundation on ${backend}`, () => {
    let server
    before(async () => {
      server = await startServer({ backend, env: { STIPPLE_ENABLE_TEST_ROUTES: 'true', MAX_REQUEST_BODY_SIZE_MB: '1' } })
    })
    after(async () => { await server?.stop() })

    it('answers /api/ping with pong as text', async () => {
      const res = await request(server.url + '/api/ping')
      assert.equal(res.status, 200)
      assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8')
      assert.equal(res.body.toString(), 'pong')
    })

    it('marks / as a current Speckle server', async () => {
      const res = await request(server.url + '/')
      assert.equal(res.status, 200)
      assert.equal(res.headers['x-speckle-frontend-2'], 'true')
      assert.match(res.headers['content-type'], /^text\/html/)
    })

    it('reports readiness with the database alive', async () => {
      const res = await request(server.url + '/readiness')
      assert.equal(res.status, 200)
      const body = JSON.parse(res.body)
      assert.equal(body.status, 'ok')
      assert.equal(body.details[backend].main.isAlive, true)
    })

    it('reports liveness', async () => {
      const res = await request(server.url + '/liveness')
      assert.equal(res.status, 200)
      assert.equal(JSON.parse(res.body).status, 'ok')
    })

    it('exposes request counts by route template and pool figures in /metrics', async () => {
      await request(server.url + '/api/ping')
      const res = await request(server.url + '/metrics')
      assert.equal(res.status, 200)
      assert.match(res.headers['content-type'], /^text\/plain; version=0\.0\.4/)
      const text = res.body.toString()
      assert.match(text, /stipple_http_requests_total\{method="GET",route="\/api\/ping",status="200"\} \d+/)
      assert.match(text, /stipple_http_request_duration_seconds_bucket\{/)
      assert.match(text, /stipple_db_pool_connections\{state="max"\} 8/)
    })

    it('answers CORS preflights with 204 and the requested headers', async () => {
      const res = await request(server.url + '/graphql', {
        method: 'OPTIONS',
        headers: { origin: 'http://example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' }
      })
      assert.equal(res.status, 204)
      assert.equal(res.headers['access-control-allow-origin'], '*')
      assert.equal(res.headers['access-control-allow-methods'], 'GET,HEAD,PUT,PATCH,POST,DELETE')
      assert.equal(res.headers['access-control-allow-headers'], 'authorization,content-type')
    })

    it('puts allow-origin on ordinary responses', async () => {
      const res = await request(server.url + '/api/ping', { headers: { origin: 'http://example.com' } })
      assert.equal(res.headers['access-control-allow-origin'], '*')
    })

    it('honours x-request-id and generates one otherwise', async () => {
      const given = await request(server.url + '/api/ping', { headers: { 'x-request-id': 'req-42' } })
      assert.equal(given.headers['x-request-id'], 'req-42')
      const generated = await request(server.url + '/api/ping')
      assert.match(generated.headers['x-request-id'], /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    })

    it('answers an unknown route with a 404 HTML page', async () => {
      const res = await request(server.url + '/api/does-not-exist')
      assert.equal(res.status, 404)
      assert.match(res.headers['content-type'], /^text\/html/)
    })

    it('tolerates a trailing slash', async () => {
      const res = await request(server.url + '/api/ping/')
      assert.equal(res.status, 200)
      assert.equal(res.body.toString(), 'pong')
    })

    it('rejects a body over MAX_REQUEST_BODY_SIZE_MB with 413 and a JSON error', async () => {
      const big = Buffer.alloc(1024 * 1024 + 1, 'a')
      const res = await request(server.url + '/api/_test/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: big })
      assert.equal(res.status, 413)
      const body = JSON.parse(res.body)
      assert.equal(body.error.code, 'PAYLOAD_TOO_LARGE')
      assert.equal(body.error.message, 'Request body is larger than the limit of 1 MB')
    })

    it('lets the client read the 413 even while it is still sending a much larger body', async () => {
      // The server answers early and must drain the rest, or the client sees a reset instead.
      const huge = Buffer.alloc(8 * 1024 * 1024, 'a')
      const res = await request(server.url + '/api/_test/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: huge })
      assert.equal(res.status, 413)
      assert.equal(JSON.parse(res.body).error.code, 'PAYLOAD_TOO_LARGE')
    })

    it('accepts a body at the limit', async () => {
      const ok = Buffer.alloc(1024 * 1024, 'a')
      const res = await request(server.url + '/api/_test/echo', { method: 'POST', body: ok })
      assert.equal(res.status, 200)
      assert.deepEqual(JSON.parse(res.body), { bytes: 1048576 })
    })

    it('gzips a large response for a client that accepts gzip, and only then', async () => {
      const zipped = await request(server.url + '/metrics', { headers: { 'accept-encoding': 'gzip' } })
      assert.equal(zipped.headers['content-encoding'], 'gzip')
      assert.match(gunzipSync(zipped.body).toString(), /stipple_http_requests_total/)
      const plain = await request(server.url + '/metrics')
      assert.equal(plain.headers['content-encoding'], undefined)
    })

    it('keeps the connection alive between requests', async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
      const ports = []
      for (let i = 0; i < 3; i++) {
        await new Promise((resolve, reject) => {
          http.get(server.url + '/api/ping', { agent }, (res) => {
            ports.push(res.socket.localPort)
            res.resume()
            res.on('end', resolve)
          }).on('error', reject)
        })
      }
      agent.destroy()
      assert.equal(new Set(ports).size, 1)
    })
  })

  describe(`graceful shutdown on ${backend}`, () => {
    it('lets a request in flight finish after SIGTERM, then exits 0', async () => {
      const server = await startServer({ backend, env: { STIPPLE_ENABLE_TEST_ROUTES: 'true' } })
      const slow = request(server.url + '/api/_test/sleep?ms=1500')
      await new Promise((resolve) => setTimeout(resolve, 300))
      server.child.kill('SIGTERM')
      const res = await slow
      assert.equal(res.status, 200)
      assert.deepEqual(JSON.parse(res.body), { slept_ms: 1500 })
      const { code } = await server.stop()
      assert.equal(code, 0)
    })

    it('reports not ready while draining', async () => {
      const server = await startServer({ backend, env: { STIPPLE_ENABLE_TEST_ROUTES: 'true' } })
      const slow = request(server.url + '/api/_test/sleep?ms=1500')
      await new Promise((resolve) => setTimeout(resolve, 300))
      server.child.kill('SIGTERM')
      await new Promise((resolve) => setTimeout(resolve, 200))
      // New connections are refused once the listener is closed.
      await assert.rejects(request(server.url + '/readiness'), /ECONNREFUSED/)
      await slow
      await server.stop()
    })
  })
}

describe('database restarts', { skip: !backends().includes('postgres') && 'PostgreSQL is not among the test backends' }, () => {
  it('reports not ready while PostgreSQL is down and recovers when it is back', async () => {
    // A PostgreSQL of this test's own, so stopping it disturbs nothing else.
    const script = join(repoRoot, 'scripts', 'test-postgres')
    const dir = mkdtempSync(join(tmpdir(), 'stipple-pg-restart-'))
    const port = await freePort()
    const pgUrl = execFileSync(script, ['start', dir, String(port)]).toString().trim()
    let server
    try {
      server = await startServer({ backend: 'sqlite', env: { POSTGRES_URL: pgUrl } })
      assert.equal((await request(server.url + '/readiness')).status, 200)

      execFileSync(script, ['stop', dir])
      const down = await request(server.url + '/readiness')
      assert.equal(down.status, 503)
      assert.equal(JSON.parse(down.body).details.postgres.main.isAlive, false)

      execFileSync(script, ['start', dir, String(port)])
      const up = await request(server.url + '/readiness')
      assert.equal(up.status, 200)
      assert.equal(JSON.parse(up.body).details.postgres.main.isAlive, true)
    } finally {
      await server?.stop()
      try { execFileSync(script, ['stop', dir]) } catch {}
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('configuration errors', () => {
  it('stops with one line naming an invalid PORT', () => {
    const res = runStipple(['serve'], { PORT: 'abc', STIPPLE_DATA_DIR: '/tmp/stipple-config-test' })
    assert.notEqual(res.status, 0)
    assert.match(res.stderr, /PORT/)
    assert.equal(res.stderr.trim().split('\n').length, 1)
  })

  it('stops with one line naming an invalid LOG_LEVEL', () => {
    const res = runStipple(['serve'], { LOG_LEVEL: 'chatty', STIPPLE_DATA_DIR: '/tmp/stipple-config-test' })
    assert.equal(res.status, 2)
    assert.equal(res.stderr.trim(), "stipple: invalid setting LOG_LEVEL: 'chatty' is not one of trace, debug, info, warn, error, fatal, silent")
  })

  it('stops with one line naming an invalid CANONICAL_URL', () => {
    const res = runStipple(['serve'], { CANONICAL_URL: 'not a url', STIPPLE_DATA_DIR: '/tmp/stipple-config-test' })
    assert.equal(res.status, 2)
    assert.equal(res.stderr.trim(), "stipple: invalid setting CANONICAL_URL: 'not a url' is not an http(s) URL")
  })

  it('lists every setting with its environment variable in serve --help', () => {
    const res = runStipple(['serve', '--help'])
    assert.equal(res.status, 0)
    for (const name of ['PORT', 'BIND_ADDRESS', 'CANONICAL_URL', 'FRONTEND_ORIGIN', 'POSTGRES_URL', 'REDIS_URL', 'MAX_REQUEST_BODY_SIZE_MB', 'LOG_LEVEL', 'SHUTDOWN_TIMEOUT_SECONDS', 'SESSION_SECRET']) {
      assert.match(res.stdout, new RegExp(`\\[${name}\\]`), name)
    }
  })
})
