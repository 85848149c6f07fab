// Object transport benchmark: generates a realistic model, uploads it the way the .NET SDK does
// (gzip batch-N parts), downloads it through GET /objects and object-stream, and prints
// throughput, time to first byte and the server's peak RSS; on PostgreSQL it also times a plain
// COPY of the same rows into and out of a copy of the objects table, and prints our figures as a
// ratio of it. It prints figures and never fails on time.
//
//   node bench/objects/bench.mjs [--objects 200000] [--backends sqlite,postgres]
//
// PostgreSQL needs STIPPLE_TEST_POSTGRES_URL (scripts/test-postgres start DIR prints one).
// STIPPLE_BIN names the binary (default build/stipple).
import http from 'node:http'
import { spawn, execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { createGunzip, gzipSync } from 'node:zlib'
import { startServer } from '../../tests/api/lib/server.mjs'
import { createUser, createProject, multipart, md5 } from '../../tests/api/lib/objects.mjs'

// --- options ------------------------------------------------------------------------------------

function option (name, fallback) {
  const at = process.argv.indexOf(`--${name}`)
  return at >= 0 ? process.argv[at + 1] : fallback
}
const kObjects = Number(option('objects', 200000))
const kBackends = option('backends', process.env.STIPPLE_TEST_POSTGRES_URL ? 'sqlite,postgres' : 'sqlite').split(',')
// Uncompressed JSON per multipart part and parts per request, about what the .NET SDK sends.
const kPartBytes = 2 << 20
const kPartsPerRequest = 4
// Ids per object-stream request, as objectloader2 batches them.
const kStreamBatch = 15000
const MB = 1 << 20

// --- the model ----------------------------------------------------------------------------------

function stamp (object) {
  const id = md5(JSON.stringify(object))
  return JSON.stringify({ id, ...object })
}

// Meshes with their vertices and faces in detached DataChunks, grouped into nested collections,
// under a root whose __closure lists every object. Returns the objects' JSON texts, root first.
function generateModel (total) {
  const texts = []
  const ids = []
  const meshesPerLevel = 100
  let collection = []
  const collections = []
  const chunk = (data) => {
    const text = stamp({ speckle_type: 'Speckle.Core.Models.DataChunk', data, totalChildrenCount: 0 })
    texts.push(text)
    ids.push(text.slice(7, 39))
    return ids[ids.length - 1]
  }
  let n = 0
  while (texts.length + collections.length + 2 < total - 4) {
    const vertices = []
    // Every chunk differs from every other, so ids (content hashes) are unique.
    for (let i = 0; i < 300; i++) vertices.push(Math.round(Math.sin(n * 1000 + i) * 1e6) / 1e3)
    const faces = []
    for (let i = 0; i < 100; i++) faces.push(3, n + i, n + ((i + 1) % 100), n + ((i + 2) % 100))
    const refs = [chunk(vertices.slice(0, 150)), chunk(vertices.slice(150)), chunk(faces)]
    const mesh = stamp({
      speckle_type: 'Objects.Geometry.Mesh',
      applicationId: `mesh-${n}`,
      units: 'm',
      vertices: refs.slice(0, 2).map((r) => ({ referencedId: r, speckle_type: 'reference' })),
      faces: [{ referencedId: refs[2], speckle_type: 'reference' }],
      renderMaterial: { name: `material-${n % 17}`, diffuse: -1 * (n % 255), opacity: 1 },
      __closure: Object.fromEntries(refs.map((r) => [r, 1])),
      totalChildrenCount: 3
    })
    texts.push(mesh)
    ids.push(mesh.slice(7, 39))
    collection.push(ids[ids.length - 1])
    n++
    if (collection.length === meshesPerLevel) {
      collections.push(collection)
      collection = []
    }
  }
  if (collection.length) collections.push(collection)

  // One collection per group of meshes, then the root over them all.
  const collectionIds = []
  for (const [i, members] of collections.entries()) {
    const text = stamp({
      speckle_type: 'Speckle.Core.Models.Collection',
      name: `level-${i}`,
      collectionType: 'layer',
      elements: members.map((id) => ({ referencedId: id, speckle_type: 'reference' })),
      totalChildrenCount: members.length * 4
    })
    texts.push(text)
    ids.push(text.slice(7, 39))
    collectionIds.push(ids[ids.length - 1])
  }
  const root = stamp({
    speckle_type: 'Speckle.Core.Models.Collection',
    name: 'bench model',
    collectionType: 'model',
    elements: collectionIds.map((id) => ({ referencedId: id, speckle_type: 'reference' })),
    __closure: Object.fromEntries(ids.map((id) => [id, 1])),
    totalChildrenCount: ids.length
  })
  return { texts: [root, ...texts], rootId: root.slice(7, 39), ids }
}

// --- measuring ----------------------------------------------------------------------------------

// Samples the server's resident set; peak() also reads the kernel's own high-water mark.
function watchRss (pid) {
  let max = 0
  const read = (field) => {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${field}:\\s+(\\d+) kB`))
    return match ? Number(match[1]) * 1024 : 0
  }
  const timer = setInterval(() => { try { max = Math.max(max, read('VmRSS')) } catch {} }, 50)
  return {
    peak () { try { return Math.max(max, read('VmHWM')) } catch { return max } },
    // Starts a new phase: the kernel's high-water mark and ours start again from now.
    reset () {
      try { writeFileSync(`/proc/${pid}/clear_refs`, '5') } catch {}
      max = 0
    },
    stop () { clearInterval(timer) }
  }
}

// Sends a request and consumes the (gunzipped) answer; resolves to { status, ttfb, bytes, lines }.
function timedRequest (url, { method = 'GET', headers = {}, body } = {}) {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const ttfb = performance.now() - started
      let bytes = 0
      let lines = 0
      const stream = res.headers['content-encoding'] === 'gzip' ? res.pipe(createGunzip()) : res
      stream.on('data', (c) => {
        bytes += c.length
        for (let i = c.indexOf(10); i >= 0; i = c.indexOf(10, i + 1)) lines++
      })
      stream.on('end', () => resolve({ status: res.statusCode, ttfb, bytes, lines }))
      stream.on('error', reject)
    })
    req.on('error', reject)
    if (body) req.write(body)
    req.end()
  })
}

const seconds = (ms) => ms / 1000
const rate = (count, ms) => (count / seconds(ms)).toFixed(0)
const mbps = (bytes, ms) => (bytes / MB / seconds(ms)).toFixed(1)

// --- the phases ---------------------------------------------------------------------------------

// The upload requests' bodies, built (and gzipped) before the clock starts: the figure is the
// server's, not the client's compression.
function uploadBodies (texts) {
  const bodies = []
  let part = []
  let partBytes = 0
  let parts = []
  const flushPart = () => {
    parts.push({ name: `batch-${parts.length}`, type: 'application/gzip', data: gzipSync('[' + part.join(',') + ']', { level: 1 }) })
    part = []
    partBytes = 0
  }
  for (const text of texts) {
    part.push(text)
    partBytes += text.length + 1
    if (partBytes >= kPartBytes) {
      flushPart()
      if (parts.length === kPartsPerRequest) {
        bodies.push(multipart(parts))
        parts = []
      }
    }
  }
  if (part.length) flushPart()
  if (parts.length) bodies.push(multipart(parts))
  return bodies
}

async function uploadModel (server, project, user, bodies) {
  const started = performance.now()
  for (const { body, contentType } of bodies) {
    const res = await timedRequest(`${server.url}/objects/${project}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.token}`, 'content-type': contentType },
      body
    })
    if (res.status !== 201) throw new Error(`upload answered ${res.status}`)
  }
  return performance.now() - started
}

async function objectStream (server, project, user, ids) {
  const started = performance.now()
  let ttfb = 0
  let lines = 0
  let bytes = 0
  for (let i = 0; i < ids.length; i += kStreamBatch) {
    const res = await timedRequest(`${server.url}/api/v2/projects/${project}/object-stream/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json', 'accept-encoding': 'gzip' },
      body: JSON.stringify({ objectIds: ids.slice(i, i + kStreamBatch) })
    })
    if (i === 0) ttfb = res.ttfb
    lines += res.lines
    bytes += res.bytes
  }
  return { ms: performance.now() - started, ttfb, lines, bytes }
}

// COPY of the same rows into, then out of, a copy of the objects table, through psql.
function copyBaseline (databaseUrl, project, texts) {
  const psql = (args, input) => new Promise((resolve, reject) => {
    const child = spawn('psql', [databaseUrl, '-q', '-v', 'ON_ERROR_STOP=1', ...args], { stdio: ['pipe', 'pipe', 'inherit'] })
    let out = 0
    child.stdout.on('data', (c) => { out += c.length })
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`psql exited with ${code}`))))
    const feed = async () => {
      // Waits for the pipe to drain: a gigabyte written at once fails with ENOBUFS.
      if (input) {
        for (const chunk of input()) {
          if (!child.stdin.write(chunk)) await new Promise((resolve) => child.stdin.once('drain', resolve))
        }
      }
      child.stdin.end()
    }
    feed().catch(reject)
  })
  const escape = (s) => s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
  execFileSync('psql', [databaseUrl, '-q', '-c',
    'CREATE TABLE bench_copy (LIKE objects INCLUDING DEFAULTS); ALTER TABLE bench_copy ADD PRIMARY KEY (project_id, id)'])
  const rows = function * () {
    let buffer = ''
    for (const text of texts) {
      buffer += `${project}\t${text.slice(7, 39)}\tBase\t${escape(text)}\t0\n`
      if (buffer.length > MB) { yield buffer; buffer = '' }
    }
    yield buffer
  }
  return (async () => {
    let started = performance.now()
    await psql(['-c', 'COPY bench_copy (project_id, id, speckle_type, data, created_at) FROM STDIN'], rows)
    const inMs = performance.now() - started
    started = performance.now()
    const bytes = await psql(['-c', `COPY (SELECT id, data FROM bench_copy WHERE project_id = '${project}' ORDER BY id) TO STDOUT`])
    const outMs = performance.now() - started
    execFileSync('psql', [databaseUrl, '-q', '-c', 'DROP TABLE bench_copy'])
    return { inMs, outMs, bytes }
  })()
}

// --- main ---------------------------------------------------------------------------------------

const model = generateModel(kObjects)
const bodies = uploadBodies(model.texts)
const jsonBytes = model.texts.reduce((sum, t) => sum + Buffer.byteLength(t), 0)
console.log(`bench/objects: ${model.texts.length} objects, ${(jsonBytes / MB).toFixed(1)} MB of JSON, root closure ${model.ids.length}`)

for (const backend of kBackends) {
  const server = await startServer({ backend, env: { LOG_LEVEL: 'warn' } })
  try {
    const user = createUser(server, 'bench')
    const project = createProject(server, user)
    const rss = watchRss(server.child.pid)
    const count = model.texts.length
    console.log(`\n== ${backend}`)

    const peaks = []
    const phase = (name) => { peaks.push(`${name} ${(rss.peak() / MB).toFixed(0)}`); rss.reset() }
    rss.reset()
    const uploadMs = await uploadModel(server, project, user, bodies)
    console.log(`upload            ${rate(count, uploadMs)} objects/s  ${mbps(jsonBytes, uploadMs)} MB/s  (${seconds(uploadMs).toFixed(1)} s)`)
    phase('upload')

    const started = performance.now()
    const full = await timedRequest(`${server.url}/objects/${project}/${model.rootId}`, {
      headers: { authorization: `Bearer ${user.token}`, accept: 'text/plain', 'accept-encoding': 'gzip' }
    })
    const fullMs = performance.now() - started
    console.log(`GET /objects      ${rate(full.lines, fullMs)} objects/s  ${mbps(full.bytes, fullMs)} MB/s  ttfb ${full.ttfb.toFixed(0)} ms  (${full.lines} objects)`)
    phase('GET /objects')

    const stream = await objectStream(server, project, user, model.ids)
    console.log(`object-stream     ${rate(stream.lines, stream.ms)} objects/s  ${mbps(stream.bytes, stream.ms)} MB/s  ttfb ${stream.ttfb.toFixed(0)} ms  (${stream.lines} objects)`)

    phase('object-stream')
    rss.stop()
    console.log(`server peak RSS   ${peaks.join(' MB, ')} MB`)

    if (backend === 'postgres') {
      const copy = await copyBaseline(server.postgresUrl, project, model.texts)
      console.log(`COPY in          ${rate(count, copy.inMs)} objects/s  ${mbps(jsonBytes, copy.inMs)} MB/s  → upload ratio ${(copy.inMs / uploadMs).toFixed(2)}`)
      console.log(`COPY out         ${rate(count, copy.outMs)} objects/s  ${mbps(copy.bytes, copy.outMs)} MB/s  → GET /objects ratio ${(copy.outMs / fullMs).toFixed(2)}, object-stream ratio ${(copy.outMs / stream.ms).toFixed(2)}`)
    }
  } catch (e) {
    console.log(`${backend}: ${e.message}; the server said:\n${server.output.join('').slice(-2000)}`)
    process.exitCode = 1
  } finally {
    await server.stop()
  }
}
