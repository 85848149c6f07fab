// A desktop connector signs in, sends every real model of ../shared as a new version, and the
// .NET SDK, specklepy and the Speckle loaders receive it back — against `stipple serve` started
// as the README's first command starts it, on SQLite and on PostgreSQL.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startAsReadme, backends } from './lib/start.mjs'
import {
  signInAsConnector, graphql, data, accountQuery, workspacesQuery, createProject, createModel,
  ingestionProbe, versionGet, modelVersions, markReceived, sendVersion, hasObjects, getSingle,
  getObjects, streamObjects, connectorApp, specklepyUserQuery, specklepyServerQuery,
  projectsWithPermissions
} from './lib/connector.mjs'
import { loadWithObjectLoader, loadWithObjectLoader2, byId } from './lib/loaders.mjs'
import { modelFiles, readModel, without, hasShared, sharedSkipReason } from './lib/models.mjs'

if (!hasShared) console.log(`e2e connector: real models ${sharedSkipReason}`)

// Every object of `objects` arrived in `got` (a Map by id) with the JSON values sent; the root
// may differ in totalChildrenCount only, which downloads take from the stored column.
function assertAllArrived (got, objects, who) {
  assert.equal(got.size, objects.length, `${who}: object count`)
  const [root, ...children] = objects
  const gotRoot = without(got.get(root.id), 'totalChildrenCount')
  assert.deepEqual(gotRoot, without(root, 'totalChildrenCount'), `${who}: root`)
  for (const child of children) assert.deepEqual(got.get(child.id), child, `${who}: ${child.id}`)
}

for (const backend of backends()) {
  describe(`a connector against scripts/start on ${backend}`, () => {
    let server, user

    before(async () => {
      server = await startAsReadme(backend)
      user = await signInAsConnector(server, 'Connie Connector')
    })
    after(async () => { await server?.stop() })

    it('signs in through the browser and the connectrV3 app authorisation', () => {
      const { steps } = user
      const origin = server.url.replace(/\./g, '\\.')
      assert.equal(steps.register.status, 302)
      const frontend = new RegExp(`^${origin}/\\?access_code=\\w+&register=true$`)
      assert.match(steps.register.location, frontend)
      assert.equal(steps.webToken.status, 200)
      // The v3 connector's probe for the PKCE flow of newer servers: absent here.
      assert.equal(steps.oauthProbe.status, 404)
      assert.equal(steps.accessCode.status, 302)
      const callback = new RegExp(`^${connectorApp.callback}\\?access_code=\\w+$`)
      assert.match(steps.accessCode.location, callback)
      assert.equal(steps.exchange.status, 200)
      assert.deepEqual(steps.exchange.keys, ['refreshToken', 'token'])
      assert.notEqual(user.token, user.webToken)
    })

    it('bootstraps the account as the .NET SDK does', async () => {
      const { activeUser, serverInfo } = await data(server, user.token, accountQuery)
      assert.match(activeUser.id, /^[0-9a-f]{10}$/)
      assert.deepEqual(without(activeUser, 'id'),
        { name: 'Connie Connector', email: user.email, company: null, avatar: null })
      // The SDK reads the text before the first '-' as semver, or takes 'dev'/'custom' as newest.
      assert.match(serverInfo.version, /^(dev|custom|\d+\.\d+\.\d+)(-|$)/)
      assert.deepEqual(without(serverInfo, 'version'), {
        name: 'My new Speckle Server',
        company: 'Unknown Company',
        description: 'This a community deployment of a Speckle Server.',
        migration: null
      })
      const workspaces = await data(server, user.token, workspacesQuery)
      assert.deepEqual(workspaces, { data: { data: { data: false } } })
    })

    it('bootstraps the account as specklepy does', async () => {
      const me = await data(server, user.token, specklepyUserQuery)
      assert.deepEqual(without(me.data, 'id'), {
        email: user.email,
        name: 'Connie Connector',
        bio: null,
        company: null,
        avatar: null,
        verified: false,
        role: 'server:admin'
      })
      const { serverInfo } = await data(server, user.token, specklepyServerQuery)
      assert.equal(serverInfo.canonicalUrl, server.url)
      assert.equal(serverInfo.adminContact, 'n/a')
      assert.deepEqual(serverInfo.workspaces, { workspacesEnabled: false })
      assert.deepEqual(serverInfo.authStrategies.map((s) => s.id), ['local'])
      const scopes = serverInfo.scopes.map((s) => s.name)
      for (const scope of ['streams:read', 'streams:write', 'profile:read', 'profile:email']) {
        assert.ok(scopes.includes(scope), scope)
      }
    })

    it('finds a current Speckle server at / (x-speckle-frontend-2)', async () => {
      const res = await fetch(server.url + '/')
      assert.equal(res.status, 200)
      assert.equal(res.headers.get('x-speckle-frontend-2'), 'true')
      await res.arrayBuffer()
    })

    it('renews its token with the refresh token', async () => {
      const res = await fetch(server.url + '/auth/token', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          appId: connectorApp.id, appSecret: connectorApp.secret, refreshToken: user.refreshToken
        })
      })
      assert.equal(res.status, 200)
      const renewed = await res.json()
      assert.deepEqual(Object.keys(renewed).sort(), ['refreshToken', 'token'])
      const again = await data(server, renewed.token, '{ activeUser { email } }')
      assert.equal(again.activeUser.email, user.email)
    })

    describe('the real models of ../shared', { skip: sharedSkipReason }, () => {
      for (const file of modelFiles) {
        describe(file, () => {
          let objects, project, model, sent

          before(async () => {
            objects = readModel(file)
            project = await createProject(server, user.token,
              { name: `e2e ${file}`, description: 'sent by a connector', visibility: 'PRIVATE' })
            model = await createModel(server, user.token,
              { projectId: project.id, name: 'Rhino/Layer 01', description: file })
            sent = await sendVersion(server, user.token, project.id, model.id, objects,
              `send ${file}`)
          })

          it('creates the project and the model the connector picks', () => {
            assert.deepEqual(without(project, 'id', 'createdAt', 'updatedAt'), {
              name: `e2e ${file}`,
              description: 'sent by a connector',
              visibility: 'PRIVATE',
              allowPublicComments: false,
              role: 'stream:owner',
              sourceApps: []
            })
            assert.deepEqual(without(model, 'id', 'createdAt', 'updatedAt'),
              { name: 'rhino/layer 01', displayName: 'layer 01', description: file })
          })

          it('learns that there is no ingestion API (GRAPHQL_VALIDATION_FAILED)', async () => {
            const { status, body } = await graphql(server, user.token, ingestionProbe,
              { projectId: project.id, modelId: model.id })
            assert.equal(status, 400)
            assert.equal(body.data, undefined)
            assert.equal(body.errors[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED')
          })

          it('uploads every object in gzip batch-N parts and records the version', () => {
            assert.equal(Object.keys(sent.known).length, objects.length)
            assert.deepEqual(Object.values(sent.known).filter((v) => v !== false), [])
            assert.equal(sent.missing.length, objects.length)
            assert.ok(sent.statuses.length >= 1)
            for (const status of sent.statuses) assert.equal(status, 201)
            const version = sent.version
            assert.match(version.id, /^[0-9a-f]{10}$/)
            assert.deepEqual(without(version, 'id', 'createdAt', 'authorUser'), {
              referencedObject: objects[0].id,
              message: `send ${file}`,
              sourceApplication: 'rhino',
              previewUrl: `${server.url}/preview/${project.id}/commits/${version.id}`
            })
            assert.deepEqual(without(version.authorUser, 'id'), {
              name: 'Connie Connector',
              bio: null,
              company: null,
              verified: false,
              role: 'server:admin',
              avatar: null
            })
          })

          it('finds every object stored when it sends the model again', async () => {
            const ids = objects.map((o) => o.id)
            const known = await hasObjects(server, user.token, project.id, ids)
            assert.deepEqual(Object.values(known).filter((v) => v !== true), [])
            assert.equal(Object.keys(known).length, objects.length)
          })

          it('is found by the version lookups of the SDKs', async () => {
            const got = await data(server, user.token, versionGet,
              { projectId: project.id, versionId: sent.version.id })
            assert.deepEqual(got.data.data, sent.version)
            const listed = await data(server, user.token, modelVersions,
              { projectId: project.id, modelId: model.id, versionsLimit: 10 })
            const versions = listed.data.data.data
            assert.equal(versions.totalCount, 1)
            assert.deepEqual(versions.items, [{
              id: sent.version.id,
              referencedObject: objects[0].id,
              message: `send ${file}`,
              sourceApplication: 'rhino'
            }])
          })

          for (const form of ['urlencoded', 'json']) {
            const client = form === 'urlencoded' ? 'specklepy' : 'the .NET SDK'
            it(`is received by ${client}: /single, then /api/getobjects (${form})`, async () => {
              const root = await getSingle(server, user.token, project.id, objects[0].id)
              assert.equal(root.status, 200)
              const got = new Map([[root.object.id, root.object]])
              const childIds = Object.keys(root.object.__closure ?? {})
              assert.equal(childIds.length, objects.length - 1)
              if (childIds.length) {
                const { status, rows } =
                  await getObjects(server, user.token, project.id, childIds, form)
                assert.equal(status, 200)
                for (const [id, value] of rows) {
                  assert.equal(got.has(id), false, `${id} arrived twice`)
                  assert.equal(value.id, id)
                  got.set(id, value)
                }
              }
              assertAllArrived(got, objects, client)
            })
          }

          it('is received by the current .NET SDK: /single, then the object-stream', async () => {
            const root = await getSingle(server, user.token, project.id, objects[0].id)
            assert.equal(root.status, 200)
            const childIds = Object.keys(root.object.__closure ?? {})
            const got = new Map([[root.object.id, root.object]])
            if (childIds.length) {
              const { status, rows } = await streamObjects(server, user.token, project.id, childIds)
              assert.equal(status, 200)
              for (const [id, value] of rows) got.set(id, value)
              assert.equal(rows.length, childIds.length)
            }
            assertAllArrived(got, objects, 'object-stream')
          })

          it('is received by @speckle/objectloader 2.28.0', async () => {
            const loaded = await loadWithObjectLoader(server, user.token, project.id, objects[0].id)
            assertAllArrived(byId(loaded), objects, 'objectloader')
          })

          it('is received by @speckle/objectloader2 2.28.0', async () => {
            const loaded =
              await loadWithObjectLoader2(server, user.token, project.id, objects[0].id)
            assertAllArrived(byId(loaded), objects, 'objectloader2')
          })

          it('acknowledges the receive (versionMutations.markReceived)', async () => {
            const acked = await data(server, user.token, markReceived, {
              input: {
                projectId: project.id,
                versionId: sent.version.id,
                sourceApplication: 'revit',
                message: 'received'
              }
            })
            assert.deepEqual(acked, { data: { data: true } })
          })
        })
      }
    })

    it('lists every project it sent to in its picker, each one it may publish to', async () => {
      const granted = { authorized: true, code: 'OK', message: 'OK' }
      const listed = await data(server, user.token, projectsWithPermissions, { limit: 100 })
      const { totalCount, items } = listed.data.data
      assert.equal(totalCount, modelFiles.length)
      assert.deepEqual(items.map((p) => p.name).sort(), modelFiles.map((f) => `e2e ${f}`))
      for (const project of items) {
        assert.equal(project.role, 'stream:owner')
        assert.deepEqual(project.permissions,
          { canCreateModel: granted, canDelete: granted, canLoad: granted, canPublish: granted })
      }
    })
  })
}
