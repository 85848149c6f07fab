// The server administrators' views: admin.userList, inviteList, projectList, serverStatistics,
// the legacy adminUsers and adminStreams, and admin.updateEmailVerification. Only server admins
// may use them.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { backends, startServer } from './lib/server.mjs'
import { signUp, gql, data } from './lib/accounts.mjs'

const userList = `query($q: String, $r: ServerRole, $l: Int!, $c: String) { admin {
  userList(query: $q, role: $r, limit: $l, cursor: $c) {
    totalCount cursor items { id email name company avatar verified role } } } }`

for (const backend of backends()) {
  describe(`administration (${backend})`, () => {
    let server, admin, ann, bob, alpha, beta
    before(async () => {
      server = await startServer({ backend })
      admin = await signUp(server, 'Admin') // the first account administers the server
      ann = await signUp(server, 'Ann')
      bob = await signUp(server, 'Bob')
      await data(server, admin.token,
        'mutation($i: ServerInviteCreateInput!) { serverInviteCreate(input: $i) }',
        { i: { email: 'zed.admin-test@example.org' } })
      const create = 'mutation($i: ProjectCreateInput) { projectMutations { create(input: $i) { id } } }'
      alpha = (await data(server, ann.token, create,
        { i: { name: 'Alpha', description: 'first', visibility: 'PRIVATE' } })).projectMutations.create.id
      beta = (await data(server, bob.token, create,
        { i: { name: 'Beta', visibility: 'PUBLIC' } })).projectMutations.create.id
    })
    after(async () => { await server?.stop() })

    it('lists users newest first, searched, filtered by role and paged', async () => {
      const all = (await data(server, admin.token, userList, { l: 25 })).admin.userList
      assert.equal(all.totalCount, 3)
      assert.deepEqual(all.items, [
        { id: bob.id, email: bob.email, name: 'Bob', company: null, avatar: null, verified: false, role: 'server:user' },
        { id: ann.id, email: ann.email, name: 'Ann', company: null, avatar: null, verified: false, role: 'server:user' },
        { id: admin.id, email: admin.email, name: 'Admin', company: null, avatar: null, verified: false, role: 'server:admin' }
      ])
      const found = (await data(server, admin.token, userList, { q: 'AN', l: 25 })).admin.userList
      assert.deepEqual([found.totalCount, found.items.map((u) => u.name)], [1, ['Ann']])
      const admins = (await data(server, admin.token, userList, { r: 'SERVER_ADMIN', l: 25 }))
        .admin.userList
      assert.deepEqual([admins.totalCount, admins.items.map((u) => u.id)], [1, [admin.id]])

      const first = (await data(server, admin.token, userList, { l: 2 })).admin.userList
      assert.deepEqual(first.items.map((u) => u.name), ['Bob', 'Ann'])
      const second = (await data(server, admin.token, userList, { l: 2, c: first.cursor }))
        .admin.userList
      assert.deepEqual([second.totalCount, second.items.map((u) => u.name)], [3, ['Admin']])
      const third = (await data(server, admin.token, userList, { l: 2, c: second.cursor }))
        .admin.userList
      assert.deepEqual([third.items, third.cursor], [[], null])
    })

    it('lists pending invites, all projects and the server\'s totals', async () => {
      assert.deepEqual(await data(server, admin.token,
        '{ admin { inviteList { totalCount items { email invitedBy { id name } } } } }'), {
        admin: { inviteList: { totalCount: 1, items: [
          { email: 'zed.admin-test@example.org', invitedBy: { id: admin.id, name: 'Admin' } }] } }
      })
      const projects = `query($q: String, $v: String) { admin { projectList(query: $q,
        visibility: $v) { totalCount items { id name visibility role } } } }`
      assert.deepEqual((await data(server, admin.token, projects)).admin.projectList, {
        totalCount: 2,
        items: [
          { id: beta, name: 'Beta', visibility: 'PUBLIC', role: null },
          { id: alpha, name: 'Alpha', visibility: 'PRIVATE', role: null }
        ]
      })
      assert.deepEqual((await data(server, admin.token, projects, { v: 'public' }))
        .admin.projectList.items.map((p) => p.id), [beta])
      assert.deepEqual((await data(server, admin.token, projects, { q: 'FIRS' }))
        .admin.projectList.items.map((p) => p.id), [alpha])
      assert.deepEqual(await data(server, admin.token,
        '{ admin { serverStatistics { totalProjectCount totalUserCount totalPendingInvites } } }'),
      { admin: { serverStatistics: { totalProjectCount: 2, totalUserCount: 3, totalPendingInvites: 1 } } })
    })

    it('answers the legacy adminUsers and adminStreams lists by offset', async () => {
      const users = (await data(server, admin.token, `{ adminUsers(limit: 10) { totalCount items {
        id registeredUser { name } invitedUser { email } } } }`)).adminUsers
      assert.equal(users.totalCount, 4)
      assert.deepEqual(users.items.map((i) => i.registeredUser?.name ?? i.invitedUser.email),
        ['Bob', 'Ann', 'Admin', 'zed.admin-test@example.org'])
      const window = (await data(server, admin.token,
        '{ adminUsers(limit: 2, offset: 2) { items { registeredUser { name } } } }')).adminUsers
      assert.deepEqual(window.items, [{ registeredUser: { name: 'Admin' } }, { registeredUser: null }])
      assert.deepEqual((await data(server, admin.token,
        '{ adminStreams(limit: 1, offset: 1) { totalCount items { id name } } }')).adminStreams,
      { totalCount: 2, items: [{ id: alpha, name: 'Alpha' }] })
    })

    it('marks an address verified or not', async () => {
      const set = 'mutation($i: AdminUpdateEmailVerificationInput!) { admin { updateEmailVerification(input: $i) } }'
      assert.deepEqual(await data(server, admin.token, set, { i: { email: ann.email, verified: true } }),
        { admin: { updateEmailVerification: true } })
      assert.equal((await data(server, ann.token, '{ activeUser { verified } }')).activeUser.verified, true)
      await data(server, admin.token, set, { i: { email: ann.email, verified: false } })
      assert.equal((await data(server, ann.token, '{ activeUser { verified } }')).activeUser.verified, false)
      const unknown = await gql(server, admin.token, set, { i: { email: 'nobody@example.org' } })
      assert.deepEqual(unknown.body.errors.map((e) => [e.extensions.code, e.message]),
        [['USER_INPUT_ERROR', 'User not found']])
    })

    it('refuses everyone but server admins', async () => {
      for (const query of ['{ admin { userList { totalCount } } }',
        '{ admin { projectList { totalCount } } }', '{ adminUsers { totalCount } }']) {
        const { body } = await gql(server, ann.token, query)
        assert.deepEqual(body.errors.map((e) => [e.extensions.code, e.message]),
          [['FORBIDDEN', 'You do not have the required server role']], query)
      }
      const anonymous = await gql(server, null, '{ admin { userList { totalCount } } }')
      assert.deepEqual(anonymous.body.errors.map((e) => e.extensions.code), ['UNAUTHORIZED'])
    })
  })
}
