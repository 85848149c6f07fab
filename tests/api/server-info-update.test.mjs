// serverInfoUpdate: server admins change the server's settings; nobody else may.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { backends, startServer } from './lib/server.mjs'
import { signUp, gql, data } from './lib/accounts.mjs'

const update = 'mutation($i: ServerInfoUpdateInput!) { serverInfoUpdate(info: $i) }'
const read = '{ serverInfo { name company description adminContact termsOfService inviteOnly guestModeEnabled } }'

const errorOf = ({ status, body }) => {
  assert.equal(status, 200)
  return [body.errors[0].extensions.code, body.errors[0].message]
}

for (const backend of backends()) {
  describe(`serverInfoUpdate (${backend})`, () => {
    let server, admin, user
    before(async () => {
      server = await startServer({ backend })
      admin = await signUp(server, 'Admin') // the first account administers the server
      user = await signUp(server, 'User')
    })
    after(async () => { await server?.stop() })

    it('writes the settings an admin gives and keeps the others', async () => {
      const before = (await data(server, null, read)).serverInfo
      assert.deepEqual(await data(server, admin.token, update, {
        i: { name: 'Yard', company: 'Yard & Co', inviteOnly: true }
      }), { serverInfoUpdate: true })
      assert.deepEqual((await data(server, null, read)).serverInfo, {
        ...before, name: 'Yard', company: 'Yard & Co', inviteOnly: true
      })

      await data(server, admin.token, update, {
        i: { name: 'Yard', description: 'd', adminContact: 'a@yard.org', termsOfService: 't', inviteOnly: false, guestModeEnabled: true }
      })
      assert.deepEqual((await data(server, null, read)).serverInfo, {
        name: 'Yard',
        company: 'Yard & Co',
        description: 'd',
        adminContact: 'a@yard.org',
        termsOfService: 't',
        inviteOnly: false,
        guestModeEnabled: true
      })
    })

    it('refuses users who are not server admins, and anonymous callers', async () => {
      const i = { name: 'Nope' }
      assert.deepEqual(errorOf(await gql(server, user.token, update, { i })),
        ['FORBIDDEN', 'You do not have the required server role'])
      assert.deepEqual(errorOf(await gql(server, null, update, { i })),
        ['UNAUTHORIZED', 'Must provide an auth token'])
      assert.notEqual((await data(server, null, read)).serverInfo.name, 'Nope')
    })
  })
}
