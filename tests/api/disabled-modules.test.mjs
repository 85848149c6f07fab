// The modules Stipple serves switched off (workspaces, gatekeeper, automate, dashboards, ACC,
// Gendo, multi-region, saved views) answer as upstream does with them off: empty values, fixed
// settings, or the module's *_MODULE_DISABLED error, after the field's own auth checks.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { backends, startServer } from './lib/server.mjs'
import { signUp, gql, data } from './lib/accounts.mjs'
import { openSocket, sleep } from './lib/websocket.mjs'

const project = `mutation { projectMutations { create(input: { name: "Off" }) { id } } }`

// [code, statusCode, message, path] of each error.
const errors = (body) => body.errors.map((e) =>
  [e.extensions.code, e.extensions.statusCode, e.message, e.path.join('.')])

for (const backend of backends()) {
  describe(`switched-off modules (${backend})`, () => {
    let server, admin, ann, projectId
    before(async () => {
      server = await startServer({ backend })
      admin = await signUp(server, 'Admin')
      ann = await signUp(server, 'Ann')
      projectId = (await data(server, ann.token, project)).projectMutations.create.id
    })
    after(async () => { await server?.stop() })

    it('answers the fixed values of a server without workspaces, automate or regions', async () => {
      assert.deepEqual(await data(server, ann.token, `{ serverInfo {
        workspaces { workspacesEnabled } automate { availableFunctionTemplates { id } } } }`),
      { serverInfo: { workspaces: { workspacesEnabled: false },
        automate: { availableFunctionTemplates: [] } } })
      assert.deepEqual(await data(server, admin.token,
        '{ serverInfo { multiRegion { regions { key } } } }'),
      { serverInfo: { multiRegion: { regions: [] } } })
      assert.deepEqual(await data(server, ann.token, '{ activeUser { expiredSsoSessions { id } } }'),
        { activeUser: { expiredSsoSessions: [] } })
    })

    it('answers a project\'s workspace, embedding, saved views and permissions as upstream',
      async () => {
        const check = '{ authorized code message payload }'
        assert.deepEqual(await data(server, ann.token, `query($id: String!) { project(id: $id) {
          workspaceId embedOptions { hideSpeckleBranding }
          savedViewIfExists(id: "nope") { id }
          permissions { canCreateAutomation ${check} canCreateSavedView ${check}
            canReadAccIntegrationSettings ${check} } } }`, { id: projectId }), {
          project: {
            workspaceId: null,
            embedOptions: { hideSpeckleBranding: false },
            savedViewIfExists: null,
            permissions: {
              canCreateAutomation: { authorized: true, code: 'OK', message: 'OK', payload: null },
              canCreateSavedView: {
                authorized: false,
                code: 'SAVED_VIEWS_DISABLED',
                message: 'Saved views are disabled on this server',
                payload: null
              },
              canReadAccIntegrationSettings: {
                authorized: false,
                code: 'AccIntegrationNotEnabled',
                message: 'The ACC Integration is not enabled on this server or project',
                payload: null
              }
            }
          }
        })
      })

    it('refuses the modules\' own operations with their *_DISABLED errors', async () => {
      const cases = [
        ['{ activeUser { workspaces { totalCount } } }',
          ['WORKSPACES_MODULE_DISABLED_ERROR', 403, 'Workspaces are not enabled on this server',
            'activeUser.workspaces']],
        [`{ project(id: "${projectId}") { automation(id: "a") { id } } }`,
          ['AUTOMATE_API_DISABLED', 423, 'Automate module is disabled', 'project.automation']],
        [`{ project(id: "${projectId}") { savedView(id: "v") { id } } }`,
          ['NOT_IMPLEMENTED_ERROR', 501, 'Saved views are disabled on this server',
            'project.savedView']],
        [`{ project(id: "${projectId}") { accSyncItems { totalCount } } }`,
          ['ACC_MODULE_DISABLED', 423, 'ACC integration module is disabled',
            'project.accSyncItems']]
      ]
      for (const [query, expected] of cases) {
        const { status, body } = await gql(server, ann.token, query)
        assert.equal(status, 200, query)
        assert.deepEqual(errors(body), [expected], query)
      }
    })

    it('checks a field\'s auth directives before its module\'s error', async () => {
      // workspace(id) and Project.workspace need the workspace:read scope, which no token can
      // hold on this server.
      for (const [query, path] of [['{ workspace(id: "w") { id } }', 'workspace'],
        [`{ project(id: "${projectId}") { workspace { id } } }`, 'project.workspace']]) {
        const { body } = await gql(server, ann.token, query)
        assert.deepEqual(body.errors.map((e) => [e.extensions.code, e.message, e.path.join('.')]),
          [['FORBIDDEN', 'Your auth token does not have the required scope: workspace:read',
            path]])
      }
      const anonymous = await gql(server, null, '{ activeUser { workspaces { totalCount } } }')
      assert.deepEqual(anonymous.body, { data: { activeUser: null } })
    })

    it('accepts the modules\' subscriptions and never feeds them, except Gendo\'s', async () => {
      const ws = await openSocket(server, 'graphql-ws')
      ws.send({ type: 'connection_init', payload: { Authorization: `Bearer ${ann.token}` } })
      assert.equal((await ws.next()).type, 'connection_ack')
      ws.send({ id: '1', type: 'start', payload: { query: `subscription { projectAutomationsUpdated(projectId: "${projectId}") { type } }` } })
      ws.send({ id: '2', type: 'start', payload: { query: 'subscription { projectVersionGendoAIRenderCreated(id: "p", versionId: "v") { id } }' } })
      const refused = await ws.nextFor('2')
      assert.deepEqual([refused.type, refused.payload.errors.map((e) => e.extensions.code)],
        ['data', ['NOT_IMPLEMENTED']])
      assert.deepEqual(await ws.nextFor('2'), { id: '2', type: 'complete' })
      await sleep(300)
      assert.deepEqual(ws.pending(), [])
      ws.send({ id: '1', type: 'stop' })
      assert.deepEqual(await ws.nextFor('1'), { id: '1', type: 'complete' })
      ws.close()
    })
  })
}
