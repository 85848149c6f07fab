// E-mail through a real SMTP server started by the test: the verification link mailed at
// registration, password reset through the mailed link, server invites and invite-only
// registration, and the log fallback without SMTP — on every configured backend.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, backends } from './lib/server.mjs'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startMailServer, selfSignedCertificate } from './lib/mail.mjs'
import { password, post, signUp, gql, data } from './lib/accounts.mjs'

let counter = 0
const unique = (name) => `${name.toLowerCase()}.mail.${process.pid}.${++counter}@example.org`

function location (res) {
  return res.headers.get('location')
}

// Registers through the web app flow and exchanges the code; returns { email, token }.
async function register (server, email, name, query = '') {
  const challenge = 'ch-mail-' + (++counter)
  const reg = await post(server, `/auth/local/register?challenge=${challenge}${query}`, { email, password, name })
  assert.equal(reg.status, 302, await reg.clone().text())
  const accessCode = new URL(location(reg)).searchParams.get('access_code')
  const res = await post(server, '/auth/token', { appId: 'spklwebapp', appSecret: 'spklwebapp', accessCode, challenge })
  assert.equal(res.status, 200)
  return { email, ...(await res.json()) }
}

async function login (server, email, secret) {
  return post(server, '/auth/local/login?challenge=ch-login', { email, password: secret })
}

// Waits up to 10 s for the server's `event` log line about a mail to `address`.
async function mailLogged (server, event, address) {
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline) {
    const line = server.output.join('').split('\n')
      .find((l) => l.includes(`"${event}"`) && l.includes(address))
    if (line) return line
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  assert.fail(`no ${event} line for ${address}`)
}

for (const backend of backends()) {
  describe(`e-mail on ${backend}`, () => {
    let mail
    let server
    let admin // the server's first account, hence its administrator
    before(async () => {
      mail = await startMailServer()
      server = await startServer({ backend, env: mail.env })
      admin = await signUp(server, 'Ada')
    })
    after(async () => {
      await server?.stop()
      await mail?.stop()
    })

    it('serverInfo says e-mail is enabled', async () => {
      const info = await data(server, null, '{ serverInfo { configuration { isEmailEnabled } } }')
      assert.deepEqual(info, { serverInfo: { configuration: { isEmailEnabled: true } } })
    })

    describe('verification', () => {
      it('registration mails a link that verifies the address', async () => {
        const user = await signUp(server, 'Vera')
        const message = await mail.waitFor(user.email, /^Confirm your e-mail address$/)
        assert.equal(message.from.value[0].address, 'no-reply@stipple.test')
        assert.deepEqual(message.envelope.rcptTo.map((r) => r.address), [user.email])
        const link = message.text.match(/http:\/\/127\.0\.0\.1:\d+\/auth\/verifyemail\?t=[0-9a-f]{40}/)[0]
        assert.ok(link.startsWith(server.url + '/auth/verifyemail?t='))
        assert.ok(message.html.includes(`href="${link}"`))

        const before = await data(server, user.token, '{ activeUser { verified hasPendingVerification } }')
        assert.deepEqual(before.activeUser, { verified: false, hasPendingVerification: true })

        const res = await fetch(link, { redirect: 'manual' })
        assert.equal(res.status, 302)
        assert.equal(location(res), server.url + '/?emailverifiedstatus=true')

        const after = await data(server, user.token, '{ activeUser { verified hasPendingVerification } }')
        assert.deepEqual(after.activeUser, { verified: true, hasPendingVerification: false })
      })

      it('a used or unknown link redirects with the error', async () => {
        const res = await fetch(server.url + '/auth/verifyemail?t=' + 'a'.repeat(40), { redirect: 'manual' })
        assert.equal(res.status, 302)
        assert.equal(location(res), server.url + '/?emailverifiederror=Invalid%20or%20expired%20verification%20token')

        const missing = await fetch(server.url + '/auth/verifyemail', { redirect: 'manual' })
        assert.equal(location(missing), server.url + '/?emailverifiederror=Missing%20verification%20token')
      })

      it('requestVerification mails a new link, and refuses a verified address', async () => {
        const user = await signUp(server, 'Reva')
        await mail.waitFor(user.email, /^Confirm your e-mail address$/)
        assert.deepEqual(await data(server, user.token, 'mutation { requestVerification }'), { requestVerification: true })
        const latest = await mail.waitFor(user.email, /^Confirm your e-mail address$/, { nth: 2 })
        const link = latest.text.match(/http:\/\/\S+\/auth\/verifyemail\?t=[0-9a-f]{40}/)[0]
        assert.equal(location(await fetch(link, { redirect: 'manual' })), server.url + '/?emailverifiedstatus=true')

        const again = await gql(server, user.token, 'mutation { requestVerification }')
        assert.equal(again.body.errors[0].message, "User's email is already verified")
        assert.equal(again.body.errors[0].extensions.code, 'EMAIL_VERIFICATION_REQUEST_ERROR')
      })

      it('requestVerificationByEmail answers false for unknown and verified addresses', async () => {
        const query = 'mutation ($e: String!) { requestVerificationByEmail(email: $e) }'
        assert.deepEqual(await data(server, null, query, { e: unique('nobody') }), { requestVerificationByEmail: false })
        const user = await signUp(server, 'Byem')
        await mail.waitFor(user.email, /^Confirm your e-mail address$/)
        assert.deepEqual(await data(server, null, query, { e: user.email }), { requestVerificationByEmail: true })
      })
    })

    describe('password reset', () => {
      it('the mailed link sets a new password; the old one and old sessions stop working', async () => {
        const user = await signUp(server, 'Rita')
        const res = await post(server, '/auth/pwdreset/request', { email: user.email.toUpperCase() })
        assert.equal(res.status, 200)
        assert.equal(await res.text(), 'Password reset email sent.')

        const message = await mail.waitFor(user.email, /^Reset your password$/)
        const token = message.text.match(/\/authn\/reset-password\?token=([0-9a-f]{40})/)[1]
        assert.ok(message.text.includes(`${server.url}/authn/reset-password?token=${token}`))

        const newPassword = 'Brand-New-Passw0rd'
        const done = await post(server, '/auth/pwdreset/finalize', { tokenId: token, password: newPassword })
        assert.equal(done.status, 200)
        assert.equal(await done.text(), 'Password reset. Please log in.')

        assert.equal((await login(server, user.email, newPassword)).status, 302)
        const old = await login(server, user.email, password)
        assert.equal(old.status, 401)
        assert.deepEqual(await old.json(), { err: true, message: 'Invalid credentials.' })
        const session = await gql(server, user.token, '{ activeUser { id } }')
        assert.equal(session.status, 403)
        assert.deepEqual(session.body, { error: 'Your token is not valid.' })

        const reused = await post(server, '/auth/pwdreset/finalize', { tokenId: token, password: 'Yet-Another-1' })
        assert.equal(reused.status, 400)
        assert.deepEqual(await reused.json(), {
          error: { message: 'Invalid reset token, it may be expired', code: 'PASSWORD_RECOVERY_FINALIZATION_ERROR' }
        })
      })

      it('answers an unknown address as a known one, and refuses a second request', async () => {
        const unknown = await post(server, '/auth/pwdreset/request', { email: unique('ghost') })
        assert.equal(unknown.status, 200)
        assert.equal(await unknown.text(), 'Password reset email sent.')

        const user = await signUp(server, 'Twice')
        assert.equal((await post(server, '/auth/pwdreset/request', { email: user.email })).status, 200)
        const second = await post(server, '/auth/pwdreset/request', { email: user.email })
        assert.equal(second.status, 400)
        assert.deepEqual(await second.json(), {
          error: {
            message: 'Password reset already requested. Please try again in 1h, or check your email for the instructions we have sent.',
            code: 'INVALID_PASSWORD_RECOVERY_REQUEST_ERROR'
          }
        })
      })

      it('refuses incomplete requests', async () => {
        const empty = await post(server, '/auth/pwdreset/request', {})
        assert.equal(empty.status, 400)
        assert.deepEqual(await empty.json(), {
          error: { message: 'E-mail address is empty', code: 'INVALID_PASSWORD_RECOVERY_REQUEST_ERROR' }
        })
        const finalize = await post(server, '/auth/pwdreset/finalize', { tokenId: 'x' })
        assert.equal(finalize.status, 400)
        assert.deepEqual(await finalize.json(), { error: { message: 'Invalid request.', code: 'BAD_REQUEST_ERROR' } })
      })
    })

    describe('server invites', () => {
      before(async () => {
        await data(server, admin.token,
          'mutation { serverInfoUpdate(info: { name: "Invite Server", inviteOnly: true }) }')
      })
      after(async () => {
        await data(server, admin.token,
          'mutation { serverInfoUpdate(info: { name: "Invite Server", inviteOnly: false }) }')
      })

      it('an invite-only server refuses registration without an invite', async () => {
        const res = await post(server, '/auth/local/register?challenge=c-inv', { email: unique('Nina'), password, name: 'Nina' })
        assert.equal(res.status, 400)
        assert.deepEqual(await res.json(), {
          error: { message: 'This server is invite only. Please provide an invite id.', code: 'USER_INPUT_ERROR' }
        })
      })

      it('the mailed invite registers that address, verified, with the invited role', async () => {
        const email = unique('Ivy')
        const created = await data(server, admin.token,
          'mutation ($i: ServerInviteCreateInput!) { serverInviteCreate(input: $i) }',
          { i: { email, message: 'Come <b>in</b>' } })
        assert.deepEqual(created, { serverInviteCreate: true })

        const message = await mail.waitFor(email, /^Ada invited you to Invite Server$/)
        const token = message.text.match(/\/authn\/register\?token=([0-9a-f]{50})/)[1]
        assert.ok(message.text.includes(`${server.url}/authn/register?token=${token}`))
        assert.ok(message.text.includes('"Come <b>in</b>"'))
        assert.ok(message.html.includes('Come &lt;b&gt;in&lt;/b&gt;'))

        const byToken = await data(server, null,
          'query ($t: String) { serverInviteByToken(token: $t) { email invitedBy { name } } }', { t: token })
        assert.deepEqual(byToken, { serverInviteByToken: { email, invitedBy: { name: 'Ada' } } })

        const wrong = await post(server, `/auth/local/register?challenge=c-w&token=${token}`,
          { email: unique('Eve'), password, name: 'Eve' })
        assert.equal(wrong.status, 400)
        assert.deepEqual(await wrong.json(), {
          error: {
            message: "Wrong e-mail address or invite token. Make sure you're using the same e-mail address that received the invite.",
            code: 'INVITE_NOT_FOUND'
          }
        })

        const ivy = await register(server, email, 'Ivy', `&token=${token}`)
        const me = await data(server, ivy.token, '{ activeUser { email verified role } }')
        assert.deepEqual(me.activeUser, { email, verified: true, role: 'server:user' })

        const reused = await post(server, `/auth/local/register?challenge=c-r&token=${token}`,
          { email: unique('Ivy2'), password, name: 'Ivy' })
        assert.equal(reused.status, 400)
        assert.equal((await reused.json()).error.code, 'INVITE_NOT_FOUND')
      })

      it('serverInviteCreate refuses an address that has an account', async () => {
        const res = await gql(server, admin.token,
          'mutation ($i: ServerInviteCreateInput!) { serverInviteCreate(input: $i) }', { i: { email: admin.email } })
        assert.equal(res.body.errors[0].message, 'This email is already associated with an account on this server')
        assert.equal(res.body.errors[0].extensions.code, 'INVITE_CREATE_ERROR')
      })

      it('a project invite is mailed, and its token registers that address on an invite-only server', async () => {
        const { projectMutations } = await data(server, admin.token,
          'mutation { projectMutations { create(input: { name: "Bridge" }) { id } } }')
        const projectId = projectMutations.create.id
        const email = unique('Paul')
        await data(server, admin.token,
          'mutation ($p: ID!, $i: ProjectInviteCreateInput!) { projectMutations { invites { create(projectId: $p, input: $i) { id } } } }',
          { p: projectId, i: { email, role: 'stream:reviewer' } })

        const message = await mail.waitFor(email, /^Ada shared the project "Bridge" with you$/)
        const token = message.text.match(/\/projects\/[0-9a-f]+\?token=([0-9a-f]{50})&accept=true/)[1]
        assert.ok(message.text.includes(`${server.url}/projects/${projectId}?token=${token}&accept=true`))

        const paul = await register(server, email, 'Paul', `&token=${token}`)
        const used = await data(server, paul.token,
          'mutation ($i: ProjectInviteUseInput!) { projectMutations { invites { use(input: $i) } } }',
          { i: { projectId, token, accept: true } })
        assert.deepEqual(used, { projectMutations: { invites: { use: true } } })
        const project = await data(server, paul.token, 'query ($p: String!) { project(id: $p) { role } }', { p: projectId })
        assert.deepEqual(project, { project: { role: 'stream:reviewer' } })
      })

      it('a project invite to an existing account is mailed to its address', async () => {
        const { projectMutations } = await data(server, admin.token,
          'mutation { projectMutations { create(input: { name: "Tower" }) { id } } }')
        // A second account, registered through its own server invite.
        const email = unique('Mia')
        await data(server, admin.token,
          'mutation ($i: ServerInviteCreateInput!) { serverInviteCreate(input: $i) }', { i: { email } })
        const invite = await mail.waitFor(email, /^Ada invited you to Invite Server$/)
        const token = invite.text.match(/\/authn\/register\?token=([0-9a-f]{50})/)[1]
        const member = await register(server, email, 'Mia', `&token=${token}`)
        const { activeUser } = await data(server, member.token, '{ activeUser { id } }')
        await data(server, admin.token,
          'mutation ($p: ID!, $i: [ProjectInviteCreateInput!]!) { projectMutations { invites { batchCreate(projectId: $p, input: $i) { id } } } }',
          { p: projectMutations.create.id, i: [{ userId: activeUser.id }] })
        await mail.waitFor(member.email, /^Ada shared the project "Tower" with you$/)
      })

      it('the legacy streamInviteCreate mails its invite too', async () => {
        const { projectMutations } = await data(server, admin.token,
          'mutation { projectMutations { create(input: { name: "Dam" }) { id } } }')
        const email = unique('Leo')
        const res = await data(server, admin.token,
          'mutation ($i: StreamInviteCreateInput!) { streamInviteCreate(input: $i) }',
          { i: { email, streamId: projectMutations.create.id } })
        assert.deepEqual(res, { streamInviteCreate: true })
        const message = await mail.waitFor(email, /^Ada shared the project "Dam" with you$/)
        assert.match(message.text, new RegExp(`/projects/${projectMutations.create.id}\\?token=[0-9a-f]{50}&accept=true`))
      })

      it('an administrator can mail an invite again, or delete it', async () => {
        const email = unique('Rex')
        await data(server, admin.token,
          'mutation ($i: ServerInviteCreateInput!) { serverInviteCreate(input: $i) }', { i: { email } })
        const first = await mail.waitFor(email, /^Ada invited you to Invite Server$/)
        const token = first.text.match(/\/authn\/register\?token=([0-9a-f]{50})/)[1]
        const inviteId = (await data(server, null,
          'query ($t: String) { serverInviteByToken(token: $t) { id } }', { t: token })).serverInviteByToken.id

        assert.deepEqual(await data(server, admin.token, 'mutation ($id: String!) { inviteResend(inviteId: $id) }', { id: inviteId }),
          { inviteResend: true })
        const second = await mail.waitFor(email, /^Ada invited you to Invite Server$/, { nth: 2 })
        assert.ok(second.text.includes(`/authn/register?token=${token}`))

        assert.deepEqual(await data(server, admin.token, 'mutation ($id: String!) { inviteDelete(inviteId: $id) }', { id: inviteId }),
          { inviteDelete: true })
        const refused = await post(server, `/auth/local/register?challenge=c-d&token=${token}`, { email, password, name: 'Rex' })
        assert.equal(refused.status, 400)
        assert.equal((await refused.json()).error.code, 'INVITE_NOT_FOUND')
      })

      it('serverInviteBatchCreate mails every invite', async () => {
        const emails = [unique('Bo'), unique('Cy')]
        const res = await data(server, admin.token,
          'mutation ($i: [ServerInviteCreateInput!]!) { serverInviteBatchCreate(input: $i) }',
          { i: emails.map((email) => ({ email })) })
        assert.deepEqual(res, { serverInviteBatchCreate: true })
        for (const email of emails) await mail.waitFor(email, /^Ada invited you to Invite Server$/)
      })
    })
  })

  describe(`e-mail with TLS required on ${backend}`, () => {
    let mail
    let server
    before(async () => {
      // The test SMTP server offers no STARTTLS, and EMAIL_REQUIRE_TLS defaults to true.
      mail = await startMailServer()
      const { EMAIL_REQUIRE_TLS, ...env } = mail.env
      server = await startServer({ backend, env })
    })
    after(async () => {
      await server?.stop()
      await mail?.stop()
    })

    it('sends nothing in clear, logs the failure and still registers at once', async () => {
      const started = Date.now()
      const user = await signUp(server, 'Clara')
      assert.ok(Date.now() - started < 5_000)
      const line = await mailLogged(server, 'mail.retry', user.email)
      assert.equal(JSON.parse(line).attempt, 1)
      assert.deepEqual(mail.messages, [])
    })
  })

  describe(`e-mail over TLS on ${backend}`, () => {
    let dir, trusted, stranger
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'stipple-tls-'))
      trusted = selfSignedCertificate(dir, 'trusted')
      stranger = selfSignedCertificate(dir, 'stranger')
    })
    after(() => rmSync(dir, { recursive: true, force: true }))

    // Signs up through a server pointed at `mail` with `env`; resolves to the user.
    async function signUpThrough (mail, env, name) {
      const server = await startServer({ backend, env: { ...mail.env, ...env } })
      try {
        return { server, user: await signUp(server, name) }
      } catch (e) {
        await server.stop()
        throw e
      }
    }

    for (const implicit of [false, true]) {
      const how = implicit ? 'TLS from the first byte (EMAIL_SECURE)' : 'STARTTLS'
      it(`delivers over ${how} to a server whose certificate EMAIL_CA_FILE trusts`, async () => {
        const mail = await startMailServer({ tls: { ...trusted, implicit } })
        const { server, user } = await signUpThrough(mail, { EMAIL_CA_FILE: trusted.certFile }, 'Tia')
        try {
          const message = await mail.waitFor(user.email, /^Confirm your e-mail address$/)
          assert.equal(message.envelope.mailFrom.address, 'no-reply@stipple.test')
        } finally {
          await server.stop()
          await mail.stop()
        }
      })
    }

    it('sends nothing to a server whose certificate is not trusted', async () => {
      const mail = await startMailServer({ tls: trusted })
      const { server, user } = await signUpThrough(mail, { EMAIL_CA_FILE: stranger.certFile }, 'Ned')
      try {
        await mailLogged(server, 'mail.retry', user.email)
        assert.deepEqual(mail.messages, [])
        assert.ok(mail.errors.some((e) => e.code === 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA'),
          mail.errors.map((e) => e.code).join(', '))
      } finally {
        await server.stop()
        await mail.stop()
      }
    })
  })

  describe(`e-mail without SMTP on ${backend}`, () => {
    let server
    before(async () => { server = await startServer({ backend, env: { LOG_LEVEL: 'info' } }) })
    after(async () => { await server?.stop() })

    it('serverInfo says e-mail is not enabled', async () => {
      const info = await data(server, null, '{ serverInfo { configuration { isEmailEnabled } } }')
      assert.deepEqual(info, { serverInfo: { configuration: { isEmailEnabled: false } } })
    })

    it('writes the message to the log instead', async () => {
      const user = await signUp(server, 'Logan')
      const entry = JSON.parse(await mailLogged(server, 'mail.logged', user.email))
      assert.equal(entry.subject, 'Confirm your e-mail address')
      assert.match(entry.text, /\/auth\/verifyemail\?t=[0-9a-f]{40}/)
    })
  })
}
