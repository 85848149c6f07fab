// The GraphQL operations Speckle's SDKs send when a connector signs in, sends and receives, and
// the viewer's URL-helper queries, written as those clients write them (aliases, operation
// names, selections) and answered exactly as they expect (../shared/reference/speckle-clients.md
// §1.5 and §4).
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { backends, startServer } from './lib/server.mjs'
import { signUp, gql, data, post } from './lib/accounts.mjs'
import { makeModel, uploadGzipBatches, diff } from './lib/objects.mjs'

const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

// specklepy's authenticate_with_token.
const pyUser = 'query User { data:activeUser { id email name bio company avatar verified role } }'
const pyServer = `query Server { serverInfo { name company description adminContact canonicalUrl
  version scopes { name description } authStrategies { id name icon }
  workspaces { workspacesEnabled } } }`
// The .NET SDK's AccountFactory.CreateAccount.
const netAccount = `query { activeUser { id name email company avatar }
  serverInfo { name company description version migration { movedFrom movedTo } } }`
const check = '{ authorized code message }'
const netProjects = `query ProjectsWithPermissions($limit: Int!, $cursor: String,
  $filter: UserProjectsFilter) { data:activeUser { data:projects(limit: $limit, cursor: $cursor,
  filter: $filter) { totalCount cursor items { id name visibility role
  permissions { canCreateModel ${check} canDelete ${check} canLoad ${check}
  canPublish ${check} } } } } }`
const ingestionProbe = `query ModelPermissions($projectId: String!, $modelId: String!) {
  data:project(id: $projectId) { data:model(id: $modelId) { permissions {
  canCreateIngestion ${check} } } } }`
const createProject = `mutation ProjectCreate($input: ProjectCreateInput) {
  data:projectMutations { data:create(input: $input) { id name description visibility } } }`
const createModel = `mutation ModelCreate($input: CreateModelInput!) {
  data:modelMutations { data:create(input: $input) { id name description displayName } } }`
const versionFields = `id referencedObject message sourceApplication createdAt previewUrl
  authorUser { id name bio company verified role avatar }`
const createVersion = `mutation Create($input: CreateVersionInput!) {
  data:versionMutations { data:create(input: $input) { ${versionFields} } } }`
const versionGet = `query VersionGet($projectId: String!, $versionId: String!) {
  data:project(id: $projectId) { data:version(id: $versionId) { ${versionFields} } } }`
const modelVersions = `query ModelGetWithVersions($projectId: String!, $modelId: String!,
  $limit: Int!, $cursor: String) { data:project(id: $projectId) { data:model(id: $modelId) {
  id name versions(limit: $limit, cursor: $cursor) { totalCount cursor
  items { id referencedObject sourceApplication } } } } }`
const markReceived = `mutation MarkReceived($input: MarkReceivedVersionInput!) {
  data:versionMutations { data:markReceived(input: $input) } }`
// @speckle/viewer's UrlHelper.
const viewerLast = `query ViewerUrlHelperModelLastVersion($modelId: String!, $projectId: String!) {
  project(id: $projectId) { model(id: $modelId) { versions(limit: 1) {
  items { referencedObject } } } } }`
const viewerVersion = `query ViewerUrlHelperModelVersion($modelId: String!, $projectId: String!,
  $versionId: String!) { project(id: $projectId) { model(id: $modelId) {
  version(id: $versionId) { referencedObject } } } }`
const viewerAll = `query ViewerUrlHelperAllModel($projectId: String!) { project(id: $projectId) {
  models(limit: 100) { items { versions(limit: 1) { items { referencedObject } } } } } }`
const viewerLegacy = `query Stream($streamId: String!, $commitId: String!) {
  stream(id: $streamId) { commit(id: $commitId) { referencedObject } } }`

// The viewer sends an empty Authorization header when it has no token.
async function anonymous (server, query, variables) {
  const res = await post(server, '/graphql', { query, variables }, { authorization: '' })
  return { status: res.status, body: await res.json() }
}

for (const backend of backends()) {
  describe(`SDK and viewer operations (${backend})`, () => {
    let server, me, project, model, objects, version
    before(async () => {
      server = await startServer({ backend })
      await signUp(server, 'Admin') // the first account administers the server
      me = await signUp(server, 'Connector')
    })
    after(async () => { await server?.stop() })

    it('signs in as specklepy and the .NET SDK do', async () => {
      assert.deepEqual(await data(server, me.token, pyUser), {
        data: {
          id: me.id,
          email: me.email,
          name: 'Connector',
          bio: null,
          company: null,
          avatar: null,
          verified: false,
          role: 'server:user'
        }
      })
      const info = (await data(server, me.token, pyServer)).serverInfo
      assert.deepEqual({ ...info, scopes: info.scopes.map((s) => s.name) }, {
        name: 'My new Speckle Server',
        company: 'Unknown Company',
        description: 'This a community deployment of a Speckle Server.',
        adminContact: 'n/a',
        canonicalUrl: server.url,
        version: info.version,
        scopes: ['streams:read', 'streams:write', 'profile:read', 'profile:write',
          'profile:email', 'users:read', 'server:stats'],
        authStrategies: [{ id: 'local', name: 'Local', icon: 'TODO' }],
        workspaces: { workspacesEnabled: false }
      })
      // The .NET SDK parses the part before the first '-' as a semantic version.
      assert.match(info.version.split('-')[0], /^(\d+\.\d+\.\d+|dev)$/)
      assert.deepEqual(await data(server, me.token, netAccount), {
        activeUser: { id: me.id, name: 'Connector', email: me.email, company: null, avatar: null },
        serverInfo: {
          name: 'My new Speckle Server',
          company: 'Unknown Company',
          description: 'This a community deployment of a Speckle Server.',
          version: info.version,
          migration: null
        }
      })
    })

    it('creates a project and a model, and lists projects with permissions', async () => {
      const created = await data(server, me.token, createProject,
        { input: { name: 'Tower', description: 'from a connector', visibility: 'PRIVATE' } })
      project = created.data.data.id
      assert.deepEqual(created, { data: { data: {
        id: project, name: 'Tower', description: 'from a connector', visibility: 'PRIVATE'
      } } })
      const made = await data(server, me.token, createModel,
        { input: { projectId: project, name: 'Structure/Level 1', description: null } })
      model = made.data.data.id
      assert.deepEqual(made, { data: { data: {
        id: model, name: 'structure/level 1', description: null, displayName: 'level 1'
      } } })

      const yes = { authorized: true, code: 'OK', message: 'OK' }
      const listed = await data(server, me.token, netProjects, { limit: 10 })
      // As upstream, a page that has items carries the cursor after its last one.
      assert.equal(typeof listed.data.data.cursor, 'string')
      assert.deepEqual(listed, {
        data: { data: {
          totalCount: 1,
          cursor: listed.data.data.cursor,
          items: [{
            id: project,
            name: 'Tower',
            visibility: 'PRIVATE',
            role: 'stream:owner',
            permissions: { canCreateModel: yes, canDelete: yes, canLoad: yes, canPublish: yes }
          }]
        } }
      })
    })

    it('rejects the ingestion probe as a validation error, so connectors fall back', async () => {
      const { status, body } = await gql(server, me.token, ingestionProbe,
        { projectId: project, modelId: model })
      assert.equal(status, 400)
      assert.equal(body.data, undefined)
      assert.deepEqual(body.errors.map((e) => e.extensions.code), ['GRAPHQL_VALIDATION_FAILED'])
    })

    it('sends objects and records a version', async () => {
      objects = makeModel('sdk-send', 4)
      const known = await diff(server, project, me, objects.map((o) => o.id), 'form')
      assert.deepEqual(known.map, Object.fromEntries(objects.map((o) => [o.id, false])))
      assert.equal((await uploadGzipBatches(server, project, me, objects)).status, 201)

      const created = await data(server, me.token, createVersion, { input: {
        projectId: project, modelId: model, objectId: objects[0].id, message: 'first send',
        sourceApplication: 'rhino'
      } })
      version = created.data.data
      assert.match(version.createdAt, iso)
      assert.deepEqual(created, { data: { data: {
        id: version.id,
        referencedObject: objects[0].id,
        message: 'first send',
        sourceApplication: 'rhino',
        createdAt: version.createdAt,
        previewUrl: `${server.url}/preview/${project}/commits/${version.id}`,
        authorUser: {
          id: me.id, name: 'Connector', bio: null, company: null, verified: false,
          role: 'server:user', avatar: null
        }
      } } })
    })

    it('receives the version and acknowledges it', async () => {
      assert.deepEqual(await data(server, me.token, versionGet,
        { projectId: project, versionId: version.id }), { data: { data: version } })
      const listed = await data(server, me.token, modelVersions,
        { projectId: project, modelId: model, limit: 10 })
      assert.equal(typeof listed.data.data.versions.cursor, 'string')
      assert.deepEqual(listed, {
        data: { data: {
          id: model,
          name: 'structure/level 1',
          versions: {
            totalCount: 1,
            cursor: listed.data.data.versions.cursor,
            items: [{ id: version.id, referencedObject: objects[0].id, sourceApplication: 'rhino' }]
          }
        } }
      })
      assert.deepEqual(await data(server, me.token, markReceived, { input: {
        versionId: version.id, projectId: project, sourceApplication: 'grasshopper',
        message: 'received'
      } }), { data: { data: true } })
    })

    it('answers the viewer\'s URL-helper queries, anonymously on a public project', async () => {
      const ref = { referencedObject: objects[0].id }
      const last = { project: { model: { versions: { items: [ref] } } } }
      const one = { project: { model: { version: ref } } }
      const all = { project: { models: { items: [{ versions: { items: [ref] } }] } } }
      const legacy = { stream: { commit: ref } }
      const ids = { projectId: project, modelId: model, versionId: version.id }

      assert.deepEqual(await data(server, me.token, viewerLast, ids), last)
      assert.deepEqual(await data(server, me.token, viewerVersion, ids), one)
      assert.deepEqual(await data(server, me.token, viewerAll, ids), all)
      assert.deepEqual(await data(server, me.token, viewerLegacy,
        { streamId: project, commitId: version.id }), legacy)

      // Private: an anonymous viewer is refused and gets no data (project is non-null).
      const refused = await anonymous(server, viewerLast, ids)
      assert.equal(refused.status, 200)
      assert.equal(refused.body.data, null)
      assert.deepEqual(refused.body.errors.map((e) => e.extensions.code), ['FORBIDDEN'])

      await data(server, me.token,
        'mutation($u: ProjectUpdateInput!) { projectMutations { update(update: $u) { id } } }',
        { u: { id: project, visibility: 'PUBLIC' } })
      for (const [query, expected] of [[viewerLast, last], [viewerVersion, one], [viewerAll, all]]) {
        const { status, body } = await anonymous(server, query, ids)
        assert.deepEqual([status, body], [200, { data: expected }])
      }
      const { body } = await anonymous(server, viewerLegacy,
        { streamId: project, commitId: version.id })
      assert.deepEqual(body, { data: legacy })
    })
  })
}
