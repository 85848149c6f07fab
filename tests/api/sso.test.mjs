// Sign-in through external identity providers: a real OpenID Connect provider (npm
// `oidc-provider`) on a loopback port stands in for any OIDC provider, for Google and for
// Entra ID (Azure AD), whose discovery URLs are pointed at it. GitHub, which speaks plain OAuth2
// and a REST API, cannot run here: a small local HTTP server answers its four endpoints.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { startServer, backends, freePort } from './lib/server.mjs'
import { startProvider, Browser, signInAtProvider, rsaJwk, publicJwk } from './lib/oidc.mjs'
import { startMailServer } from './lib/mail.mjs'
import { gql, data, post, password } from './lib/accounts.mjs'

const frontend = 'http://127.0.0.1:9' // never fetched: the tests read the redirects
const clientSecret = 'test-client-secret-0123456789'

// The settings of the generic OpenID strategy, pointed at the provider on `port`.
const oidcEnv = (port) => ({
  STRATEGY_OIDC: 'true',
  OIDC_NAME: 'Test Provider',
  OIDC_DISCOVERY_URL: `http://127.0.0.1:${port}/.well-known/openid-configuration`,
  OIDC_CLIENT_ID: 'stipple-oidc',
  OIDC_CLIENT_SECRET: clientSecret
})
let challengeCounter = 0

function client (id, server, callbackPath, extra = {}) {
  return {
    client_id: id,
    client_secret: clientSecret,
    redirect_uris: [server.url + callbackPath],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    ...extra
  }
}

// Starts a sign-in at `startPath`; returns { browser, challenge, start (the 302), authorizationUrl }.
async function begin (server, startPath, query = '') {
  const browser = new Browser()
  const challenge = `sso-challenge-${++challengeCounter}`
  const start = await browser.request(`${server.url}${startPath}?challenge=${challenge}${query}`)
  return { browser, challenge, start, authorizationUrl: start.headers.get('location') }
}

// A whole sign-in through the provider's pages. `editAuthorization` and `editCallback` may
// alter the URLs on the way (as an attacker would). Returns { res (the callback's answer), challenge }.
async function signIn (server, login, { startPath = '/auth/oidc', callbackPath = '/auth/oidc/callback', query = '', editAuthorization = (u) => u, editCallback = (u) => u, browser: fresh } = {}) {
  const { browser, challenge, start, authorizationUrl } = await begin(server, startPath, query)
  assert.equal(start.status, 302, await start.text())
  const back = await signInAtProvider(browser, editAuthorization(authorizationUrl), login, server.url + callbackPath)
  const caller = fresh ?? browser
  const res = back.formPost
    ? await caller.request(back.formPost.action, { method: 'POST', form: back.formPost.fields })
    : await caller.request(editCallback(back.callbackUrl))
  return { res, challenge }
}

async function exchange (server, location, challenge) {
  const accessCode = new URL(location).searchParams.get('access_code')
  const res = await post(server, '/auth/token', { appId: 'spklwebapp', appSecret: 'spklwebapp', accessCode, challenge })
  return { status: res.status, body: await res.json() }
}

async function tokenOf (server, res, challenge) {
  assert.equal(res.status, 302, await res.clone().text())
  const { status, body } = await exchange(server, res.headers.get('location'), challenge)
  assert.equal(status, 200, JSON.stringify(body))
  return body.token
}

const me = '{ activeUser { id email name role verified } }'

for (const backend of backends()) {
  describe(`OpenID Connect sign-in on ${backend}`, () => {
    let provider, server, mail, admin

    before(async () => {
      const providerPort = await freePort()
      mail = await startMailServer()
      server = await startServer({
        backend,
        env: {
          ...mail.env,
          FRONTEND_ORIGIN: frontend,
          ...oidcEnv(providerPort)
        }
      })
      provider = await startProvider({ port: providerPort, clients: [client('stipple-oidc', server, '/auth/oidc/callback')] })
    })
    after(async () => {
      await server?.stop()
      await provider?.stop()
      await mail?.stop()
    })

    it('serverInfo.authStrategies lists the provider and local accounts', async () => {
      const { serverInfo } = await data(server, null, '{ serverInfo { authStrategies { id name icon url color } } }')
      assert.deepEqual(serverInfo.authStrategies, [
        { id: 'oidc', name: 'Test Provider', icon: 'mdi-badge-account-horizontal-outline', url: '/auth/oidc', color: 'blue darken-3' },
        { id: 'local', name: 'Local', icon: 'TODO', url: '/auth/local', color: 'accent' }
      ])
    })

    it('GET /auth/oidc without a challenge answers 400', async () => {
      const res = await fetch(server.url + '/auth/oidc', { redirect: 'manual' })
      assert.equal(res.status, 400)
      assert.equal(await res.text(), 'Invalid request: no challenge detected.')
    })

    it('GET /auth/oidc redirects to the provider with state, nonce and PKCE', async () => {
      const { start, browser } = await begin(server, '/auth/oidc')
      assert.equal(start.status, 302)
      const url = new URL(start.headers.get('location'))
      assert.equal(url.origin + url.pathname, provider.issuer + '/auth')
      assert.equal(url.searchParams.get('response_type'), 'code')
      assert.equal(url.searchParams.get('client_id'), 'stipple-oidc')
      assert.equal(url.searchParams.get('redirect_uri'), server.url + '/auth/oidc/callback')
      assert.equal(url.searchParams.get('scope'), 'openid profile email')
      assert.match(url.searchParams.get('state'), /^[0-9a-f]{64}$/)
      assert.match(url.searchParams.get('nonce'), /^[0-9a-f]{64}$/)
      assert.equal(url.searchParams.get('code_challenge_method'), 'S256')
      assert.match(browser.cookieHeader(server.url), /^stipple_signin=/)
    })

    it('the first sign-in creates the server admin with the provider’s e-mail and name', async () => {
      const { res, challenge } = await signIn(server, 'alice')
      assert.equal(res.status, 302)
      const location = new URL(res.headers.get('location'))
      assert.equal(location.origin, frontend)
      assert.equal(location.searchParams.get('register'), 'true')
      const token = await tokenOf(server, res, challenge)
      const { activeUser } = await data(server, token, me)
      assert.deepEqual({ ...activeUser, id: undefined }, { id: undefined, email: 'alice@example.org', name: 'Alice Example', role: 'server:admin', verified: true })
      admin = { token, id: activeUser.id }
    })

    it('signing in again reaches the same account, without register=true', async () => {
      const { res, challenge } = await signIn(server, 'alice')
      assert.equal(new URL(res.headers.get('location')).searchParams.get('register'), null)
      const token = await tokenOf(server, res, challenge)
      assert.equal((await data(server, token, me)).activeUser.id, admin.id)
    })

    it('the access code only works with the challenge the sign-in started with', async () => {
      const { res } = await signIn(server, 'alice')
      const { status, body } = await exchange(server, res.headers.get('location'), 'another-challenge')
      assert.equal(status, 401)
      assert.equal(typeof body.err, 'string')
    })

    it('a callback with an altered state is refused', async () => {
      const { res } = await signIn(server, 'alice', {
        editCallback: (u) => { const url = new URL(u); url.searchParams.set('state', 'f'.repeat(64)); return url.toString() }
      })
      assert.equal(res.status, 400)
      assert.equal(await res.text(), 'Authentication failed: the state returned by the identity provider does not match this sign-in.')
    })

    it('a callback without a state is refused', async () => {
      const { res } = await signIn(server, 'alice', {
        editCallback: (u) => { const url = new URL(u); url.searchParams.delete('state'); return url.toString() }
      })
      assert.equal(res.status, 400)
      assert.equal(await res.text(), 'Authentication failed: the state returned by the identity provider does not match this sign-in.')
    })

    it('a callback in another browser (no sign-in cookie) is refused', async () => {
      const { res } = await signIn(server, 'alice', { browser: new Browser() })
      assert.equal(res.status, 400)
      assert.equal(await res.text(), 'Authentication failed: no sign-in is in progress in this browser, or it took longer than 3 minutes. Please sign in again.')
    })

    it('an ID token with another nonce is refused', async () => {
      const { res } = await signIn(server, 'alice', {
        editAuthorization: (u) => { const url = new URL(u); url.searchParams.set('nonce', 'a-nonce-of-someone-else'); return url.toString() }
      })
      assert.equal(res.status, 401)
      assert.deepEqual(await res.json(), { err: "Authentication failed: the ID token's nonce does not match this sign-in" })
    })

    it('an address the provider has not verified is refused', async () => {
      const { res } = await signIn(server, 'unverified-uma')
      assert.equal(res.status, 302)
      assert.equal(res.headers.get('location'), `${frontend}/error?message=The%20identity%20provider%20has%20not%20verified%20this%20email%20address.`)
    })

    it('a local account whose address is not verified cannot be signed into', async () => {
      const reg = await post(server, '/auth/local/register?challenge=c-local', { email: 'lou@example.org', name: 'Lou', password })
      assert.equal(reg.status, 302)
      const { res } = await signIn(server, 'lou')
      assert.equal(res.status, 302)
      assert.equal(res.headers.get('location'), `${frontend}/error-email-verify?email=lou%40example.org`)
    })

    it('a verified local account is linked: the provider signs into it', async () => {
      // An invited registration is verified.
      await data(server, admin.token, 'mutation ($i: ServerInviteCreateInput!) { serverInviteCreate(input: $i) }', { i: { email: 'linda@example.org' } })
      const invite = (await mail.waitFor('linda@example.org')).text.match(/\/authn\/register\?token=([0-9a-f]{50})/)[1]
      const reg = await post(server, `/auth/local/register?challenge=c-linda&token=${invite}`, { email: 'linda@example.org', name: 'Linda Local', password })
      assert.equal(reg.status, 302)
      const local = await exchange(server, reg.headers.get('location'), 'c-linda')
      const localId = (await data(server, local.body.token, me)).activeUser.id

      const { res, challenge } = await signIn(server, 'linda')
      assert.equal(new URL(res.headers.get('location')).searchParams.get('register'), null)
      const token = await tokenOf(server, res, challenge)
      const { activeUser } = await data(server, token, me)
      assert.deepEqual(activeUser, { id: localId, email: 'linda@example.org', name: 'Linda Local', role: 'server:user', verified: true })
    })

    describe('on an invite-only server', () => {
      before(async () => {
        await data(server, admin.token, 'mutation($i: ServerInfoUpdateInput!) { serverInfoUpdate(info: $i) }', { i: { name: 'Stipple', inviteOnly: true } })
      })
      after(async () => {
        await data(server, admin.token, 'mutation($i: ServerInfoUpdateInput!) { serverInfoUpdate(info: $i) }', { i: { name: 'Stipple', inviteOnly: false } })
      })

      it('a new account without an invite is refused', async () => {
        const { res } = await signIn(server, 'ivan')
        assert.equal(res.status, 302)
        assert.equal(res.headers.get('location'), `${frontend}/error?message=This%20server%20is%20invite%20only.%20Please%20authenticate%20yourself%20through%20a%20valid%20invite%20link.`)
      })

      it('an invite sent to another address is refused', async () => {
        await data(server, admin.token, 'mutation ($i: ServerInviteCreateInput!) { serverInviteCreate(input: $i) }', { i: { email: 'someone.else@example.org' } })
        const invite = (await mail.waitFor('someone.else@example.org')).text.match(/\/authn\/register\?token=([0-9a-f]{50})/)[1]
        const { res } = await signIn(server, 'ivan', { query: `&token=${invite}` })
        assert.equal(res.status, 302)
        assert.equal(res.headers.get('location'), `${frontend}/error?message=${encodeURIComponent("Wrong e-mail address or invite token. Make sure you're using the same e-mail address that received the invite.").replace(/'/g, '%27')}`)
      })

      it('an invited account is created with the invite’s role', async () => {
        await data(server, admin.token, 'mutation ($i: ServerInviteCreateInput!) { serverInviteCreate(input: $i) }', { i: { email: 'ivan@example.org', serverRole: 'server:admin' } })
        const invite = (await mail.waitFor('ivan@example.org')).text.match(/\/authn\/register\?token=([0-9a-f]{50})/)[1]
        const { res, challenge } = await signIn(server, 'ivan', { query: `&token=${invite}` })
        assert.equal(new URL(res.headers.get('location')).searchParams.get('register'), 'true')
        const token = await tokenOf(server, res, challenge)
        const { activeUser } = await data(server, token, me)
        assert.deepEqual({ ...activeUser, id: undefined }, { id: undefined, email: 'ivan@example.org', name: 'Ivan Example', role: 'server:admin', verified: true })
      })
    })
  })

  describe(`OpenID Connect ID token signatures on ${backend}`, () => {
    let provider, server

    before(async () => {
      const providerPort = await freePort()
      server = await startServer({
        backend,
        env: {
          FRONTEND_ORIGIN: frontend,
          ...oidcEnv(providerPort)
        }
      })
      provider = await startProvider({ port: providerPort, clients: [client('stipple-oidc', server, '/auth/oidc/callback')] })
      // The published key set holds another key under the signing key's id.
      provider.tamper.jwks = { keys: [publicJwk(rsaJwk(provider.key.kid))] }
    })
    after(async () => {
      await server?.stop()
      await provider?.stop()
    })

    it('an ID token whose signature does not verify against the JWKS is refused', async () => {
      const { res } = await signIn(server, 'mallory')
      assert.equal(res.status, 401)
      assert.deepEqual(await res.json(), { err: "Authentication failed: the token's signature does not verify" })
      const { body } = await gql(server, null, '{ serverInfo { name } }')
      assert.ok(body.data.serverInfo)
    })
  })

  describe(`Google and Entra ID sign-in on ${backend}`, () => {
    let provider, server

    before(async () => {
      const providerPort = await freePort()
      const discovery = `http://127.0.0.1:${providerPort}/.well-known/openid-configuration`
      server = await startServer({
        backend,
        env: {
          FRONTEND_ORIGIN: frontend,
          STRATEGY_LOCAL: 'false',
          STRATEGY_GOOGLE: 'true',
          GOOGLE_CLIENT_ID: 'stipple-google',
          GOOGLE_CLIENT_SECRET: clientSecret,
          STIPPLE_GOOGLE_DISCOVERY_URL: discovery,
          STRATEGY_AZURE_AD: 'true',
          AZURE_AD_ORG_NAME: 'Example Corp',
          AZURE_AD_IDENTITY_METADATA: discovery,
          AZURE_AD_CLIENT_ID: 'stipple-azure',
          AZURE_AD_CLIENT_SECRET: clientSecret
        }
      })
      provider = await startProvider({
        port: providerPort,
        clients: [
          client('stipple-google', server, '/auth/goog/callback'),
          client('stipple-azure', server, '/auth/azure/callback')
        ]
      })
    })
    after(async () => {
      await server?.stop()
      await provider?.stop()
    })

    it('serverInfo.authStrategies lists Google and Entra ID, and no local accounts', async () => {
      const { serverInfo } = await data(server, null, '{ serverInfo { authStrategies { id name icon url color } } }')
      assert.deepEqual(serverInfo.authStrategies, [
        { id: 'google', name: 'Google', icon: 'mdi-google', url: '/auth/goog', color: 'red darken-3' },
        { id: 'azuread', name: 'Example Corp', icon: 'mdi-microsoft', url: '/auth/azure', color: 'blue darken-3' }
      ])
      const login = await post(server, '/auth/local/login?challenge=c', { email: 'a@example.org', password })
      assert.equal(login.status, 404)
    })

    it('signs in with Google', async () => {
      const { res, challenge } = await signIn(server, 'gina', { startPath: '/auth/goog', callbackPath: '/auth/goog/callback' })
      const token = await tokenOf(server, res, challenge)
      const { activeUser } = await data(server, token, me)
      assert.equal(activeUser.email, 'gina@example.org')
      assert.equal(activeUser.name, 'Gina Example')
    })

    it('signs in with Entra ID, whose answer is a form POSTed to the callback', async () => {
      const { browser, challenge, start, authorizationUrl } = await begin(server, '/auth/azure')
      assert.equal(start.status, 302)
      assert.equal(new URL(authorizationUrl).searchParams.get('response_mode'), 'form_post')
      const back = await signInAtProvider(browser, authorizationUrl, 'aaron', server.url + '/auth/azure/callback')
      assert.ok(back.formPost, 'the provider answers with a form')
      const res = await browser.request(back.formPost.action, { method: 'POST', form: back.formPost.fields })
      const token = await tokenOf(server, res, challenge)
      const { activeUser } = await data(server, token, me)
      assert.equal(activeUser.email, 'aaron@example.org')
      assert.equal(activeUser.name, 'Aaron Example')
    })

    it('a sign-in begun with Google cannot be finished at the Entra ID callback', async () => {
      const { browser } = await begin(server, '/auth/goog')
      const res = await browser.request(server.url + '/auth/azure/callback', { method: 'POST', form: { code: 'x', state: 'y' } })
      assert.equal(res.status, 400)
    })
  })

  describe(`GitHub sign-in on ${backend} (a local stand-in for github.com)`, () => {
    let github, server
    const users = {
      'code-greta': { user: { id: 4242, login: 'greta', name: 'Greta Hub', avatar_url: 'https://example.org/greta.png' }, emails: [{ email: 'old@example.org', primary: false, verified: true }, { email: 'greta@example.org', primary: true, verified: true }] },
      'code-nameless': { user: { id: 4343, login: 'nameless', name: null }, emails: [{ email: 'nameless@example.org', primary: true, verified: true }] },
      'code-unverified': { user: { id: 4444, login: 'ursula', name: 'Ursula' }, emails: [{ email: 'ursula@example.org', primary: true, verified: false }] }
    }

    before(async () => {
      const port = await freePort()
      github = createServer(async (req, res) => {
        const url = new URL(req.url, `http://127.0.0.1:${port}`)
        let body = ''
        for await (const chunk of req) body += chunk
        const json = (status, value) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(value)) }
        const bearer = (req.headers.authorization ?? '').replace('Bearer ', '')
        if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') {
          const form = new URLSearchParams(body)
          if (form.get('client_id') !== 'stipple-gh' || form.get('client_secret') !== clientSecret) return json(200, { error: 'incorrect_client_credentials' })
          if (!users[form.get('code')]) return json(200, { error: 'bad_verification_code' })
          return json(200, { access_token: 'token-' + form.get('code'), token_type: 'bearer', scope: 'read:user,user:email' })
        }
        const who = users[bearer.replace('token-', '')]
        if (!who) return json(401, { message: 'Bad credentials' })
        if (url.pathname === '/api/user') return json(200, who.user)
        if (url.pathname === '/api/user/emails') return json(200, who.emails)
        json(404, { message: 'Not Found' })
      })
      await new Promise((resolve) => github.listen(port, '127.0.0.1', resolve))
      server = await startServer({
        backend,
        env: {
          FRONTEND_ORIGIN: frontend,
          STRATEGY_GITHUB: 'true',
          GITHUB_CLIENT_ID: 'stipple-gh',
          GITHUB_CLIENT_SECRET: clientSecret,
          STIPPLE_GITHUB_URL: `http://127.0.0.1:${port}`,
          STIPPLE_GITHUB_API_URL: `http://127.0.0.1:${port}/api`
        }
      })
      server.githubUrl = `http://127.0.0.1:${port}`
    })
    after(async () => {
      await server?.stop()
      github?.closeAllConnections()
      await new Promise((resolve) => github ? github.close(resolve) : resolve())
    })

    // GitHub's authorisation page, approved: back to the callback with a code and the state.
    async function viaGithub (code) {
      const { browser, challenge, start, authorizationUrl } = await begin(server, '/auth/gh')
      assert.equal(start.status, 302)
      const url = new URL(authorizationUrl)
      assert.equal(url.origin + url.pathname, server.githubUrl + '/login/oauth/authorize')
      assert.equal(url.searchParams.get('client_id'), 'stipple-gh')
      assert.equal(url.searchParams.get('redirect_uri'), server.url + '/auth/gh/callback')
      const state = url.searchParams.get('state')
      const res = await browser.request(`${server.url}/auth/gh/callback?code=${code}&state=${state}`)
      return { res, challenge }
    }

    it('serverInfo.authStrategies lists GitHub before local accounts', async () => {
      const { serverInfo } = await data(server, null, '{ serverInfo { authStrategies { id name icon url color } } }')
      assert.deepEqual(serverInfo.authStrategies.map((s) => [s.id, s.name, s.icon, s.url, s.color]), [
        ['github', 'Github', 'mdi-github', '/auth/gh', 'grey darken-3'],
        ['local', 'Local', 'TODO', '/auth/local', 'accent']
      ])
    })

    it('signs in with the primary verified address and the profile name', async () => {
      const { res, challenge } = await viaGithub('code-greta')
      const token = await tokenOf(server, res, challenge)
      const { activeUser } = await data(server, token, me)
      assert.deepEqual({ ...activeUser, id: undefined }, { id: undefined, email: 'greta@example.org', name: 'Greta Hub', role: 'server:admin', verified: true })
    })

    it('uses the login when the profile has no name', async () => {
      const { res, challenge } = await viaGithub('code-nameless')
      const token = await tokenOf(server, res, challenge)
      assert.equal((await data(server, token, me)).activeUser.name, 'nameless')
    })

    it('refuses an account without a verified address', async () => {
      const { res } = await viaGithub('code-unverified')
      assert.equal(res.status, 302)
      assert.equal(res.headers.get('location'), `${frontend}/error?message=The%20identity%20provider%20has%20not%20verified%20this%20email%20address.`)
    })

    it('answers 401 when GitHub refuses the code', async () => {
      const { res } = await viaGithub('code-nobody')
      assert.equal(res.status, 401)
      assert.deepEqual(await res.json(), { err: 'Authentication failed: GitHub refused the authorization code (bad_verification_code)' })
    })
  })
}
