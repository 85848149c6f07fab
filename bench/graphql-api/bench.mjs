// GraphQL API benchmark: starts `stipple serve`, fills a project with models and versions, then
// sends three requests over and over from a few concurrent clients and prints requests/s and the
// p50/p99 latency of each:
//   - serverInfo, the first query every connector sends;
//   - a project page: a project with its models and each model's latest version;
//   - versionMutations.create, what a connector sends after uploading objects.
// It prints figures and never fails on time.
//
//   node bench/graphql-api/bench.mjs [--models 50] [--seconds 10] [--clients 4] [--backends sqlite,postgres]
//
// PostgreSQL needs STIPPLE_TEST_POSTGRES_URL (scripts/test-postgres start DIR prints one).
// STIPPLE_BIN names the binary (default build/stipple).
import http from 'node:http'
import { startServer } from '../../tests/api/lib/server.mjs'
import { signUp, data } from '../../tests/api/lib/accounts.mjs'

// --- options ------------------------------------------------------------------------------------

function option (name, fallback) {
  const at = process.argv.indexOf(`--${name}`)
  return at >= 0 ? process.argv[at + 1] : fallback
}
const kModels = Number(option('models', 50))
const kSeconds = Number(option('seconds', 10))
const kClients = Number(option('clients', 4))
const kBackends = option('backends', process.env.STIPPLE_TEST_POSTGRES_URL ? 'sqlite,postgres' : 'sqlite').split(',')

// --- the requests -------------------------------------------------------------------------------

const serverInfoQuery = `{ serverInfo { name version canonicalUrl configuration { objectSizeLimitBytes } } }`

const projectPageQuery = `query($id: String!) { project(id: $id) { id name visibility role updatedAt
  models(limit: 100) { totalCount cursor items { id name displayName updatedAt previewUrl
    versions(limit: 1) { totalCount items { id message createdAt sourceApplication
      referencedObject authorUser { id name avatar } } } } } } }`

const createVersionMutation = `mutation($i: CreateVersionInput!) {
  versionMutations { create(input: $i) { id } } }`

// --- the load -----------------------------------------------------------------------------------

const agent = new http.Agent({ keepAlive: true, maxSockets: kClients })

// One POST /graphql over a kept-alive connection; resolves with the response's status.
function post (server, token, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}/graphql`, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }
    }, (res) => {
      let text = ''
      res.on('data', (c) => { text += c })
      res.on('end', () => {
        if (res.statusCode !== 200 || text.includes('"errors"')) reject(new Error(`${res.statusCode} ${text.slice(0, 300)}`))
        else resolve()
      })
    })
    req.on('error', reject)
    req.end(body)
  })
}

// Sends `body()` from kClients concurrent loops for kSeconds; returns requests/s and latencies.
async function load (server, token, body) {
  const latencies = []
  const deadline = performance.now() + kSeconds * 1000
  const started = performance.now()
  const client = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now()
      await post(server, token, body())
      latencies.push(performance.now() - t0)
    }
  }
  await Promise.all(Array.from({ length: kClients }, client))
  const elapsed = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]
  return { count: latencies.length, rps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99) }
}

function report (name, r) {
  console.log(`${name.padEnd(26)} ${r.rps.toFixed(0).padStart(6)} req/s   p50 ${r.p50.toFixed(2).padStart(7)} ms   p99 ${r.p99.toFixed(2).padStart(7)} ms   (${r.count} requests)`)
}

// --- the data -----------------------------------------------------------------------------------

// A project with kModels models of 3 versions each; returns what the requests need.
async function populate (server, token) {
  const project = await data(server, token,
    'mutation { projectMutations { create(input: { name: "bench" }) { id } } }')
  const projectId = project.projectMutations.create.id
  const objects = await data(server, token,
    'mutation($i: ObjectCreateInput!) { objectCreate(objectInput: $i) }',
    { i: { streamId: projectId, objects: [{ speckle_type: 'Base', name: 'bench root' }] } })
  const objectId = objects.objectCreate[0]
  let firstModel
  for (let m = 0; m < kModels; m++) {
    const model = await data(server, token,
      'mutation($i: CreateModelInput!) { modelMutations { create(input: $i) { id } } }',
      { i: { projectId, name: `building ${m}/level ${m % 7}` } })
    const modelId = model.modelMutations.create.id
    firstModel ??= modelId
    for (let v = 0; v < 3; v++) {
      await post(server, token, JSON.stringify({
        query: createVersionMutation,
        variables: { i: { projectId, modelId, objectId, message: `v${v}`, sourceApplication: 'bench' } }
      }))
    }
  }
  return { projectId, modelId: firstModel, objectId }
}

// --- main ---------------------------------------------------------------------------------------

console.log(`bench/graphql-api: ${kClients} clients, ${kSeconds} s per request, a project of ${kModels} models`)

for (const backend of kBackends) {
  const server = await startServer({ backend, env: { LOG_LEVEL: 'warn' } })
  try {
    const user = await signUp(server, 'Bench')
    const { projectId, modelId, objectId } = await populate(server, user.token)
    console.log(`\n== ${backend}`)

    const info = JSON.stringify({ query: serverInfoQuery })
    report('serverInfo', await load(server, user.token, () => info))

    const page = JSON.stringify({ query: projectPageQuery, variables: { id: projectId } })
    report(`project page (${kModels} models)`, await load(server, user.token, () => page))

    let n = 0
    const create = () => JSON.stringify({
      query: createVersionMutation,
      variables: { i: { projectId, modelId, objectId, message: `bench ${++n}`, sourceApplication: 'bench' } }
    })
    report('versionMutations.create', await load(server, user.token, create))
  } catch (e) {
    console.log(`${backend}: ${e.message}; the server said:\n${server.output.join('').slice(-2000)}`)
    process.exitCode = 1
  } finally {
    await server.stop()
  }
}
agent.destroy()
