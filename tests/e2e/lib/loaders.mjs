// The Speckle object loaders from npm, loading a whole model into a list of objects.
import assert from 'node:assert/strict'
import ObjectLoader from '@speckle/objectloader'
import { ObjectLoader2Factory } from '@speckle/objectloader2'

const quiet = () => {}
// The factory's own notices ("Disabled persistent caching …") would go to the console.
ObjectLoader2Factory.logger = quiet

// @speckle/objectloader (v1): /single, then /api/getobjects in up to four parallel slices.
export async function loadWithObjectLoader (server, token, project, rootId) {
  const loader = new ObjectLoader({
    serverUrl: server.url,
    streamId: project,
    objectId: rootId,
    token,
    options: { enableCaching: false, customLogger: quiet, customWarner: quiet }
  })
  const out = []
  for await (const object of loader.getObjectIterator()) out.push(object)
  return out
}

// @speckle/objectloader2: /single, then the object-stream; it fails on any id left undelivered.
export async function loadWithObjectLoader2 (server, token, project, rootId) {
  const loader = ObjectLoader2Factory.createFromUrl({
    serverUrl: server.url,
    streamId: project,
    objectId: rootId,
    token,
    options: { useCache: false, logger: quiet }
  })
  const out = []
  try {
    for await (const object of loader.getObjectIterator()) out.push(object)
  } finally {
    await loader.disposeAsync()
  }
  return out
}

// The objects of a load keyed by id; an object arriving twice fails the test.
export function byId (objects) {
  const map = new Map()
  for (const object of objects) {
    assert.equal(map.has(object.id), false, `object ${object.id} arrived twice`)
    map.set(object.id, object)
  }
  return map
}
