// Live updates between two people's clients, against `stipple serve` started as the README's
// first command starts it: the owner's client listens to projectVersionsUpdated over the legacy
// WebSocket protocol (the subscriptions-transport-ws client, sub-protocol graphql-ws) while a
// colleague's connector sends a new version of a real model.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import WebSocket from 'ws'
import { SubscriptionClient } from 'subscriptions-transport-ws'
import { startAsReadme, backends } from './lib/start.mjs'
import {
  signInAsConnector, data, createProject, createModel, sendVersion
} from './lib/connector.mjs'
import { readModel, hasShared, sharedSkipReason } from './lib/models.mjs'

if (!hasShared) console.log(`e2e live: ${sharedSkipReason}`)

const modelFile = 'sdk-detached-polylines.model.jsonl'

const versionsUpdated = `subscription ProjectVersionsUpdated($id: String!) {
  data:projectVersionsUpdated(id: $id) {
    id type modelId
    version { id referencedObject message sourceApplication authorUser { name } }
  }
}`

const updateVersion = `mutation VersionUpdate($input: UpdateVersionInput!) {
  data:versionMutations { data:update(input: $input) { id message } }
}`

const inviteCreate = `mutation($p: ID!, $i: ProjectInviteCreateInput!) {
  projectMutations { invites { create(projectId: $p, input: $i) { id } } }
}`

const inviteUse = `mutation($i: ProjectInviteUseInput!) {
  projectMutations { invites { use(input: $i) } }
}`

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

// Resolves with (and removes) the first of `events` that `match` accepts; fails after `ms`.
async function nextEvent (events, match, ms = 10_000) {
  const deadline = Date.now() + ms
  for (;;) {
    const index = events.findIndex(match)
    if (index >= 0) return events.splice(index, 1)[0]
    if (Date.now() > deadline) assert.fail(`no such event in ${ms} ms: ${JSON.stringify(events)}`)
    await sleep(20)
  }
}

// A new root for `object` with an id the way the .NET SDK makes them (a cut SHA-256, not md5).
function changedRoot (object, changes) {
  const { id: _old, ...changed } = { ...object, ...changes }
  const id = createHash('sha256').update(JSON.stringify(changed)).digest('hex').slice(0, 32)
  return { id, ...changed }
}

for (const backend of backends()) {
  describe(`live updates against scripts/start on ${backend}`, { skip: sharedSkipReason }, () => {
    let server, owner, colleague, project, model, first, objects

    before(async () => {
      server = await startAsReadme(backend)
      owner = await signInAsConnector(server, 'Olga Owner')
      colleague = await signInAsConnector(server, 'Carl Colleague')
      objects = readModel(modelFile)
      const input = { name: 'shared', visibility: 'PRIVATE' }
      project = (await createProject(server, owner.token, input)).id
      model = (await createModel(server, owner.token, { projectId: project, name: 'polylines' })).id
      first = (await sendVersion(server, owner.token, project, model, objects, 'first')).version

      // The owner invites the colleague in the web app; the colleague accepts there.
      const { activeUser } = await data(server, colleague.webToken, '{ activeUser { id } }')
      await data(server, owner.webToken, inviteCreate,
        { p: project, i: { userId: activeUser.id, role: 'stream:contributor' } })
      const invites = await data(server, colleague.webToken,
        '{ activeUser { projectInvites { projectId token } } }')
      assert.equal(invites.activeUser.projectInvites.length, 1)
      const { token } = invites.activeUser.projectInvites[0]
      await data(server, colleague.webToken, inviteUse,
        { i: { projectId: project, token, accept: true } })
    })
    after(async () => { await server?.stop() })

    it('tells the subscribed client about the version a colleague sends', async () => {
      const url = server.url.replace('http://', 'ws://') + '/graphql'
      const client = new SubscriptionClient(url,
        { connectionParams: { Authorization: `Bearer ${owner.token}` } }, WebSocket)
      const events = []
      const errors = []
      const subscription = client.request({ query: versionsUpdated, variables: { id: project } })
        .subscribe({
          next: (r) => (r.errors ? errors.push(r.errors) : events.push(r.data.data)),
          error: (e) => errors.push(e)
        })
      try {
        // The protocol acknowledges no subscription: renaming the first version until the
        // client hears of it shows that the subscription is in place.
        for (let renames = 1; !events.some((e) => e.type === 'UPDATED'); renames++) {
          assert.ok(renames <= 100, 'the subscription never delivered an event')
          const input = { versionId: first.id, projectId: project, message: `first (${renames})` }
          await data(server, owner.token, updateVersion, { input })
          await sleep(50)
        }
        events.length = 0

        // The colleague's connector sends a new version; only the changed root goes up.
        const root = changedRoot(objects[0], { name: 'changed by a colleague' })
        const second = await sendVersion(server, colleague.token, project, model,
          [root, ...objects.slice(1)], 'second')
        assert.equal(second.missing.length, 1)
        assert.deepEqual(second.statuses, [201])

        const created = await nextEvent(events, (e) => e.type === 'CREATED')
        assert.deepEqual(created, {
          id: second.version.id,
          type: 'CREATED',
          modelId: model,
          version: {
            id: second.version.id,
            referencedObject: root.id,
            message: 'second',
            sourceApplication: 'rhino',
            authorUser: { name: 'Carl Colleague' }
          }
        })
        assert.deepEqual(errors, [])
      } finally {
        subscription.unsubscribe()
        client.close()
      }
    })
  })
}
