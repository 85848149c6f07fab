// The legacy streamUpdatePermission and streamRevokePermission: projectMutations.updateRole in
// the legacy API's words, answering true.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { backends, startServer } from './lib/server.mjs'
import { signUp, gql, data } from './lib/accounts.mjs'
import { addCollaborator } from './lib/objects.mjs'

const grant = `mutation($p: StreamUpdatePermissionInput!) { streamUpdatePermission(permissionParams: $p) }`
const revoke = `mutation($p: StreamRevokePermissionInput!) { streamRevokePermission(permissionParams: $p) }`
const team = 'query($id: String!) { project(id: $id) { team { role user { name } } } }'

const errorOf = ({ status, body }) => {
  assert.equal(status, 200)
  return [body.errors[0].extensions.code, body.errors[0].message]
}

for (const backend of backends()) {
  describe(`legacy stream permissions (${backend})`, () => {
    let server, owner, member, stranger, projectId
    before(async () => {
      server = await startServer({ backend })
      owner = await signUp(server, 'Olga')
      member = await signUp(server, 'Mats')
      stranger = await signUp(server, 'Sven')
      projectId = (await data(server, owner.token,
        'mutation { projectMutations { create(input: { name: "legacy roles" }) { id } } }')).projectMutations.create.id
      addCollaborator(server, projectId, member, 'stream:reviewer')
    })
    after(async () => { await server?.stop() })

    it('changes a collaborator\'s role, then removes them', async () => {
      assert.deepEqual(await data(server, owner.token, grant,
        { p: { streamId: projectId, userId: member.id, role: 'stream:contributor' } }), { streamUpdatePermission: true })
      assert.deepEqual((await data(server, owner.token, team, { id: projectId })).project.team, [
        { role: 'stream:owner', user: { name: 'Olga' } },
        { role: 'stream:contributor', user: { name: 'Mats' } }
      ])

      assert.deepEqual(await data(server, owner.token, revoke,
        { p: { streamId: projectId, userId: member.id } }), { streamRevokePermission: true })
      assert.deepEqual((await data(server, owner.token, team, { id: projectId })).project.team, [
        { role: 'stream:owner', user: { name: 'Olga' } }
      ])
      assert.deepEqual(errorOf(await gql(server, member.token, team, { id: projectId })),
        ['FORBIDDEN', 'You do not have access to the project'])
    })

    it('grants no role to a user who is not a collaborator yet', async () => {
      assert.deepEqual(errorOf(await gql(server, owner.token, grant,
        { p: { streamId: projectId, userId: stranger.id, role: 'stream:reviewer' } })),
      ['STREAM_UPDATE_ERROR', "Cannot grant permissions to users who aren't collaborators already - invite the user to the stream first"])
    })

    it('lets only owners change roles', async () => {
      assert.deepEqual(errorOf(await gql(server, stranger.token, grant,
        { p: { streamId: projectId, userId: owner.id, role: 'stream:reviewer' } }))[0], 'FORBIDDEN')
      assert.deepEqual(errorOf(await gql(server, null, revoke,
        { p: { streamId: projectId, userId: owner.id } })), ['UNAUTHORIZED', 'Must provide an auth token'])
    })
  })
}
