// Object transport end to end: uploads in the senders' wire formats, diff, /single, the full
// download, getobjects and object-stream, permissions, bad input, and the real Speckle loaders
// downloading the real models of ../shared — on every configured backend.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { gzipSync } from 'node:zlib'
import { readFileSync, readdirSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import ObjectLoader from '@speckle/objectloader'
import { ObjectLoader2Factory } from '@speckle/objectloader2'
import { ObjectLoader2Factory as LegacyLoader2Factory } from 'objectloader2-legacy'
import { startServer, backends } from './lib/server.mjs'
import { sharedDir, hasShared, sharedSkipReason } from './lib/shared.mjs'
import {
  request, createUser, createProject, addCollaborator, bearer, makeModel, withId, multipart,
  upload, uploadGzipBatches, uploadObjectBatch, diff, downloadLines, readJsonLines
} from './lib/objects.mjs'

const modelsDir = join(sharedDir, 'data', 'speckle')
const modelFiles = hasShared ? readdirSync(modelsDir).filter((f) => f.endsWith('.model.jsonl')).sort() : []
if (!hasShared) console.log(`objects: real models ${sharedSkipReason}`)

const quiet = () => {}
const ids = (objects) => objects.map((o) => o.id)
const sortedIds = (objects) => ids(objects).sort()

// What a download gives for the root: its JSON with totalChildrenCount from the (empty) column.
const asDownloadedRoot = (root) => ({ ...root, totalChildrenCount: null })

async function loadWithObjectLoader (server, project, rootId, user) {
  const loader = new ObjectLoader({
    serverUrl: server.url,
    streamId: project,
    objectId: rootId,
    token: user.token,
    options: { enableCaching: false, customLogger: quiet, customWarner: quiet }
  })
  const out = []
  for await (const object of loader.getObjectIterator()) out.push(object)
  return out
}

async function loadWithObjectLoader2 (Factory, server, project, rootId, user) {
  const loader = Factory.createFromUrl({
    serverUrl: server.url, streamId: project, objectId: rootId, token: user.token, options: { useCache: false, logger: quiet }
  })
  const out = []
  try {
    for await (const object of loader.getObjectIterator()) out.push(object)
  } finally {
    await loader.disposeAsync()
  }
  return out
}

// The objects of a load keyed by id, each once.
function byId (objects) {
  const map = new Map()
  for (const object of objects) {
    assert.equal(map.has(object.id), false, `object ${object.id} arrived twice`)
    map.set(object.id, object)
  }
  return map
}

for (const backend of backends()) {
  describe(`objects on ${backend}`, () => {
    let server, owner, contributor, reviewer, stranger, readOnly, priv, pub, other
    before(async () => {
      server = await startServer({ backend })
      owner = createUser(server, 'owner')
      contributor = createUser(server, 'contributor')
      reviewer = createUser(server, 'reviewer')
      stranger = createUser(server, 'stranger')
      readOnly = createUser(server, 'readonly', 'streams:read')
      priv = createProject(server, owner)
      pub = createProject(server, owner, { isPublic: true })
      other = createProject(server, owner)
      addCollaborator(server, priv, contributor, 'stream:contributor')
      addCollaborator(server, priv, reviewer, 'stream:reviewer')
      addCollaborator(server, priv, readOnly, 'stream:owner')
    })
    after(async () => { await server?.stop() })

    describe('uploads in the senders\' wire formats', () => {
      it('stores gzip batch-N parts (.NET SDK, specklepy) and answers 201 with an empty body', async () => {
        const model = makeModel('net', 5)
        const res = await uploadGzipBatches(server, priv, owner, model, 2)
        assert.equal(res.status, 201)
        assert.equal(res.text, '')
        const { status, map } = await diff(server, priv, owner, ids(model), 'urlencoded')
        assert.equal(status, 200)
        assert.deepEqual(map, Object.fromEntries(ids(model).map((id) => [id, true])))
      })

      it('stores an object-batch JSON part (objectsender)', async () => {
        const model = makeModel('sender', 3)
        const before = await diff(server, priv, owner, ids(model), 'json')
        assert.deepEqual(before.map, Object.fromEntries(ids(model).map((id) => [id, false])))
        const res = await uploadObjectBatch(server, priv, owner, model)
        assert.equal(res.status, 201)
        const afterwards = await diff(server, priv, owner, ids(model), 'json')
        assert.deepEqual(afterwards.map, Object.fromEntries(ids(model).map((id) => [id, true])))
      })

      it('answers diff with a gzip JSON map in request order, unknown ids false', async () => {
        const model = makeModel('diffmap', 1)
        await uploadObjectBatch(server, priv, owner, model)
        const unknown = 'f'.repeat(32)
        const { res, map } = await diff(server, priv, owner, [unknown, model[1].id, model[0].id], 'urlencoded')
        assert.equal(res.headers['content-encoding'], 'gzip')
        assert.equal(res.headers['content-type'], 'application/json; charset=utf-8')
        assert.deepEqual(Object.entries(map), [[unknown, false], [model[1].id, true], [model[0].id, true]])
      })

      it('treats re-uploading existing objects as a no-op that keeps the first content', async () => {
        const leaf = withId({ speckle_type: 'Base', name: 'first' })
        assert.equal((await uploadObjectBatch(server, priv, owner, [leaf])).status, 201)
        const changed = { ...leaf, name: 'second' }
        assert.equal((await uploadObjectBatch(server, priv, owner, [changed])).status, 201)
        const res = await request(`${server.url}/objects/${priv}/${leaf.id}/single`, { headers: bearer(owner) })
        assert.deepEqual(JSON.parse(res.text), { ...leaf, totalChildrenCount: null })
      })

      it('round-trips strings holding \\u0000 and other control characters', async () => {
        const object = withId({ speckle_type: 'Base', text: 'a\u0000b\u0001\t\n\r\\"c', ['k\u0000ey']: 'é😀' })
        assert.equal((await uploadObjectBatch(server, priv, owner, [object])).status, 201)
        const single = await request(`${server.url}/objects/${priv}/${object.id}/single`, { headers: bearer(owner) })
        assert.deepEqual(JSON.parse(single.text), { ...object, totalChildrenCount: null })
        const stream = await request(`${server.url}/api/v2/projects/${priv}/object-stream/`, {
          method: 'POST',
          headers: { ...bearer(owner), 'content-type': 'application/json' },
          body: JSON.stringify({ objectIds: [object.id] })
        })
        const [id, json] = stream.text.split('\n')[0].split('\t')
        assert.equal(id, object.id)
        assert.deepEqual(JSON.parse(json), object)
      })

      it('gives an object without id the md5 of its text and lets hash win over id', async () => {
        const noId = { speckle_type: 'Base', name: 'anonymous' }
        const hashed = { id: 'a'.repeat(32), hash: 'b'.repeat(32), speckle_type: 'Base' }
        assert.equal((await uploadObjectBatch(server, priv, owner, [noId, hashed])).status, 201)
        const expectedId = withId(noId).id
        const { map } = await diff(server, priv, owner, [expectedId, 'a'.repeat(32), 'b'.repeat(32)])
        assert.deepEqual(map, { [expectedId]: true, ['a'.repeat(32)]: false, ['b'.repeat(32)]: true })
      })
    })

    describe('downloads', () => {
      let model
      before(async () => {
        model = makeModel('dl', 4)
        assert.equal((await uploadObjectBatch(server, priv, owner, model)).status, 201)
      })

      it('streams id\\ttext lines, root first then the closure by ascending id, for Accept text/plain', async () => {
        const { status, res, rows } = await downloadLines(server, priv, owner, model[0].id)
        assert.equal(status, 200)
        assert.equal(res.headers['content-encoding'], 'gzip')
        assert.equal(res.headers['content-type'], 'text/plain; charset=UTF-8')
        assert.deepEqual(rows.map((r) => r[0]), [model[0].id, ...sortedIds(model.slice(1))])
        assert.deepEqual(rows[0][1], asDownloadedRoot(model[0]))
        for (const [id, value] of rows.slice(1)) assert.deepEqual(value, model.find((o) => o.id === id))
      })

      it('answers a JSON array for any other Accept, gzip even without accept-encoding', async () => {
        const res = await request(`${server.url}/objects/${priv}/${model[0].id}`, { headers: { ...bearer(owner), accept: 'text/plain, */*' } })
        assert.equal(res.status, 200)
        assert.equal(res.headers['content-encoding'], 'gzip')
        assert.equal(res.headers['content-type'], 'application/json; charset=utf-8')
        const array = JSON.parse(res.text)
        assert.deepEqual(array.map((o) => o.id), [model[0].id, ...sortedIds(model.slice(1))])
      })

      it('answers /single with the stored JSON and totalChildrenCount null', async () => {
        const res = await request(`${server.url}/objects/${priv}/${model[0].id}/single`, { headers: bearer(owner) })
        assert.equal(res.status, 200)
        assert.equal(res.headers['content-type'], 'application/json; charset=utf-8')
        assert.deepEqual(JSON.parse(res.text), asDownloadedRoot(model[0]))
      })

      it('answers 404 "Failed to find object." for a missing object and one of another project', async () => {
        for (const [project, id] of [[priv, 'e'.repeat(32)], [other, model[0].id]]) {
          const res = await request(`${server.url}/objects/${project}/${id}/single`, { headers: bearer(owner) })
          assert.equal(res.status, 404)
          assert.equal(res.text, 'Failed to find object.')
        }
      })

      it('returns getobjects rows unchanged, for JSON and urlencoded bodies', async () => {
        const wanted = JSON.stringify([model[2].id, model[0].id, 'f'.repeat(32), model[2].id])
        const bodies = [
          ['application/json', JSON.stringify({ objects: wanted })],
          ['application/x-www-form-urlencoded', new URLSearchParams({ objects: wanted }).toString()]
        ]
        for (const [type, body] of bodies) {
          const res = await request(`${server.url}/api/getobjects/${priv}`, {
            method: 'POST', headers: { ...bearer(owner), 'content-type': type, accept: 'text/plain' }, body
          })
          assert.equal(res.status, 200)
          const rows = res.text.split('\n').filter(Boolean).map((l) => l.split('\t'))
          assert.deepEqual(rows.map((r) => r[0]), [model[0].id, model[2].id].sort())
          assert.deepEqual(rows.map((r) => JSON.parse(r[1])), [model[0], model[2]].sort((a, b) => (a.id < b.id ? -1 : 1)))
        }
      })

      it('applies an object-stream attribute mask', async () => {
        const res = await request(`${server.url}/api/v2/projects/${priv}/object-stream`, {
          method: 'POST',
          headers: { ...bearer(owner), 'content-type': 'application/json' },
          body: JSON.stringify({ objectIds: [model[1].id], attributeMask: { include: ['name'] } })
        })
        assert.equal(res.status, 200)
        assert.equal(res.text, `${model[1].id}\t${JSON.stringify({ name: model[1].name })}\n`)
      })

      it('refuses an object-stream body with an unknown key with a 400 ZodError list', async () => {
        const res = await request(`${server.url}/api/v2/projects/${priv}/object-stream/`, {
          method: 'POST',
          headers: { ...bearer(owner), 'content-type': 'application/json' },
          body: JSON.stringify({ objectIds: [model[1].id], extra: 1 })
        })
        assert.equal(res.status, 400)
        assert.deepEqual(JSON.parse(res.text), [{
          type: 'Body',
          errors: { issues: [{ code: 'unrecognized_keys', keys: ['extra'], path: [], message: "Unrecognized key(s) in object: 'extra'" }], name: 'ZodError' }
        }])
      })
    })

    describe('large downloads', () => {
      // Enough rows to fill the batches buffered between the database worker and the response.
      const kLeaves = 4000
      let leaves, root
      before(async () => {
        leaves = []
        for (let i = 0; i < kLeaves; i++) leaves.push(withId({ speckle_type: 'Base', i, pad: randomBytes(1500).toString('base64') }))
        root = withId({ speckle_type: 'Base', __closure: Object.fromEntries(leaves.map((l) => [l.id, 1])) })
        for (let i = 0; i < kLeaves; i += 1000) {
          assert.equal((await uploadGzipBatches(server, priv, owner, leaves.slice(i, i + 1000), 250)).status, 201)
        }
        assert.equal((await uploadObjectBatch(server, priv, owner, [root])).status, 201)
      })

      it('sends every row of a large closure, every time', async () => {
        for (let run = 0; run < 3; run++) {
          const { rows } = await downloadLines(server, priv, owner, root.id)
          assert.equal(rows.length, kLeaves + 1)
          assert.deepEqual(rows.slice(1).map((r) => r[0]), sortedIds(leaves))
        }
      })

      it('sends every requested row through object-stream and getobjects', async () => {
        const headers = { ...bearer(owner), 'content-type': 'application/json', accept: 'text/plain' }
        const stream = await request(`${server.url}/api/v2/projects/${priv}/object-stream/`, {
          method: 'POST', headers, body: JSON.stringify({ objectIds: ids(leaves) })
        })
        assert.equal(stream.text.split('\n').filter(Boolean).length, kLeaves)
        const legacy = await request(`${server.url}/api/getobjects/${priv}`, {
          method: 'POST', headers, body: JSON.stringify({ objects: JSON.stringify(ids(leaves)) })
        })
        assert.equal(legacy.text.split('\n').filter(Boolean).length, kLeaves)
      })
    })

    describe('the real Speckle loaders', () => {
      let model
      before(async () => {
        model = makeModel('loaders', 60)
        assert.equal((await uploadGzipBatches(server, priv, owner, model, 25)).status, 201)
      })

      it('@speckle/objectloader 2.28.0 loads every object (getobjects, parallel slices)', async () => {
        const got = byId(await loadWithObjectLoader(server, priv, model[0].id, reviewer))
        assert.equal(got.size, 61)
        assert.deepEqual(got.get(model[0].id), asDownloadedRoot(model[0]))
        for (const object of model.slice(1)) assert.deepEqual(got.get(object.id), object)
      })

      it('@speckle/objectloader2 2.28.0 loads every object (object-stream)', async () => {
        const got = byId(await loadWithObjectLoader2(ObjectLoader2Factory, server, priv, model[0].id, reviewer))
        assert.equal(got.size, 61)
        for (const object of model.slice(1)) assert.deepEqual(got.get(object.id), object)
      })

      it('@speckle/objectloader2 2.26.8 loads every object (legacy getobjects)', async () => {
        const got = byId(await loadWithObjectLoader2(LegacyLoader2Factory, server, priv, model[0].id, reviewer))
        assert.equal(got.size, 61)
        for (const object of model.slice(1)) assert.deepEqual(got.get(object.id), object)
      })
    })

    describe('the real models of ../shared', { skip: sharedSkipReason }, () => {
      for (const file of modelFiles) {
        it(`round-trips ${file} through the three loaders`, async () => {
          const objects = readJsonLines(readFileSync(join(modelsDir, file), 'utf8'))
          const project = createProject(server, owner)
          // Uploaded half as gzip batch-N parts, half as an object-batch part.
          const half = Math.ceil(objects.length / 2)
          assert.equal((await uploadGzipBatches(server, project, owner, objects.slice(0, half), 50)).status, 201)
          assert.equal((await uploadObjectBatch(server, project, owner, objects.slice(half))).status, 201)

          const root = objects[0]
          const loads = {
            objectloader: await loadWithObjectLoader(server, project, root.id, owner),
            objectloader2: await loadWithObjectLoader2(ObjectLoader2Factory, server, project, root.id, owner),
            'objectloader2@2.26.8': await loadWithObjectLoader2(LegacyLoader2Factory, server, project, root.id, owner)
          }
          for (const [name, loaded] of Object.entries(loads)) {
            const got = byId(loaded)
            assert.equal(got.size, new Set(ids(objects)).size, name)
            for (const object of objects.slice(1)) assert.deepEqual(got.get(object.id), object, `${name}: ${object.id}`)
            // The root's totalChildrenCount is the one documented difference (the stored column).
            const { totalChildrenCount: _got, ...gotRoot } = got.get(root.id)
            const { totalChildrenCount: _sent, ...sentRoot } = root
            assert.deepEqual(gotRoot, sentRoot, name)
          }
        })
      }
    })

    describe('bad input changes nothing', () => {
      // Uploads `parts`, expects `status` and `message`, then checks none of `model` is stored.
      async function refused (parts, status, message, model) {
        const res = await upload(server, priv, owner, parts)
        assert.equal(res.status, status)
        assert.equal(res.text, message)
        const { map } = await diff(server, priv, owner, ids(model))
        assert.deepEqual(map, Object.fromEntries(ids(model).map((id) => [id, false])))
      }
      const good = (model) => ({ name: 'batch-0', type: 'application/json', data: JSON.stringify(model) })

      it('refuses a part declared gzip that is not gzip with 400', async () => {
        const model = makeModel('badgzip', 2)
        await refused([good(model), { name: 'batch-1', type: 'application/gzip', data: JSON.stringify(makeModel('x', 1)) }],
          400, 'Failed to decompress the batch: it is not valid gzip data.', model)
      })

      it('refuses truncated gzip with 400', async () => {
        const model = makeModel('cutgzip', 2)
        const zipped = gzipSync(JSON.stringify(model))
        await refused([{ name: 'batch-0', type: 'application/gzip', data: zipped.subarray(0, zipped.length - 9) }],
          400, 'Failed to decompress the batch: the gzip data is truncated.', model)
      })

      it('refuses a truncated multipart body with 400', async () => {
        const model = makeModel('cutmultipart', 2)
        const { body, contentType } = multipart([good(model)])
        const res = await request(`${server.url}/objects/${priv}`, {
          method: 'POST', headers: { ...bearer(owner), 'content-type': contentType }, body: body.subarray(0, body.length - 20)
        })
        assert.equal(res.status, 400)
        assert.equal(res.text, 'Failed to parse request headers and body content as valid multipart/form-data.')
        const { map } = await diff(server, priv, owner, ids(model))
        assert.deepEqual(map, Object.fromEntries(ids(model).map((id) => [id, false])))
      })

      it('refuses a batch that is JSON but not an array, even after a good part', async () => {
        const model = makeModel('notarray', 2)
        await refused([good(model), { name: 'batch-1', type: 'application/json', data: '{"not":"array"}' }],
          400, 'Failed to parse data. Batch is expected to be wrapped in a JSON array.', model)
      })

      it('refuses a 31-character id with 400 naming it', async () => {
        const model = makeModel('shortid', 2)
        const bad = { id: 'c'.repeat(31), speckle_type: 'Base' }
        await refused([{ name: 'batch-0', type: 'application/json', data: JSON.stringify([...model, bad]) }], 400,
          `Error inserting object in the database. Invalid object ID. Object ID: ${'c'.repeat(31)}. Object ID's must be hashes represented by a string of 32 characters.`,
          model)
      })

      it('refuses an image/png part with 400', async () => {
        const model = makeModel('png', 2)
        await refused([{ name: 'batch-0', type: 'image/png', data: JSON.stringify(model) }], 400,
          'Invalid ContentType header. This route only accepts "application/gzip", "text/plain" or "application/json".', model)
      })

      it('refuses a body that is not multipart with 400', async () => {
        const model = makeModel('json-body', 2)
        const res = await request(`${server.url}/objects/${priv}`, {
          method: 'POST', headers: { ...bearer(owner), 'content-type': 'application/json' }, body: JSON.stringify(model)
        })
        assert.equal(res.status, 400)
        assert.equal(res.text, 'Failed to parse request headers and body content as valid multipart/form-data.')
      })

      it('refuses diff bodies whose objects field is not a JSON-encoded array', async () => {
        for (const body of [{ objects: ['a'] }, { objects: 'nope' }, {}]) {
          const res = await request(`${server.url}/api/diff/${priv}`, {
            method: 'POST', headers: { ...bearer(owner), 'content-type': 'application/json' }, body: JSON.stringify(body)
          })
          assert.equal(res.status, 400)
          assert.equal(JSON.parse(res.text).error.code, 'USER_INPUT_ERROR')
        }
      })
    })

    describe('permissions', () => {
      let model
      before(async () => {
        model = makeModel('perm', 2)
        assert.equal((await uploadObjectBatch(server, priv, owner, model)).status, 201)
        assert.equal((await uploadObjectBatch(server, pub, owner, model)).status, 201)
      })
      const invalid = { token: 'f'.repeat(42) }

      it('lets a contributor write and refuses reviewer, stranger, anonymous and read-only tokens with 401', async () => {
        const batch = [withId({ speckle_type: 'Base', name: 'perm-write' })]
        assert.equal((await uploadObjectBatch(server, priv, contributor, batch)).status, 201)
        for (const user of [reviewer, stranger, undefined, readOnly]) {
          const res = await uploadObjectBatch(server, priv, user, [withId({ speckle_type: 'Base', name: 'refused' })])
          assert.equal(res.status, 401)
          assert.equal(res.text, '')
          assert.equal((await diff(server, priv, user, ids(batch))).status, 401)
        }
      })

      it('answers 401 to upload and diff on an unknown project', async () => {
        assert.equal((await uploadObjectBatch(server, 'nosuchproj', owner, model)).status, 401)
        assert.equal((await diff(server, 'nosuchproj', owner, ids(model))).status, 401)
      })

      it('answers 403 to an invalid token on every route', async () => {
        const headers = { ...bearer(invalid), 'content-type': 'application/json' }
        const calls = [
          ['GET', `/objects/${pub}/${model[0].id}/single`],
          ['GET', `/objects/${pub}/${model[0].id}`],
          ['POST', `/api/getobjects/${pub}`, JSON.stringify({ objects: JSON.stringify(ids(model)) })],
          ['POST', `/api/diff/${pub}`, JSON.stringify({ objects: JSON.stringify(ids(model)) })],
          ['POST', `/api/v2/projects/${pub}/object-stream/`, JSON.stringify({ objectIds: ids(model) })]
        ]
        for (const [method, path, body] of calls) {
          const res = await request(server.url + path, { method, headers, body })
          assert.equal(res.status, 403, path)
        }
        assert.equal((await uploadObjectBatch(server, pub, invalid, model)).status, 403)
      })

      it('lets anyone read a public project and only members read a private one', async () => {
        for (const [project, user, expected] of [[pub, undefined, 200], [pub, stranger, 200], [priv, reviewer, 200],
          [priv, undefined, 401], [priv, stranger, 401]]) {
          const single = await request(`${server.url}/objects/${project}/${model[0].id}/single`, { headers: bearer(user) })
          assert.equal(single.status, expected)
          const { status } = await downloadLines(server, project, user, model[0].id)
          assert.equal(status, expected)
        }
      })

      it('answers object-stream callers without access with a 403 JSON error', async () => {
        const call = (user, project) => request(`${server.url}/api/v2/projects/${project}/object-stream/`, {
          method: 'POST', headers: { ...bearer(user), 'content-type': 'application/json' }, body: JSON.stringify({ objectIds: ids(model) })
        })
        const anonymous = await call(undefined, priv)
        assert.equal(anonymous.status, 403)
        assert.deepEqual(JSON.parse(anonymous.text), { error: 'Your auth token does not have the required scope: streams:read.' })
        const foreign = await call(stranger, priv)
        assert.equal(foreign.status, 403)
        assert.deepEqual(JSON.parse(foreign.text), { error: 'You do not have access to the project' })
        assert.equal((await call(undefined, pub)).status, 200)
      })
    })
  })

  describe(`object size limits on ${backend}`, () => {
    let server, owner, project
    before(async () => {
      server = await startServer({ backend, env: { MAX_OBJECT_SIZE_MB: '1', MAX_OBJECT_UPLOAD_FILE_SIZE_MB: '2' } })
      owner = createUser(server, 'limits')
      project = createProject(server, owner)
    })
    after(async () => { await server?.stop() })

    it('refuses an object over MAX_OBJECT_SIZE_MB with 400 and stores none of its batch', async () => {
      const small = withId({ speckle_type: 'Base', name: 'small' })
      const big = withId({ speckle_type: 'Base', blob: 'x'.repeat(1100 * 1024) })
      const res = await uploadObjectBatch(server, project, owner, [small, big])
      assert.equal(res.status, 400)
      const { map } = await diff(server, project, owner, [small.id, big.id])
      assert.deepEqual(map, { [small.id]: false, [big.id]: false })
    })

    it('refuses a part over MAX_OBJECT_UPLOAD_FILE_SIZE_MB with 413, counting its uncompressed size', async () => {
      const objects = []
      for (let i = 0; i < 6; i++) objects.push(withId({ speckle_type: 'Base', i, blob: 'y'.repeat(500 * 1024) }))
      // About 3 MB of JSON that gzip turns into a few kilobytes.
      const res = await uploadGzipBatches(server, project, owner, objects, 6)
      assert.equal(res.status, 413)
      const { map } = await diff(server, project, owner, ids(objects))
      assert.deepEqual(Object.values(map), [false, false, false, false, false, false])
    })
  })
}
