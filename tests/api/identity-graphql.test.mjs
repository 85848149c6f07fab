// Identity through GraphQL, beyond what the upstream replay pins: what administrators see and
// may do, who may read app secrets and edit apps, what app updates do to issued tokens, PATs
// minted from narrower tokens, and the legacy search's rules — on every configured backend.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, backends } from './lib/server.mjs'
import { post, signUp, gql } from './lib/accounts.mjs'

let counter = 0

function errorCodes (body) {
  return (body.errors ?? []).map((e) => e.extensions?.code)
}

async function myId (server, token) {
  return (await gql(server, token, '{ activeUser { id } }')).body.data.activeUser.id
}

// Gets a token for `app` through the access-code flow.
async function appToken (server, userToken, app, secret) {
  const challenge = `ch-app-${++counter}`
  const code = await fetch(`${server.url}/auth/accesscode?appId=${app}&challenge=${challenge}&token=${userToken}&preventRedirect=true`)
  assert.equal(code.status, 200)
  const accessCode = new URL((await code.json()).redirectUrl).searchParams.get('access_code')
  const res = await post(server, '/auth/token', { appId: app, appSecret: secret, accessCode, challenge })
  assert.equal(res.status, 200)
  return (await res.json()).token
}

const createApp = 'mutation($a: AppCreateInput!) { appCreate(app: $a) }'
const appInput = (scopes) => ({ name: 'Test app', description: 'd', redirectUrl: 'http://localhost:9999/cb', scopes })

for (const backend of backends()) {
  describe(`identity GraphQL on ${backend}`, () => {
    let server, admin, ann, bob
    before(async () => {
      server = await startServer({ backend })
      admin = await signUp(server, 'Admin') // the first account administers the server
      ann = await signUp(server, 'Ann')
      bob = await signUp(server, 'Bob')
      admin.id = await myId(server, admin.token)
      ann.id = await myId(server, ann.token)
      bob.id = await myId(server, bob.token)
    })
    after(async () => { await server?.stop() })

    describe('accounts', () => {
      it('shows another user\'s e-mail to an administrator', async () => {
        const { body } = await gql(server, admin.token, 'query($id: String) { user(id: $id) { email } }', { id: ann.id })
        assert.deepEqual(body, { data: { user: { email: ann.email } } })
      })

      it('hides another user\'s e-mail from a regular user', async () => {
        const { body } = await gql(server, bob.token, 'query($id: String) { user(id: $id) { email } }', { id: ann.id })
        assert.deepEqual(body, { data: { user: { email: null } } })
      })

      it('hides the own e-mail from a token without profile:email', async () => {
        const { body: created } = await gql(server, ann.token,
          'mutation { apiTokenCreate(token: { name: "no-email", scopes: ["profile:read"] }) }')
        const { body } = await gql(server, created.data.apiTokenCreate, '{ activeUser { name email } }')
        assert.deepEqual(body, { data: { activeUser: { name: 'Ann', email: null } } })
      })

      it('lists the account\'s one primary e-mail address', async () => {
        const { body } = await gql(server, ann.token, '{ activeUser { emails { email primary verified } } }')
        assert.deepEqual(body.data.activeUser.emails, [{ email: ann.email, primary: true, verified: false }])
      })

      it('records finished onboarding', async () => {
        const dee = await signUp(server, 'Dee')
        const before = await gql(server, dee.token, '{ activeUser { isOnboardingFinished } }')
        assert.deepEqual(before.body, { data: { activeUser: { isOnboardingFinished: false } } })
        const done = await gql(server, dee.token, 'mutation { activeUserMutations { finishOnboarding } }')
        assert.deepEqual(done.body, { data: { activeUserMutations: { finishOnboarding: true } } })
        const after = await gql(server, dee.token, '{ activeUser { isOnboardingFinished } }')
        assert.deepEqual(after.body, { data: { activeUser: { isOnboardingFinished: true } } })
      })

      it('keeps the web app\'s UI flags per user', async () => {
        const set = await gql(server, ann.token,
          'mutation { activeUserMutations { meta { setSpeckleConBannerDismissed(value: true) setFlag(key: "custom", value: true) } } }')
        assert.deepEqual(set.body, { data: { activeUserMutations: { meta: { setSpeckleConBannerDismissed: true, setFlag: true } } } })
        const query = '{ activeUser { meta { speckleConBannerDismissed newWorkspaceExplainerDismissed custom: flag(key: "custom") other: flag(key: "other") } } }'
        const own = await gql(server, ann.token, query)
        assert.deepEqual(own.body.data.activeUser.meta,
          { speckleConBannerDismissed: true, newWorkspaceExplainerDismissed: false, custom: true, other: false })
        const bobs = await gql(server, bob.token, query)
        assert.deepEqual(bobs.body.data.activeUser.meta,
          { speckleConBannerDismissed: false, newWorkspaceExplainerDismissed: false, custom: false, other: false })
      })

      it('refuses another user\'s tokens', async () => {
        const { body } = await gql(server, bob.token, 'query($id: String) { user(id: $id) { apiTokens { id } } }', { id: ann.id })
        assert.deepEqual(errorCodes(body), ['FORBIDDEN'])
      })

      it('looks users up by e-mail, leaving unknown addresses out', async () => {
        const { body } = await gql(server, ann.token, 'query($e: [String!]!) { usersByEmail(input: { emails: $e }) { id name } }',
          { e: [bob.email.toUpperCase(), 'nobody@example.org', ann.email] })
        assert.deepEqual(body, { data: { usersByEmail: [{ id: bob.id, name: 'Bob' }, { id: ann.id, name: 'Ann' }] } })
      })

      it('refuses a legacy userSearch shorter than three characters', async () => {
        const { body } = await gql(server, ann.token, '{ userSearch(query: "ab") { items { id } } }')
        assert.deepEqual(errorCodes(body), ['BAD_REQUEST_ERROR'])
      })

      it('lets an administrator change a server role, and the new role applies at once', async () => {
        const carl = await signUp(server, 'Carl')
        const carlId = await myId(server, carl.token)
        const change = await gql(server, admin.token,
          'mutation($i: UserRoleInput!) { userRoleChange(userRoleInput: $i) }', { i: { id: carlId, role: 'server:guest' } })
        assert.deepEqual(change.body, { data: { userRoleChange: true } })
        const { body } = await gql(server, carl.token, '{ activeUser { role } }')
        assert.deepEqual(body, { data: { activeUser: { role: 'server:guest' } } })
        const denied = await gql(server, carl.token, 'mutation { appCreate(app: { name: "x", description: "d", redirectUrl: "http://x", scopes: ["streams:read"] }) }')
        assert.deepEqual(errorCodes(denied.body), ['FORBIDDEN'])
      })

      it('refuses a role change by a regular user', async () => {
        const { body } = await gql(server, ann.token,
          'mutation($i: UserRoleInput!) { userRoleChange(userRoleInput: $i) }', { i: { id: bob.id, role: 'server:admin' } })
        assert.deepEqual(errorCodes(body), ['FORBIDDEN'])
      })

      it('deletes the caller\'s own account once its e-mail confirms it', async () => {
        const eve = await signUp(server, 'Eve')
        const wrong = await gql(server, eve.token,
          'mutation($c: UserDeleteInput!) { userDelete(userConfirmation: $c) }', { c: { email: 'not-me@example.org' } })
        assert.deepEqual(errorCodes(wrong.body), ['BAD_REQUEST_ERROR'])
        const done = await gql(server, eve.token,
          'mutation($c: UserDeleteInput!) { userDelete(userConfirmation: $c) }', { c: { email: eve.email } })
        assert.deepEqual(done.body, { data: { userDelete: true } })
        const after = await gql(server, eve.token, '{ activeUser { id } }')
        assert.equal(after.status, 403)
      })

      it('lets an administrator delete an account by e-mail', async () => {
        const fay = await signUp(server, 'Fay')
        const { body } = await gql(server, admin.token,
          'mutation($c: UserDeleteInput!) { adminDeleteUser(userConfirmation: $c) }', { c: { email: fay.email } })
        assert.deepEqual(body, { data: { adminDeleteUser: true } })
        const search = await gql(server, admin.token,
          'query($q: String!) { users(input: { query: $q, emailOnly: true }) { items { id } } }', { q: fay.email })
        assert.deepEqual(search.body, { data: { users: { items: [] } } })
      })

      it('refuses to demote the last administrator', async () => {
        const { body } = await gql(server, admin.token,
          'mutation($i: UserRoleInput!) { userRoleChange(userRoleInput: $i) }', { i: { id: admin.id, role: 'server:user' } })
        assert.deepEqual(errorCodes(body), ['USER_INPUT_ERROR'])
      })
    })

    describe('tokens', () => {
      it('refuses a PAT wider than the token that asks for it', async () => {
        const { body: created } = await gql(server, ann.token, createApp, { a: appInput(['tokens:write', 'profile:read']) })
        const appId = created.data.appCreate
        const { body: read } = await gql(server, ann.token, 'query($id: String!) { app(id: $id) { secret } }', { id: appId })
        const narrow = await appToken(server, ann.token, appId, read.data.app.secret)

        const wider = await gql(server, narrow, 'mutation { apiTokenCreate(token: { name: "w", scopes: ["streams:read"] }) }')
        assert.deepEqual(errorCodes(wider.body), ['TOKEN_CREATE_ERROR'])
        const same = await gql(server, narrow, 'mutation { apiTokenCreate(token: { name: "s", scopes: ["profile:read"] }) }')
        assert.match(same.body.data.apiTokenCreate, /^[0-9a-f]{42}$/)
      })

      it('mints app tokens only from a token issued to an app', async () => {
        const create = 'mutation { appTokenCreate(token: { name: "embed", scopes: ["streams:read"] }) }'
        const token = await appToken(server, ann.token, 'sca', 'sca')
        const fromPat = await gql(server, (await gql(server, ann.token,
          'mutation { apiTokenCreate(token: { name: "p", scopes: ["streams:read", "profile:read"] }) }')).body.data.apiTokenCreate, create)
        assert.deepEqual(errorCodes(fromPat.body), ['FORBIDDEN'])
        const fromWebApp = await gql(server, ann.token, create)
        const minted = fromWebApp.body.data.appTokenCreate
        assert.match(minted, /^[0-9a-f]{42}$/)
        const { body } = await gql(server, minted, '{ authenticatedAsApp { id } }')
        assert.deepEqual(errorCodes(body), ['FORBIDDEN']) // the new token lacks apps:read
        assert.ok(token)
      })

      it('names the app a token was issued to', async () => {
        const token = await appToken(server, ann.token, 'sca', 'sca')
        const { body } = await gql(server, ann.token, '{ authenticatedAsApp { id } }')
        assert.deepEqual(body, { data: { authenticatedAsApp: { id: 'spklwebapp' } } })
        const scaToken = await gql(server, token, '{ activeUser { name } }')
        assert.deepEqual(scaToken.body, { data: { activeUser: { name: 'Ann' } } })
      })
    })

    describe('apps', () => {
      it('reveals an app\'s secret to its author only', async () => {
        const { body: created } = await gql(server, ann.token, createApp, { a: appInput(['streams:read']) })
        const query = 'query($id: String!) { app(id: $id) { secret } }'
        const own = await gql(server, ann.token, query, { id: created.data.appCreate })
        assert.match(own.body.data.app.secret, /^[0-9a-f]{10}$/)
        const other = await gql(server, bob.token, query, { id: created.data.appCreate })
        assert.equal(other.body.data.app.secret, 'App secrets are only revealed to their author 😉')
      })

      it('refuses updates and deletion by somebody else', async () => {
        const { body: created } = await gql(server, ann.token, createApp, { a: appInput(['streams:read']) })
        const id = created.data.appCreate
        const update = await gql(server, bob.token, 'mutation($a: AppUpdateInput!) { appUpdate(app: $a) }',
          { a: { id, ...appInput(['streams:read']) } })
        assert.deepEqual(errorCodes(update.body), ['FORBIDDEN'])
        const remove = await gql(server, bob.token, 'mutation($id: String!) { appDelete(appId: $id) }', { id })
        assert.deepEqual(errorCodes(remove.body), ['FORBIDDEN'])
      })

      it('lets an administrator delete anybody\'s app', async () => {
        const { body: created } = await gql(server, ann.token, createApp, { a: appInput(['streams:read']) })
        const { body } = await gql(server, admin.token, 'mutation($id: String!) { appDelete(appId: $id) }', { id: created.data.appCreate })
        assert.deepEqual(body, { data: { appDelete: true } })
      })

      it('revokes the tokens issued through an app when its scopes change', async () => {
        const { body: created } = await gql(server, ann.token, createApp, { a: appInput(['profile:read']) })
        const id = created.data.appCreate
        const { body: read } = await gql(server, ann.token, 'query($id: String!) { app(id: $id) { secret } }', { id })
        const token = await appToken(server, ann.token, id, read.data.app.secret)
        assert.equal((await gql(server, token, '{ activeUser { name } }')).status, 200)

        await gql(server, ann.token, 'mutation($a: AppUpdateInput!) { appUpdate(app: $a) }',
          { a: { id, ...appInput(['profile:read', 'streams:read']) } })
        const after = await gql(server, token, '{ activeUser { name } }')
        assert.equal(after.status, 403)
        assert.deepEqual(after.body, { error: 'Your token is not valid.' })
      })

      it('lists the public apps, built-in ones included', async () => {
        const { body } = await gql(server, ann.token, '{ apps { id } }')
        const ids = body.data.apps.map((a) => a.id)
        for (const id of ['spklwebapp', 'sca', 'connectrV3', 'explorer', 'sdm']) assert.ok(ids.includes(id), id)
      })
    })
  })
}
