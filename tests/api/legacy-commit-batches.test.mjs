// The legacy commitsMove and commitsDelete: versionMutations.moveToModel and
// versionMutations.delete in the legacy API's words, answering true.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { backends, startServer } from './lib/server.mjs'
import { signUp, gql, data } from './lib/accounts.mjs'
import { addCollaborator } from './lib/objects.mjs'

const move = 'mutation($i: CommitsMoveInput!) { commitsMove(input: $i) }'
const remove = 'mutation($i: CommitsDeleteInput!) { commitsDelete(input: $i) }'

const errorOf = ({ status, body }) => {
  assert.equal(status, 200)
  return [body.errors[0].extensions.code, body.errors[0].message]
}

for (const backend of backends()) {
  describe(`legacy commit batches (${backend})`, () => {
    let server, owner, reviewer, projectId, objectId

    async function commit (branchName, message) {
      return (await data(server, owner.token, 'mutation($c: CommitCreateInput!) { commitCreate(commit: $c) }',
        { c: { streamId: projectId, branchName, objectId, message } })).commitCreate
    }
    async function branches () {
      const d = await data(server, owner.token,
        'query($id: String!) { stream(id: $id) { branches { items { name commits { items { message } } } } } }',
        { id: projectId })
      return Object.fromEntries(d.stream.branches.items.map((b) => [b.name, b.commits.items.map((c) => c.message)]))
    }

    before(async () => {
      server = await startServer({ backend })
      owner = await signUp(server, 'Olga')
      reviewer = await signUp(server, 'Rita')
      projectId = (await data(server, owner.token,
        'mutation { projectMutations { create(input: { name: "batches" }) { id } } }')).projectMutations.create.id
      addCollaborator(server, projectId, reviewer, 'stream:reviewer')
      objectId = (await data(server, owner.token, 'mutation($i: ObjectCreateInput!) { objectCreate(objectInput: $i) }',
        { i: { streamId: projectId, objects: [{ speckle_type: 'Base', n: 1 }] } })).objectCreate[0]
    })
    after(async () => { await server?.stop() })

    it('moves commits to a branch, creating it, and deletes commits', async () => {
      const one = await commit('main', 'one')
      const two = await commit('main', 'two')
      await commit('main', 'three')

      assert.deepEqual(await data(server, owner.token, move,
        { i: { streamId: projectId, targetBranch: 'archive/old', commitIds: [one, two] } }), { commitsMove: true })
      assert.deepEqual(await branches(), { main: ['three'], 'archive/old': ['two', 'one'] })

      assert.deepEqual(await data(server, owner.token, remove,
        { i: { streamId: projectId, commitIds: [one] } }), { commitsDelete: true })
      assert.deepEqual(await branches(), { main: ['three'], 'archive/old': ['two'] })
    })

    it('refuses reviewers and anonymous callers', async () => {
      const kept = await commit('main', 'kept')
      assert.equal(errorOf(await gql(server, reviewer.token, remove,
        { i: { streamId: projectId, commitIds: [kept] } }))[0], 'FORBIDDEN')
      assert.equal(errorOf(await gql(server, reviewer.token, move,
        { i: { streamId: projectId, targetBranch: 'elsewhere', commitIds: [kept] } }))[0], 'FORBIDDEN')
      assert.deepEqual(errorOf(await gql(server, null, remove,
        { i: { streamId: projectId, commitIds: [kept] } })), ['UNAUTHORIZED', 'Must provide an auth token'])
      assert.deepEqual((await branches()).main, ['kept', 'three'])
    })
  })
}
