// Objects through GraphQL, beyond what the upstream replay pins: Object.children of nested
// objects in one request, children scoped to the project, who may call objectCreate, and the
// viewer's resource strings (all, folders, every version, other projects' ids) — on every
// configured backend.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, backends } from './lib/server.mjs'
import {
  createUser, createProject, addCollaborator, bearer, withId, uploadGzipBatches
} from './lib/objects.mjs'

async function gql (server, user, query, variables = {}) {
  const res = await fetch(server.url + '/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(user) },
    body: JSON.stringify({ query, variables })
  })
  return res.json()
}

const codes = (body) => (body.errors ?? []).map((e) => e.extensions?.code)

// root -> a -> (b, c) and root -> d -> e, with closures as the senders write them.
function tree (tag) {
  const [b, c, e] = ['b', 'c', 'e'].map((n) => withId({ speckle_type: 'Base', name: `${tag}-${n}` }))
  const a = withId({ speckle_type: 'Base', name: `${tag}-a`, __closure: { [b.id]: 1, [c.id]: 1 } })
  const d = withId({ speckle_type: 'Base', name: `${tag}-d`, __closure: { [e.id]: 1 } })
  const root = withId({
    speckle_type: 'Base',
    name: tag,
    __closure: { [a.id]: 1, [d.id]: 1, [b.id]: 2, [c.id]: 2, [e.id]: 2 }
  })
  return { root, a, b, c, d, e, all: [root, a, b, c, d, e] }
}

const sorted = (...ids) => [...ids].sort()

for (const backend of backends()) {
  describe(`objects through GraphQL on ${backend}`, () => {
    let server, owner, stranger, reviewer, project
    before(async () => {
      server = await startServer({ backend })
      owner = createUser(server, 'owner')
      stranger = createUser(server, 'stranger')
      reviewer = createUser(server, 'reviewer')
      project = createProject(server, owner)
      addCollaborator(server, project, reviewer, 'stream:reviewer')
    })
    after(async () => { await server?.stop() })

    it('lists the children of nested objects, each its own', async () => {
      const t = tree('nested')
      assert.equal((await uploadGzipBatches(server, project, owner, t.all)).status, 201)
      const body = await gql(server, owner,
        'query($p: String!, $o: String!) { project(id: $p) { object(id: $o) { children(depth: 2) ' +
        '{ objects { id children { cursor objects { id } } } } } } }', { p: project, o: t.root.id })
      const outer = body.data.project.object.children.objects
      assert.deepEqual(outer.map((o) => o.id), sorted(t.a.id, t.d.id))
      const byId = Object.fromEntries(outer.map((o) => [o.id, o.children.objects.map((c) => c.id)]))
      assert.deepEqual(byId[t.a.id], sorted(t.b.id, t.c.id))
      assert.deepEqual(byId[t.d.id], [t.e.id])
    })

    it('filters nested children with the same query for each parent', async () => {
      const t = tree('nested-query')
      await uploadGzipBatches(server, project, owner, t.all)
      const body = await gql(server, owner,
        'query($p: String!, $o: String!, $n: JSONObject!) { project(id: $p) { object(id: $o) { ' +
        'children(depth: 2) { objects { id children(query: [$n]) { totalCount objects { id } } } } } } }',
        { p: project, o: t.root.id, n: { field: 'name', operator: '=', value: 'nested-query-e' } })
      const counts = Object.fromEntries(body.data.project.object.children.objects
        .map((o) => [o.id, o.children.totalCount]))
      assert.deepEqual(counts, { [t.a.id]: 0, [t.d.id]: 1 })
    })

    it('lists only the children the project stores, once even when another project has the root', async () => {
      const t = tree('scoped')
      const other = createProject(server, owner)
      await uploadGzipBatches(server, project, owner, [t.root, t.a, t.b])
      await uploadGzipBatches(server, other, owner, t.all)
      const body = await gql(server, owner,
        'query($p: String!, $o: String!) { project(id: $p) { object(id: $o) { children { objects { id } } } } }',
        { p: project, o: t.root.id })
      assert.deepEqual(body.data.project.object.children.objects.map((o) => o.id), sorted(t.a.id, t.b.id))
    })

    it('lets contributors and owners call objectCreate, nobody else', async () => {
      const create = 'mutation($i: ObjectCreateInput!) { objectCreate(objectInput: $i) }'
      const input = { i: { streamId: project, objects: [{ speckle_type: 'Base', who: 'x' }] } }
      assert.deepEqual(codes(await gql(server, null, create, input)), ['UNAUTHORIZED'])
      assert.deepEqual(codes(await gql(server, stranger, create, input)), ['FORBIDDEN'])
      assert.deepEqual(codes(await gql(server, reviewer, create, input)), ['FORBIDDEN'])
      const created = await gql(server, owner, create, input)
      assert.deepEqual(created.data.objectCreate, [withId({ speckle_type: 'Base', who: 'x' }).id])
    })

    it('stores nothing when one object of objectCreate is refused', async () => {
      const good = withId({ speckle_type: 'Base', name: 'kept-out' })
      const body = await gql(server, owner, 'mutation($i: ObjectCreateInput!) { objectCreate(objectInput: $i) }',
        { i: { streamId: project, objects: [good, { id: 'short' }] } })
      assert.deepEqual(codes(body), ['OBJECT_HANDLING_ERROR'])
      const read = await gql(server, owner, 'query($p: String!, $o: String!) { project(id: $p) { object(id: $o) { id } } }',
        { p: project, o: good.id })
      assert.equal(read.data.project.object, null)
    })

    describe('viewer resources', () => {
      let p, models, versions, objectId, foreignModel
      const resources = 'query($p: String!, $r: String!, $l: Boolean) { project(id: $p) { ' +
        'viewerResources(resourceIdString: $r, loadedVersionsOnly: $l) { identifier items { modelId versionId objectId } } } }'

      async function createModel (projectId, name) {
        const body = await gql(server, owner, 'mutation($i: CreateModelInput!) { modelMutations { create(input: $i) { id } } }',
          { i: { projectId, name } })
        return body.data.modelMutations.create.id
      }
      async function createVersion (modelId) {
        const body = await gql(server, owner, 'mutation($i: CreateVersionInput!) { versionMutations { create(input: $i) { id } } }',
          { i: { projectId: p, modelId, objectId } })
        return body.data.versionMutations.create.id
      }

      before(async () => {
        p = createProject(server, owner)
        const [root] = [withId({ speckle_type: 'Base', name: 'viewer-root' })]
        objectId = root.id
        await uploadGzipBatches(server, p, owner, [root])
        models = {
          one: await createModel(p, 'site/one'),
          two: await createModel(p, 'site/two'),
          other: await createModel(p, 'other')
        }
        versions = {
          one: [await createVersion(models.one), await createVersion(models.one)],
          two: [await createVersion(models.two)]
        }
        foreignModel = await createModel(createProject(server, owner), 'foreign')
      })

      const item = (model, version) => ({ modelId: model, versionId: version, objectId })

      it('resolves all to the latest version of every model that has one, by model id', async () => {
        const body = await gql(server, owner, resources, { p, r: 'all' })
        const expected = [[models.one, versions.one[1]], [models.two, versions.two[0]]]
          .sort((x, y) => (x[0] < y[0] ? -1 : 1)).map(([m, v]) => item(m, v))
        assert.deepEqual(body.data.project.viewerResources, [{ identifier: 'all', items: expected }])
      })

      it('resolves a folder to the latest versions of the models under it', async () => {
        const body = await gql(server, owner, resources, { p, r: '$SITE' })
        const [group] = body.data.project.viewerResources
        assert.equal(group.identifier, '$site')
        assert.deepEqual(new Set(group.items.map((i) => i.versionId)), new Set([versions.one[1], versions.two[0]]))
      })

      it('resolves a model to every version, newest first, unless only loaded versions are asked for', async () => {
        const every = await gql(server, owner, resources, { p, r: models.one, l: false })
        assert.deepEqual(every.data.project.viewerResources,
          [{ identifier: models.one, items: [item(models.one, versions.one[1]), item(models.one, versions.one[0])] }])
        const loaded = await gql(server, owner, resources, { p, r: `${models.one}@${versions.one[0]}` })
        assert.deepEqual(loaded.data.project.viewerResources,
          [{ identifier: `${models.one}@${versions.one[0]}`, items: [item(models.one, versions.one[0])] }])
      })

      it('never resolves models, versions or objects of another project, nor a version of another model', async () => {
        const body = await gql(server, owner, resources,
          { p, r: `${foreignModel},${models.two}@${versions.one[0]},${models.other},${'f'.repeat(32)}` })
        assert.deepEqual(body.data.project.viewerResources, [])
        const every = await gql(server, owner, resources, { p, r: foreignModel, l: false })
        assert.deepEqual(every.data.project.viewerResources, [{ identifier: foreignModel, items: [] }])
      })

      it('answers the extended form with the resource string sorted and without duplicates', async () => {
        const body = await gql(server, owner, 'query($p: String!, $r: String!) { project(id: $p) { ' +
          'viewerResourcesExtended(resourceIdString: $r) { resourceIdString savedView { id } request { savedViewId } ' +
          'groups { identifier } } } }', { p, r: `${models.two},ALL,${models.two}` })
        assert.deepEqual(body.data.project.viewerResourcesExtended, {
          resourceIdString: ['all', models.two].sort().join(','),
          savedView: null,
          request: { savedViewId: null },
          groups: [{ identifier: 'all' }, { identifier: models.two }]
        })
      })
    })
  })
}
