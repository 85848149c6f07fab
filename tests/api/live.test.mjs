// Live updates of the core API over the legacy WebSocket protocol Speckle clients speak: what
// project, model and version mutations announce, filtered per subscription and refused to
// callers who may not read the project; the legacy JSON subscriptions; and, with PostgreSQL,
// two `stipple serve` processes on one database and one real redis-server hearing each other.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, backends } from './lib/server.mjs'
import { startRedis } from './lib/redis.mjs'
import { signUp, data } from './lib/accounts.mjs'
import { openSocket, sleep } from './lib/websocket.mjs'
import { makeModel, uploadGzipBatches, addCollaborator } from './lib/objects.mjs'

async function listeners (server) {
  return (await (await fetch(server.url + '/api/_test/listeners')).json()).listeners
}

async function untilListeners (server, count) {
  for (let i = 0; i < 300; i++) {
    if (await listeners(server) === count) return
    await sleep(10)
  }
  assert.fail(`the server never held ${count} listeners (has ${await listeners(server)})`)
}

// A legacy-protocol socket signed in with `token`.
async function subscriber (server, token) {
  const ws = await openSocket(server, 'graphql-ws')
  ws.send({ type: 'connection_init', payload: { Authorization: `Bearer ${token}` } })
  assert.deepEqual(await ws.next(), { type: 'connection_ack' })
  let id = 0
  return {
    ws,
    start (query, variables = {}) {
      const opId = String(++id)
      ws.send({ type: 'start', id: opId, payload: { query, variables } })
      return opId
    }
  }
}

const createProject = `mutation($name: String!) {
  projectMutations { create(input: { name: $name, visibility: PRIVATE }) { id } } }`
const createModel = `mutation($p: ID!, $n: String!) {
  modelMutations { create(input: { projectId: $p, name: $n }) { id } } }`
const createVersion = `mutation($p: String!, $m: String!, $o: String!) {
  versionMutations { create(input: { projectId: $p, modelId: $m, objectId: $o, message: "live" }) { id } } }`

for (const backend of backends()) {
  describe(`live subscriptions (${backend})`, () => {
    let server, owner, stranger

    before(async () => {
      server = await startServer({ backend, env: { STIPPLE_ENABLE_TEST_ROUTES: 'true' } })
      owner = await signUp(server, 'Owner')
      stranger = await signUp(server, 'Stranger')
    })
    after(() => server?.stop())

    it('delivers model, version, project and membership events to whom they concern', async () => {
      const user = await subscriber(server, owner.token)
      const mine = user.start('subscription { userProjectsUpdated { type id project { name role } } }')
      const legacyAdded = user.start('subscription { userStreamAdded }')
      await untilListeners(server, 2)
      const projectId = (await data(server, owner.token, createProject, { name: 'Live' }))
        .projectMutations.create.id
      assert.deepEqual(await user.ws.nextFor(mine), {
        type: 'data',
        id: mine,
        payload: { data: { userProjectsUpdated: { type: 'ADDED', id: projectId, project: { name: 'Live', role: 'stream:owner' } } } }
      })
      assert.deepEqual(await user.ws.nextFor(legacyAdded), {
        type: 'data',
        id: legacyAdded,
        payload: { data: { userStreamAdded: { id: projectId } } }
      })

      const sub = await subscriber(server, owner.token)
      const models = sub.start(`subscription($id: String!) {
        projectModelsUpdated(id: $id) { type id model { name displayName } } }`, { id: projectId })
      const versions = sub.start(`subscription($id: String!) {
        projectVersionsUpdated(id: $id) { type modelId version { message referencedObject } } }`, { id: projectId })
      const updates = sub.start('subscription($id: String!) { projectUpdated(id: $id) { type id project { name } } }', { id: projectId })
      const commits = sub.start('subscription($id: String!) { commitCreated(streamId: $id) }', { id: projectId })
      await untilListeners(server, 6)

      const modelId = (await data(server, owner.token, createModel, { p: projectId, n: 'Facade/Glass' }))
        .modelMutations.create.id
      assert.deepEqual(await sub.ws.nextFor(models), {
        type: 'data',
        id: models,
        payload: { data: { projectModelsUpdated: { type: 'CREATED', id: modelId, model: { name: 'facade/glass', displayName: 'glass' } } } }
      })

      const objects = makeModel('live', 2)
      const upload = await uploadGzipBatches(server, projectId, owner, objects)
      assert.equal(upload.status, 201)
      const versionId = (await data(server, owner.token, createVersion, { p: projectId, m: modelId, o: objects[0].id }))
        .versionMutations.create.id
      assert.deepEqual(await sub.ws.nextFor(versions), {
        type: 'data',
        id: versions,
        payload: { data: { projectVersionsUpdated: { type: 'CREATED', modelId, version: { message: 'live', referencedObject: objects[0].id } } } }
      })
      const legacy = await sub.ws.nextFor(commits)
      const commit = legacy.payload.data.commitCreated
      assert.deepEqual(
        { id: commit.id, streamId: commit.streamId, objectId: commit.objectId, message: commit.message, authorId: commit.authorId },
        { id: versionId, streamId: projectId, objectId: objects[0].id, message: 'live', authorId: owner.id })

      await data(server, owner.token, 'mutation($u: ProjectUpdateInput!) { projectMutations { update(update: $u) { id } } }',
        { u: { id: projectId, name: 'Live renamed' } })
      assert.deepEqual(await sub.ws.nextFor(updates), {
        type: 'data',
        id: updates,
        payload: { data: { projectUpdated: { type: 'UPDATED', id: projectId, project: { name: 'Live renamed' } } } }
      })

      await data(server, owner.token, 'mutation($id: String!) { projectMutations { delete(id: $id) } }', { id: projectId })
      assert.deepEqual(await sub.ws.nextFor(updates), {
        type: 'data',
        id: updates,
        payload: { data: { projectUpdated: { type: 'DELETED', id: projectId, project: null } } }
      })
      assert.deepEqual(await user.ws.nextFor(mine), {
        type: 'data',
        id: mine,
        payload: { data: { userProjectsUpdated: { type: 'REMOVED', id: projectId, project: null } } }
      })
      user.ws.close()
      sub.ws.close()
      await untilListeners(server, 0)
    })

    it('filters by project and by modelIds', async () => {
      const p1 = (await data(server, owner.token, createProject, { name: 'One' })).projectMutations.create.id
      const p2 = (await data(server, owner.token, createProject, { name: 'Two' })).projectMutations.create.id
      const wanted = (await data(server, owner.token, createModel, { p: p1, n: 'wanted' })).modelMutations.create.id
      const sub = await subscriber(server, owner.token)
      const onlyWanted = sub.start('subscription($id: String!, $m: [String!]) { projectModelsUpdated(id: $id, modelIds: $m) { type id } }',
        { id: p1, m: [wanted] })
      await untilListeners(server, 1)
      await data(server, owner.token, createModel, { p: p1, n: 'other' })
      await data(server, owner.token, createModel, { p: p2, n: 'elsewhere' })
      await data(server, owner.token, 'mutation($i: UpdateModelInput!) { modelMutations { update(input: $i) { id } } }',
        { i: { projectId: p1, id: wanted, description: 'changed' } })
      assert.deepEqual(await sub.ws.nextFor(onlyWanted), {
        type: 'data',
        id: onlyWanted,
        payload: { data: { projectModelsUpdated: { type: 'UPDATED', id: wanted } } }
      })
      await sleep(100)
      assert.deepEqual(sub.ws.pending(), [])
      sub.ws.close()
      await untilListeners(server, 0)
    })

    it('tells every member that a deleted project is gone', async () => {
      const projectId = (await data(server, owner.token, createProject, { name: 'Shared then gone' }))
        .projectMutations.create.id
      const member = await signUp(server, 'Member')
      addCollaborator(server, projectId, member, 'stream:reviewer')
      const sub = await subscriber(server, member.token)
      const mine = sub.start('subscription { userProjectsUpdated { type id project { id } } }')
      const removed = sub.start('subscription { userStreamRemoved }')
      await untilListeners(server, 2)
      await data(server, owner.token, 'mutation($id: String!) { projectMutations { delete(id: $id) } }', { id: projectId })
      assert.deepEqual(await sub.ws.nextFor(mine), {
        type: 'data',
        id: mine,
        payload: { data: { userProjectsUpdated: { type: 'REMOVED', id: projectId, project: null } } }
      })
      assert.deepEqual(await sub.ws.nextFor(removed), {
        type: 'data',
        id: removed,
        payload: { data: { userStreamRemoved: { id: projectId } } }
      })
      sub.ws.close()
      await untilListeners(server, 0)
    })

    it('refuses subscriptions to projects the caller may not read', async () => {
      const projectId = (await data(server, owner.token, createProject, { name: 'Private' })).projectMutations.create.id
      const sub = await subscriber(server, stranger.token)
      const id = sub.start('subscription($id: String!) { projectVersionsUpdated(id: $id) { id } }', { id: projectId })
      const refused = await sub.ws.nextFor(id)
      assert.equal(refused.type, 'data')
      assert.equal(refused.payload.errors[0].extensions.code, 'FORBIDDEN')
      assert.deepEqual(refused.payload.errors[0].path, ['projectVersionsUpdated'])
      assert.deepEqual(await sub.ws.nextFor(id), { type: 'complete', id })

      const missing = sub.start('subscription { projectUpdated(id: "0000000000") { id } }')
      const notFound = await sub.ws.nextFor(missing)
      assert.equal(notFound.payload.errors[0].extensions.code, 'STREAM_NOT_FOUND')
      assert.deepEqual(await sub.ws.nextFor(missing), { type: 'complete', id: missing })
      sub.ws.close()
      await untilListeners(server, 0)
    })
  })
}

describe('live updates across processes through Redis', { skip: !backends().includes('postgres') && 'needs the PostgreSQL backend (scripts/test starts one)' }, () => {
  let redis, a, b

  before(async () => {
    redis = await startRedis()
    a = await startServer({ backend: 'postgres', env: { REDIS_URL: redis.url, STIPPLE_ENABLE_TEST_ROUTES: 'true' } })
    b = await startServer({
      backend: 'postgres',
      env: { REDIS_URL: redis.url, POSTGRES_URL: a.postgresUrl, STIPPLE_ENABLE_TEST_ROUTES: 'true' }
    })
  })
  after(async () => {
    await a?.stop()
    await b?.stop()
    await redis?.stop()
  })

  it('a model created through one process reaches a subscriber of the other', async () => {
    const owner = await signUp(a, 'Replica')
    const projectId = (await data(a, owner.token, createProject, { name: 'Shared' })).projectMutations.create.id
    const sub = await subscriber(b, owner.token)
    const id = sub.start('subscription($id: String!) { projectModelsUpdated(id: $id) { type model { name } } }', { id: projectId })
    await untilListeners(b, 1)
    await data(a, owner.token, createModel, { p: projectId, n: 'from a' })
    assert.deepEqual(await sub.ws.next(), {
      type: 'data',
      id,
      payload: { data: { projectModelsUpdated: { type: 'CREATED', model: { name: 'from a' } } } }
    })
    sub.ws.close()
  })
})
