// How many database statements a nested GraphQL list costs: list fields load in batches, so the
// number is the same whatever the number of projects, models and versions it walks.
//
// The server counts every statement it runs and reports the total on GET
// /api/_test/db-statements (STIPPLE_ENABLE_TEST_ROUTES); the count of a request is the difference
// of two readings around it. The tests run one request at a time, so nothing else moves it.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { backends, startServer } from './lib/server.mjs'
import { signUp, data } from './lib/accounts.mjs'

const nested = `{ activeUser { projects { items { models { items {
  versions { items { id } } } } } } } }`

async function statementsRun (server) {
  const res = await fetch(server.url + '/api/_test/db-statements')
  assert.equal(res.status, 200)
  return (await res.json()).statements
}

// The statements one query costs, without the token look-up. The server caches a token for 10 s
// after looking it up in the database, so of two requests sent back to back at most one looks it
// up: the smaller of their two counts is the query's own.
async function countStatements (server, token, query) {
  const counts = []
  for (let i = 0; i < 2; i++) {
    const before = await statementsRun(server)
    await data(server, token, query)
    counts.push((await statementsRun(server)) - before)
  }
  return Math.min(...counts)
}

// Gives `token`'s user `projects` projects of `models` models of `versions` versions each.
async function populate (server, token, { projects, models, versions }) {
  for (let p = 0; p < projects; p++) {
    const { projectMutations } = await data(server, token,
      'mutation($i: ProjectCreateInput!) { projectMutations { create(input: $i) { id } } }',
      { i: { name: `project ${p}`, visibility: 'PRIVATE' } })
    const projectId = projectMutations.create.id
    const objects = await data(server, token,
      'mutation($i: ObjectCreateInput!) { objectCreate(objectInput: $i) }',
      { i: { streamId: projectId, objects: [{ speckle_type: 'Base', project: p }] } })
    const objectId = objects.objectCreate[0]
    for (let m = 0; m < models; m++) {
      const { modelMutations } = await data(server, token,
        'mutation($i: CreateModelInput!) { modelMutations { create(input: $i) { id } } }',
        { i: { projectId, name: `model ${m}` } })
      for (let v = 0; v < versions; v++) {
        await data(server, token,
          'mutation($i: CreateVersionInput!) { versionMutations { create(input: $i) { id } } }',
          { i: { projectId, modelId: modelMutations.create.id, objectId, message: `v${v}` } })
      }
    }
  }
}

function shape (result) {
  return result.activeUser.projects.items.map((p) =>
    p.models.items.map((m) => m.versions.items.length))
}

for (const backend of backends()) {
  describe(`database statements per request (${backend})`, () => {
    let server
    before(async () => {
      server = await startServer({ backend, env: { STIPPLE_ENABLE_TEST_ROUTES: 'true' } })
    })
    after(async () => { await server?.stop() })

    it('reports a growing statement count on the test route', async () => {
      const first = await statementsRun(server)
      await signUp(server, 'Counter')
      assert.ok(await statementsRun(server) > first)
    })

    it('loads the caller in 1 statement', async () => {
      const user = await signUp(server, 'Caller')
      assert.equal(await countStatements(server, user.token, '{ activeUser { id } }'), 1)
    })

    // The caller, then two statements per list level (a count and a page of rows), whatever the
    // number of parents at that level: 1 + 2 + 2 + 2.
    it('walks projects, models and versions in 7 statements, whatever their number', async () => {
      const small = await signUp(server, 'Small')
      await populate(server, small.token, { projects: 1, models: 1, versions: 1 })
      const large = await signUp(server, 'Large')
      await populate(server, large.token, { projects: 3, models: 3, versions: 2 })

      assert.deepEqual(shape(await data(server, small.token, nested)), [[1]])
      assert.deepEqual(shape(await data(server, large.token, nested)), [[2, 2, 2], [2, 2, 2], [2, 2, 2]])
      assert.equal(await countStatements(server, small.token, nested), 7)
      assert.equal(await countStatements(server, large.token, nested), 7)
    })
  })
}
