// The legacy activity feed: every change to a project, its models and versions, and to
// accounts, recorded as upstream records stream activity, and read through Stream.activity,
// Branch.activity, Commit.activity and User/LimitedUser.activity and .timeline.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { backends, startServer } from './lib/server.mjs'
import { signUp, gql, data } from './lib/accounts.mjs'
import { makeModel, uploadGzipBatches } from './lib/objects.mjs'

const fields = 'totalCount cursor items { id actionType resourceType resourceId userId streamId time message info }'
const short = (page) => page.items.map((a) => [a.actionType, a.resourceType, a.resourceId, a.userId])

for (const backend of backends()) {
  describe(`activity feed (${backend})`, () => {
    let server, ann, bob, project, model, version, root
    before(async () => {
      server = await startServer({ backend })
      await signUp(server, 'Admin')
      ann = await signUp(server, 'Ann')
      bob = await signUp(server, 'Bob')

      project = (await data(server, ann.token,
        'mutation { projectMutations { create(input: { name: "Depot" }) { id } } }'))
        .projectMutations.create.id
      model = (await data(server, ann.token,
        'mutation($i: CreateModelInput!) { modelMutations { create(input: $i) { id } } }',
        { i: { projectId: project, name: 'Beams', description: 'steel' } })).modelMutations.create.id
      const objects = makeModel('activity', 2)
      root = objects[0].id
      assert.equal((await uploadGzipBatches(server, project, ann, objects)).status, 201)
      version = (await data(server, ann.token,
        'mutation($i: CreateVersionInput!) { versionMutations { create(input: $i) { id } } }',
        { i: { projectId: project, modelId: model, objectId: root, message: 'first' } }))
        .versionMutations.create.id
      await data(server, ann.token,
        'mutation($u: ProjectUpdateInput!) { projectMutations { update(update: $u) { id } } }',
        { u: { id: project, name: 'Depot 2' } })
      await data(server, ann.token,
        'mutation($i: UpdateModelInput!) { modelMutations { update(input: $i) { id } } }',
        { i: { projectId: project, id: model, description: 'timber' } })
      await data(server, ann.token,
        'mutation($i: UpdateVersionInput!) { versionMutations { update(input: $i) { id } } }',
        { i: { projectId: project, versionId: version, message: 'second' } })
      await data(server, ann.token,
        'mutation($p: ID!, $i: ProjectInviteCreateInput!) { projectMutations { invites { create(projectId: $p, input: $i) { id } } } }',
        { p: project, i: { userId: bob.id, role: 'stream:contributor' } })
      const invites = (await data(server, bob.token,
        '{ activeUser { projectInvites { projectId token } } }')).activeUser.projectInvites
      await data(server, bob.token,
        'mutation($i: ProjectInviteUseInput!) { projectMutations { invites { use(input: $i) } } }',
        { i: { projectId: project, token: invites[0].token, accept: true } })
      await data(server, bob.token,
        'mutation($i: MarkReceivedVersionInput!) { versionMutations { markReceived(input: $i) } }',
        { i: { projectId: project, versionId: version, sourceApplication: 'rhino' } })
    })
    after(async () => { await server?.stop() })

    it('records each change to a project, newest first', async () => {
      const page = (await data(server, ann.token,
        `query($id: String!) { stream(id: $id) { activity { ${fields} } } }`, { id: project }))
        .stream.activity
      assert.deepEqual(short(page), [
        ['commit_receive', 'commit', version, bob.id],
        ['stream_permissions_invite_accepted', 'stream', project, bob.id],
        ['stream_invite_sent', 'stream', project, ann.id],
        ['commit_update', 'commit', version, ann.id],
        ['branch_update', 'branch', model, ann.id],
        ['stream_update', 'stream', project, ann.id],
        ['commit_create', 'commit', version, ann.id],
        ['branch_create', 'branch', model, ann.id],
        ['stream_create', 'stream', project, ann.id]
      ])
      assert.equal(page.totalCount, 9)
      assert.equal(page.cursor, page.items[8].time)
      assert.deepEqual(page.items.map((a) => a.streamId), Array(9).fill(project))
      assert.deepEqual(page.items.map((a) => a.message), [
        `Commit ${version} was received by user ${bob.id}`,
        'User ' + bob.id + ' has accepted an invitation to become a stream:contributor',
        `User ${ann.id} has invited ${bob.id} to stream ${project}`,
        `Commit updated: ${version}`,
        `Branch metadata changed for branch ${model}`,
        'Stream metadata changed',
        `Commit created on branch beams: ${version} (first)`,
        `Branch created: beams (${model})`,
        'Stream Depot created'
      ])
      // An entry's id is the md5 of where, who and when, as upstream derives it.
      const a = page.items[0]
      assert.equal(a.id, createHash('md5').update(JSON.stringify({
        streamId: a.streamId, resourceId: a.resourceId, userId: a.userId, time: a.time
      })).digest('hex'))
    })

    it('keeps what changed in info', async () => {
      const items = (await data(server, ann.token,
        `query($id: String!) { stream(id: $id) { activity(limit: 100) { ${fields} } } }`,
        { id: project })).stream.activity.items
      const info = (type) => items.find((i) => i.actionType === type).info
      const created = info('stream_create').input
      assert.deepEqual([created.id, created.name, created.visibility, created.description],
        [project, 'Depot', 'private', ''])
      assert.deepEqual(info('stream_update').new, { id: project, name: 'Depot 2' })
      assert.equal(info('stream_update').old.name, 'Depot')
      assert.equal(info('stream_update').old.role, 'stream:owner')
      assert.deepEqual(info('branch_update').new,
        { projectId: project, id: model, name: null, description: 'timber' })
      assert.equal(info('branch_update').old.description, 'steel')
      const commit = info('commit_create').commit
      assert.deepEqual([commit.id, commit.referencedObject, commit.branchName, commit.message],
        [version, root, 'beams', 'first'])
      assert.deepEqual(info('commit_update').new, { versionId: version, message: 'second' })
      assert.deepEqual(info('commit_receive'), { sourceApplication: 'rhino', message: null })
      assert.deepEqual(info('stream_invite_sent'), { targetId: bob.id, targetEmail: null })
      assert.deepEqual(info('stream_permissions_invite_accepted'),
        { inviterUser: ann.id, role: 'stream:contributor', targetUserId: bob.id })
    })

    it('filters by action type and pages by cursor', async () => {
      const query = `query($id: String!, $t: String, $c: DateTime, $l: Int!) { stream(id: $id) {
        activity(actionType: $t, cursor: $c, limit: $l) { ${fields} } } }`
      const only = (await data(server, ann.token, query, { id: project, t: 'stream_update', l: 25 }))
        .stream.activity
      assert.deepEqual([only.totalCount, short(only)],
        [1, [['stream_update', 'stream', project, ann.id]]])

      const first = (await data(server, ann.token, query, { id: project, l: 4 })).stream.activity
      assert.deepEqual([first.totalCount, first.items.length], [9, 4])
      const rest = (await data(server, ann.token, query, { id: project, l: 100, c: first.cursor }))
        .stream.activity
      // Rows in the same millisecond as the cursor are skipped, as upstream pages them; all the
      // rest arrive once, and the total ignores the cursor.
      assert.equal(rest.totalCount, 9)
      const seen = [...first.items, ...rest.items].map((a) => a.id)
      assert.equal(new Set(seen).size, seen.length)
      assert.ok(rest.items.every((a) => a.time < first.cursor))

      const refused = await gql(server, ann.token, query, { id: project, t: 'commit_create', l: 5 })
      assert.deepEqual(refused.body.errors.map((e) => [e.extensions.code, e.message]),
        [['INVALID_ACTION_TYPE', 'Invalid action type']])
    })

    it('shows a model\'s and a version\'s own entries', async () => {
      const q = `query($id: String!, $v: String!) { stream(id: $id) {
        branch(name: "beams") { activity { ${fields} } } commit(id: $v) { activity { ${fields} } } } }`
      const { stream } = await data(server, ann.token, q, { id: project, v: version })
      assert.deepEqual(short(stream.branch.activity), [
        ['branch_update', 'branch', model, ann.id], ['branch_create', 'branch', model, ann.id]])
      assert.deepEqual(short(stream.commit.activity), [
        ['commit_receive', 'commit', version, bob.id],
        ['commit_update', 'commit', version, ann.id],
        ['commit_create', 'commit', version, ann.id]])
    })

    it('shows what a user did, and a timeline of their projects', async () => {
      const mine = (await data(server, bob.token, `{ activeUser { activity { ${fields} } } }`))
        .activeUser.activity
      assert.deepEqual(short(mine), [
        ['commit_receive', 'commit', version, bob.id],
        ['stream_permissions_invite_accepted', 'stream', project, bob.id],
        ['user_create', 'user', bob.id, bob.id]])
      const created = mine.items[2]
      assert.deepEqual([created.streamId, created.message], [null, 'User created'])
      assert.deepEqual(Object.keys(created.info.user).sort(),
        ['avatar', 'bio', 'company', 'createdAt', 'id', 'name', 'suuid', 'verified'])

      const timeline = (await data(server, bob.token,
        'query($id: String!) { otherUser(id: $id) { timeline { totalCount } } }', { id: bob.id }))
        .otherUser.timeline
      assert.equal(timeline.totalCount, 9)
      const annOnly = (await data(server, bob.token,
        'query($id: String!) { otherUser(id: $id) { activity(limit: 1) { totalCount items { actionType } } } }',
        { id: ann.id })).otherUser.activity
      assert.deepEqual(annOnly, { totalCount: 8, items: [{ actionType: 'stream_invite_sent' }] })
    })

    it('records deletions, and keeps the feed of a deleted project', async () => {
      await data(server, ann.token,
        'mutation($i: DeleteVersionsInput!) { versionMutations { delete(input: $i) } }',
        { i: { projectId: project, versionIds: [version] } })
      await data(server, ann.token,
        'mutation($i: DeleteModelInput!) { modelMutations { delete(input: $i) } }',
        { i: { projectId: project, id: model } })
      await data(server, ann.token, 'mutation($id: String!) { projectMutations { delete(id: $id) } }',
        { id: project })
      const recent = (await data(server, ann.token,
        `{ activeUser { activity(limit: 3) { ${fields} } } }`)).activeUser.activity
      assert.deepEqual(short(recent), [
        ['stream_delete', 'stream', project, ann.id],
        ['branch_delete', 'branch', model, ann.id],
        ['commit_delete', 'commit', version, ann.id]])
      assert.deepEqual(recent.items.map((a) => a.message), ['Stream deleted',
        `Branch deleted: 'beams' (${model})`, `Commit deleted: ${version}`])
      assert.equal(recent.items[2].info.commit.referencedObject, root)
    })

    it('needs a signed-in caller', async () => {
      const res = await gql(server, null,
        'query($id: String!) { otherUser(id: $id) { activity { totalCount } } }', { id: ann.id })
      assert.deepEqual(res.body.errors.map((e) => e.extensions.code), ['UNAUTHORIZED'])
    })
  })
}
