// Helpers of the object transport suites: accounts and projects made with `stipple admin`, a
// raw HTTP client, and uploaders that mimic the wire formats of the real Speckle senders.
import http from 'node:http'
import { createHash, randomBytes } from 'node:crypto'
import { gzipSync, gunzipSync } from 'node:zlib'
import { runStipple } from './server.mjs'

export const md5 = (text) => createHash('md5').update(text).digest('hex')

// A request with full control of headers and body; a gzip answer is decoded into `text`.
export function request (url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => {
        const raw = Buffer.concat(chunks)
        const zipped = res.headers['content-encoding'] === 'gzip'
        const text = (zipped ? gunzipSync(raw) : raw).toString()
        resolve({ status: res.statusCode, headers: res.headers, raw, text })
      })
    })
    req.on('error', reject)
    if (body !== undefined) req.write(body)
    req.end()
  })
}

// Runs a `stipple admin` command against the server's database; returns its stdout, trimmed.
export function admin (server, args) {
  const env = { STIPPLE_DATA_DIR: server.dataDir, POSTGRES_URL: server.postgresUrl, LOG_LEVEL: 'warn' }
  const result = runStipple(['admin', ...args], env)
  if (result.status !== 0) throw new Error(`stipple admin ${args.join(' ')}: ${result.stderr}`)
  return result.stdout.trim()
}

// A user with a token of the given scopes.
export function createUser (server, name, scopes = 'streams:read,streams:write,profile:read') {
  const email = `${name}.${randomBytes(4).toString('hex')}@example.org`
  const id = admin(server, ['create-user', '--email', email, '--name', name, '--password', 'Stipple-Passw0rd!42'])
  const token = admin(server, ['create-token', '--user', id, '--scopes', scopes, '--name', name])
  return { id, email, token }
}

export function createProject (server, owner, { isPublic = false } = {}) {
  const args = ['create-project', '--owner', owner.id, '--name', 'p-' + randomBytes(3).toString('hex')]
  return admin(server, isPublic ? [...args, '--public'] : args)
}

export function addCollaborator (server, project, user, role) {
  admin(server, ['add-collaborator', '--project', project, '--user', user.id, '--role', role])
}

export const bearer = (user) => (user ? { authorization: `Bearer ${user.token}` } : {})

// --- objects ------------------------------------------------------------------------------------

// `object` with the id objectsender gives it: the md5 of its JSON text, as the first key.
export function withId (object) {
  return { id: md5(JSON.stringify(object)), ...object }
}

// A root collection with `leaves` detached children, ids and closure as the senders make them.
export function makeModel (tag, leaves = 3) {
  const children = []
  for (let i = 0; i < leaves; i++) {
    children.push(withId({ speckle_type: 'Base', name: `${tag}-leaf-${i}`, value: i, totalChildrenCount: 0 }))
  }
  const root = withId({
    speckle_type: 'Speckle.Core.Models.Collection',
    name: tag,
    elements: children.map((c) => ({ referencedId: c.id, speckle_type: 'reference' })),
    __closure: Object.fromEntries(children.map((c) => [c.id, 1])),
    totalChildrenCount: leaves
  })
  return [root, ...children]
}

// --- multipart ----------------------------------------------------------------------------------

// A multipart/form-data body of `parts` ({name, filename?, type?, data}) built byte by byte, so
// tests control every header and can cut the body anywhere.
export function multipart (parts) {
  const boundary = '----stipple' + randomBytes(8).toString('hex')
  const chunks = []
  for (const part of parts) {
    const filename = part.filename === null ? '' : `; filename="${part.filename ?? part.name}"`
    const type = part.type ? `Content-Type: ${part.type}\r\n` : ''
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${filename}\r\n${type}\r\n`))
    chunks.push(Buffer.isBuffer(part.data) ? part.data : Buffer.from(part.data))
    chunks.push(Buffer.from('\r\n'))
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` }
}

export function upload (server, project, user, parts) {
  const { body, contentType } = multipart(parts)
  return request(`${server.url}/objects/${project}`, {
    method: 'POST',
    headers: { ...bearer(user), 'content-type': contentType },
    body
  })
}

// The .NET SDK and specklepy: gzip parts named batch-0, batch-1, … of `batchSize` objects.
export function uploadGzipBatches (server, project, user, objects, batchSize = 2) {
  const parts = []
  for (let i = 0; i * batchSize < objects.length; i++) {
    const batch = objects.slice(i * batchSize, (i + 1) * batchSize)
    parts.push({ name: `batch-${i}`, type: 'application/gzip', data: gzipSync(JSON.stringify(batch)) })
  }
  return upload(server, project, user, parts)
}

// objectsender: one `object-batch` part holding a JSON array, as a Blob of type application/json.
export function uploadObjectBatch (server, project, user, objects) {
  return upload(server, project, user, [{ name: 'object-batch', filename: 'blob', type: 'application/json', data: JSON.stringify(objects) }])
}

// POST /api/diff: `objects` as a JSON-encoded string, in a JSON (objectsender) or urlencoded
// (.NET SDK, specklepy) body. Resolves to { status, map }.
export async function diff (server, project, user, ids, form = 'json') {
  const field = JSON.stringify(ids)
  const body = form === 'json'
    ? JSON.stringify({ objects: field })
    : new URLSearchParams({ objects: field }).toString()
  const type = form === 'json' ? 'application/json' : 'application/x-www-form-urlencoded'
  const res = await request(`${server.url}/api/diff/${project}`, {
    method: 'POST',
    headers: { ...bearer(user), 'content-type': type, 'accept-encoding': 'gzip' },
    body
  })
  return { status: res.status, map: res.status === 200 ? JSON.parse(res.text) : undefined, res }
}

// GET /objects/:p/:id as `id\tjson` lines: [[id, value], …].
export async function downloadLines (server, project, user, id) {
  const res = await request(`${server.url}/objects/${project}/${id}`, {
    headers: { ...bearer(user), accept: 'text/plain', 'accept-encoding': 'gzip' }
  })
  const lines = res.status === 200 ? res.text.split('\n').filter(Boolean) : []
  return {
    status: res.status,
    res,
    rows: lines.map((line) => {
      const tab = line.indexOf('\t')
      return [line.slice(0, tab), JSON.parse(line.slice(tab + 1))]
    })
  }
}

// Reads a .model.jsonl or .objects.jsonl file: the objects in file order.
export function readJsonLines (text) {
  return text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l))
}
