// Identity over HTTP: registration, login, the access-code flow of the web app and the desktop
// connectors, refresh, logout, token carriers, the admin commands and rate limiting — on every
// configured backend. GraphQL-dependent checks (activeUser, apiToken*) live in the replay suite.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, backends, runStipple } from './lib/server.mjs'

const password = 'Stipple-Passw0rd!42'
let counter = 0
const unique = (name) => `${name}.${process.pid}.${++counter}@example.org`

async function post (server, path, body, headers = {}) {
  return fetch(server.url + path, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body)
  })
}

async function get (server, path, headers = {}) {
  return fetch(server.url + path, { redirect: 'manual', headers })
}

function accessCode (res) {
  return new URL(res.headers.get('location')).searchParams.get('access_code')
}

// Registers an account through the web app flow and returns its tokens.
async function signUp (server, name = 'user') {
  const email = unique(name)
  const challenge = 'ch-' + counter
  const reg = await post(server, `/auth/local/register?challenge=${challenge}`, { email, password, name })
  assert.equal(reg.status, 302)
  const res = await post(server, '/auth/token', {
    appId: 'spklwebapp', appSecret: 'spklwebapp', accessCode: accessCode(reg), challenge
  })
  assert.equal(res.status, 200)
  return { email, ...(await res.json()) }
}

for (const backend of backends()) {
  describe(`auth on ${backend}`, () => {
    let server
    before(async () => { server = await startServer({ backend }) })
    after(async () => { await server?.stop() })

    describe('registration', () => {
      it('redirects to the frontend with an access code and register=true', async () => {
        const res = await post(server, '/auth/local/register?challenge=c1',
          { email: unique('Ann').toUpperCase(), password, name: 'Ann' })
        assert.equal(res.status, 302)
        const location = new URL(res.headers.get('location'))
        assert.equal(location.origin, server.url)
        assert.equal(location.pathname, '/')
        assert.match(location.searchParams.get('access_code'), /^[0-9a-f]{42}$/)
        assert.equal(location.searchParams.get('register'), 'true')
      })

      it('refuses a missing challenge with 400 text', async () => {
        const res = await post(server, '/auth/local/register', { email: unique('x'), password, name: 'X' })
        assert.equal(res.status, 400)
        assert.equal(await res.text(), 'Invalid request: no challenge detected.')
      })

      for (const [label, body, message] of [
        ['a short password', { email: 'short@example.org', password: 'short1', name: 'B' },
          'Password too short; needs to be 8 characters or longer.'],
        ['a missing e-mail', { password, name: 'B' }, 'E-mail address is required'],
        ['a missing name', { email: 'noname@example.org', password }, 'User name is required']
      ]) {
        it(`refuses ${label} with USER_INPUT_ERROR`, async () => {
          const res = await post(server, '/auth/local/register?challenge=c', body)
          assert.equal(res.status, 400)
          assert.deepEqual(await res.json(), { error: { message, code: 'USER_INPUT_ERROR' } })
        })
      }

      it('refuses an e-mail already taken, whatever its case', async () => {
        const email = unique('dup')
        await post(server, '/auth/local/register?challenge=c', { email, password, name: 'D' })
        const res = await post(server, '/auth/local/register?challenge=c',
          { email: email.toUpperCase(), password, name: 'D2' })
        assert.equal(res.status, 400)
        assert.equal((await res.json()).error.message, 'Email taken. Try logging in?')
      })
    })

    describe('login', () => {
      it('accepts the e-mail in any case and issues a web-app code', async () => {
        const { email } = await signUp(server, 'cat')
        const res = await post(server, '/auth/local/login?challenge=L1', { email: email.toUpperCase(), password })
        assert.equal(res.status, 302)
        assert.equal(new URL(res.headers.get('location')).searchParams.get('register'), null)
        const exchange = await post(server, '/auth/token',
          { appId: 'spklwebapp', appSecret: 'spklwebapp', accessCode: accessCode(res), challenge: 'L1' })
        assert.deepEqual(Object.keys(await exchange.json()).sort(), ['refreshToken', 'token'])
      })

      it('answers bad credentials with 401 Invalid credentials.', async () => {
        const { email } = await signUp(server, 'wrong')
        for (const body of [{ email, password: 'not the password' }, { email: unique('nobody'), password }]) {
          const res = await post(server, '/auth/local/login?challenge=c', body)
          assert.equal(res.status, 401)
          assert.deepEqual(await res.json(), { err: true, message: 'Invalid credentials.' })
        }
      })
    })

    describe('token exchange', () => {
      it('names each missing field', async () => {
        const cases = [
          [{}, 'App Id is required.'],
          [{ appId: 'spklwebapp' }, 'App Secret is required.'],
          [{ appId: 'spklwebapp', appSecret: 'spklwebapp', challenge: 'c' }, 'Access Code is required.'],
          [{ appId: 'spklwebapp', appSecret: 'spklwebapp', accessCode: 'x' }, 'Challenge is required.'],
          [{ appId: 'spklwebapp', appSecret: 'spklwebapp', refreshToken: '' }, 'A valid refresh token is required.']
        ]
        for (const [body, tail] of cases) {
          const res = await post(server, '/auth/token', body)
          assert.equal(res.status, 401)
          assert.deepEqual(await res.json(), { err: 'Invalid request, insufficient information provided. ' + tail })
        }
      })

      it('spends a code once', async () => {
        const reg = await post(server, '/auth/local/register?challenge=once', { email: unique('once'), password, name: 'O' })
        const body = { appId: 'spklwebapp', appSecret: 'spklwebapp', accessCode: accessCode(reg), challenge: 'once' }
        assert.equal((await post(server, '/auth/token', body)).status, 200)
        const again = await post(server, '/auth/token', body)
        assert.equal(again.status, 401)
        assert.deepEqual(await again.json(), { err: 'Access code not found.' })
      })

      it('keeps a code presented by another app usable', async () => {
        const reg = await post(server, '/auth/local/register?challenge=other', { email: unique('other'), password, name: 'O' })
        const code = accessCode(reg)
        const wrongApp = await post(server, '/auth/token', { appId: 'sca', appSecret: 'sca', accessCode: code, challenge: 'other' })
        assert.deepEqual(await wrongApp.json(), { err: 'Invalid request: application id does not match.' })
        const ok = await post(server, '/auth/token', { appId: 'spklwebapp', appSecret: 'spklwebapp', accessCode: code, challenge: 'other' })
        assert.equal(ok.status, 200)
      })
    })

    describe('desktop connectors', () => {
      for (const [appId, listener] of [['sca', 'http://localhost:29363'], ['connectrV3', 'http://localhost:29355']]) {
        it(`${appId}: access code, exchange, refresh`, async () => {
          const user = await signUp(server, appId)
          const minted = await get(server, `/auth/accesscode?appId=${appId}&challenge=d1&token=${user.token}&preventRedirect=true`)
          assert.equal(minted.status, 200)
          const { redirectUrl } = await minted.json()
          assert.ok(redirectUrl.startsWith(listener + '?access_code='), redirectUrl)

          const redirect = await get(server, `/auth/accesscode?appId=${appId}&challenge=d2&token=${user.token}`)
          assert.equal(redirect.status, 302)
          const code = accessCode(redirect)
          const exchange = await post(server, '/auth/token', { appId, appSecret: appId, accessCode: code, challenge: 'd2' })
          assert.equal(exchange.status, 200)
          const pair = await exchange.json()
          assert.match(pair.token, /^[0-9a-f]{42}$/)

          const refreshed = await post(server, '/auth/token', { appId, appSecret: appId, refreshToken: pair.refreshToken })
          assert.equal(refreshed.status, 200)
          assert.equal(refreshed.headers.get('cache-control'), 'no-cache, no-store')
          assert.equal(refreshed.headers.get('pragma'), 'no-cache')
          assert.equal(refreshed.headers.get('expires'), '0')
          const again = await refreshed.json()
          assert.notEqual(again.token, pair.token)
          assert.equal((await get(server, '/api/ping', { Authorization: 'Bearer ' + again.token })).status, 200)
        })
      }

      it('answers GET /oauth/token with 404 so the .NET SDK falls back', async () => {
        assert.equal((await get(server, '/oauth/token')).status, 404)
      })

      it('explains each /auth/accesscode failure with 400 text', async () => {
        const user = await signUp(server, 'hal')
        const cases = [
          [`challenge=c&token=${user.token}`, 'appId missing from querystring.'],
          [`appId=nosuchapp&challenge=c&token=${user.token}`, 'App does not exist.'],
          [`appId=sca&token=${user.token}`, 'Missing challenge'],
          ['appId=sca&challenge=c', 'Missing token'],
          ['appId=sca&challenge=c&token=0123456789abcdef0123456789abcdef0123456789', 'Invalid token']
        ]
        for (const [query, message] of cases) {
          const res = await get(server, `/auth/accesscode?${query}&preventRedirect=true`)
          assert.equal(res.status, 400)
          assert.equal(await res.text(), message)
        }
      })

      it('refuses a token without tokens:write', async () => {
        const email = unique('ro')
        await post(server, '/auth/local/register?challenge=c', { email, password, name: 'RO' })
        const made = runStipple(['admin', 'create-token', '--user', email, '--scopes', 'streams:read,profile:read'],
          { STIPPLE_DATA_DIR: server.dataDir, POSTGRES_URL: server.postgresUrl })
        assert.equal(made.status, 0, made.stderr)
        const res = await get(server, `/auth/accesscode?appId=sca&challenge=c&token=${made.stdout.trim()}&preventRedirect=true`)
        assert.equal(res.status, 400)
        assert.equal(await res.text(), 'Your auth token does not have the required scope: tokens:write.')
      })
    })

    describe('token carriers', () => {
      let user
      before(async () => { user = await signUp(server, 'ida') })

      const invalid = { error: 'Your token is not valid.' }
      for (const [label, headers, query] of [
        ['a Bearer header', (t) => ({ Authorization: 'Bearer ' + t }), ''],
        ['a header without the Bearer prefix', (t) => ({ Authorization: t }), ''],
        ['the authn cookie', (t) => ({ Cookie: 'authn=' + t }), ''],
        ['the embedToken parameter', () => ({}), (t) => '?embedToken=' + t],
        ['a header that wins over an invalid cookie', (t) => ({ Authorization: 'Bearer ' + t, Cookie: 'authn=garbage' }), '']
      ]) {
        it(`accepts ${label}`, async () => {
          const res = await get(server, '/api/ping' + (query ? query(user.token) : ''), headers(user.token))
          assert.equal(res.status, 200)
        })
      }

      for (const [label, authorization] of [
        ['a garbage token', 'Bearer garbage'],
        ['an unknown well-formed token', 'Bearer 0123456789abcdef0123456789abcdef0123456789'],
        ['a lower-case bearer prefix', null],
        ['a bare Bearer', 'Bearer'],
        ['the Basic scheme', 'Basic dXNlcjpwYXNz']
      ]) {
        it(`answers ${label} with 403 on every route`, async () => {
          const value = authorization ?? 'bearer ' + user.token
          for (const path of ['/api/ping', '/graphql', '/oauth/token', '/objects/abc/def']) {
            const res = await get(server, path, { Authorization: value })
            assert.equal(res.status, 403, path)
            assert.deepEqual(await res.json(), invalid)
          }
        })
      }

      it('treats an empty Authorization header as anonymous', async () => {
        assert.equal((await get(server, '/api/ping', { Authorization: '' })).status, 200)
      })
    })

    describe('logout', () => {
      it('revokes the token and its refresh token', async () => {
        const user = await signUp(server, 'fay')
        const res = await post(server, '/auth/logout', { token: user.token, refreshToken: user.refreshToken })
        assert.equal(res.status, 200)
        assert.deepEqual(await res.json(), { message: 'You have logged out.' })
        const after = await get(server, '/api/ping', { Authorization: 'Bearer ' + user.token })
        assert.equal(after.status, 403)
        const refresh = await post(server, '/auth/token',
          { appId: 'spklwebapp', appSecret: 'spklwebapp', refreshToken: user.refreshToken })
        assert.deepEqual(await refresh.json(), { err: 'Invalid request' })
      })

      it('answers 400 text without a valid token', async () => {
        for (const body of [{}, { token: 'garbage' }]) {
          const res = await post(server, '/auth/logout', body)
          assert.equal(res.status, 400)
          assert.equal(await res.text(), 'Something went wrong while trying to logout.')
        }
      })
    })

    describe('admin commands', () => {
      it('create-user then create-token give a working token', async () => {
        const env = { STIPPLE_DATA_DIR: server.dataDir, POSTGRES_URL: server.postgresUrl }
        const email = unique('admin-made')
        const created = runStipple(['admin', 'create-user', '--email', email, '--name', 'Made', '--password', password], env)
        assert.equal(created.status, 0, created.stderr)
        assert.match(created.stdout.trim(), /^[0-9a-f]{10}$/)
        const token = runStipple(['admin', 'create-token', '--user', created.stdout.trim(), '--scopes', 'streams:read', '--name', 't'], env)
        assert.equal(token.status, 0, token.stderr)
        assert.match(token.stdout.trim(), /^[0-9a-f]{42}$/)
        assert.equal((await get(server, '/api/ping', { Authorization: 'Bearer ' + token.stdout.trim() })).status, 200)
      })

      it('create-token refuses an unknown scope', async () => {
        const env = { STIPPLE_DATA_DIR: server.dataDir, POSTGRES_URL: server.postgresUrl }
        const res = runStipple(['admin', 'create-token', '--user', 'nobody@example.org', '--scopes', 'streams:read'], env)
        assert.notEqual(res.status, 0)
      })
    })
  })

  describe(`rate limiting on ${backend}`, () => {
    let server
    before(async () => {
      server = await startServer({ backend, env: { RATELIMITER_ENABLED: 'true', RATELIMIT_ALL_REQUESTS: '3', RATELIMIT_BURST_ALL_REQUESTS: '2' } })
    })
    after(async () => { await server?.stop() })

    it('answers 429 with Retry-After once regular and burst windows are full', async () => {
      const statuses = []
      let limited
      for (let i = 0; i < 7; i++) {
        const res = await get(server, '/api/ping', { 'X-Forwarded-For': '198.51.100.7' })
        statuses.push(res.status)
        if (res.status === 429) limited = res
        else assert.ok(res.headers.get('x-ratelimit-remaining') !== null)
      }
      assert.deepEqual(statuses.slice(0, 5), [200, 200, 200, 200, 200])
      assert.equal(statuses[5], 429)
      assert.ok(Number(limited.headers.get('retry-after')) >= 1)
      assert.ok(!Number.isNaN(Date.parse(limited.headers.get('x-ratelimit-reset'))))
      const body = await limited.json()
      assert.equal(body.error.code, 'RATE_LIMIT_ERROR')
    })

    it('limits logins to 4 per 10 minutes plus a burst of 10', async () => {
      const statuses = []
      for (let i = 0; i < 15; i++) {
        const res = await post(server, '/auth/local/login?challenge=c', { email: 'x@example.org', password: 'x' },
          { 'X-Forwarded-For': '203.0.113.9' })
        statuses.push(res.status)
      }
      assert.deepEqual(statuses.filter((s) => s === 401).length, 14)
      assert.equal(statuses[14], 429)
    })
  })
}
