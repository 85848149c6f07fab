// Rate limits shared through Redis: two `stipple serve` processes pointed at one real
// redis-server count a client's requests against the same windows, so the second process refuses
// what the first one used up. Without Redis each process would count alone.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, backends } from './lib/server.mjs'
import { startRedis } from './lib/redis.mjs'

// The login bucket (GET_AUTH) with 3 requests in the regular window and 2 in the burst window.
const limits = { RATELIMITER_ENABLED: 'true', RATELIMIT_GET_AUTH: '3', RATELIMIT_BURST_GET_AUTH: '2' }

function login (server) {
  return fetch(server.url + '/auth/local/login?challenge=c', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'nobody@example.org', password: 'not-the-password' })
  })
}

for (const backend of backends()) {
  describe(`rate limits shared through Redis on ${backend}`, () => {
    let redis, a, b

    before(async () => {
      redis = await startRedis()
      a = await startServer({ backend, env: { ...limits, REDIS_URL: redis.url } })
      b = await startServer({ backend, env: { ...limits, REDIS_URL: redis.url } })
    })
    after(async () => {
      await a?.stop()
      await b?.stop()
      await redis?.stop()
    })

    it('the second process refuses what the first used up, with the rate-limit headers', async () => {
      // The regular window through the first process, the burst window through the second.
      const remaining = []
      for (const server of [a, a, a, b, b]) {
        const res = await login(server)
        assert.equal(res.status, 401)
        remaining.push(res.headers.get('x-ratelimit-remaining'))
      }
      assert.deepEqual(remaining, ['2', '1', '0', '1', '0'])

      for (const server of [b, a]) {
        const refused = await login(server)
        assert.equal(refused.status, 429)
        const retryAfter = Number(refused.headers.get('retry-after'))
        assert.ok(retryAfter > 590 && retryAfter <= 600, `Retry-After ${retryAfter}`)
        const reset = Date.parse(refused.headers.get('x-ratelimit-reset'))
        assert.ok(Math.abs(reset - (Date.now() + retryAfter * 1000)) < 5000)
        assert.match(refused.headers.get('x-ratelimit-reset'), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
        assert.deepEqual(await refused.json(), {
          error: {
            message: `You have sent too many requests. You are being rate limited. Please try again in ${retryAfter} seconds.`,
            code: 'RATE_LIMIT_ERROR'
          }
        })
      }
    })

    it('other buckets are counted apart', async () => {
      const res = await fetch(a.url + '/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ serverInfo { name } }' })
      })
      assert.equal(res.status, 200)
      assert.equal(res.headers.get('x-ratelimit-remaining'), '49')
    })

    it('while Redis is down, each process counts in its own memory', async () => {
      await redis.stop()
      const first = await login(a)
      assert.equal(first.status, 401)
      assert.equal(first.headers.get('x-ratelimit-remaining'), '2')
      const other = await login(b)
      assert.equal(other.status, 401)
      assert.equal(other.headers.get('x-ratelimit-remaining'), '2')
    })
  })
}
