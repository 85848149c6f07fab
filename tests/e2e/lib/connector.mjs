// A desktop connector and the SDKs under it, as far as the wire shows them: the sign-in a v3
// connector goes through, the GraphQL documents the .NET SDK sends (every field behind a `data:`
// alias, as it writes them), its object upload, and the downloads of the .NET SDK and specklepy.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { password } from '../../api/lib/accounts.mjs'
import { request, multipart } from '../../api/lib/objects.mjs'

// The desktop app of the v3 connectors; its callback is a local port of the user's machine.
export const connectorApp = {
  id: 'connectrV3', secret: 'connectrV3', callback: 'http://localhost:29355'
}

let counter = 0
const unique = () => `${process.pid}-${Date.now().toString(36)}-${++counter}`

// --- GraphQL documents ----------------------------------------------------------------------

// AccountFactory.CreateAccount: who the token belongs to and which server this is.
export const accountQuery = `query {
  activeUser { id name email company avatar }
  serverInfo { name company description version migration { movedFrom movedTo } }
}`

// specklepy's authenticate_with_token: the user, then the server.
export const specklepyUserQuery =
  'query User { data:activeUser { id email name bio company avatar verified role } }'

export const specklepyServerQuery = `query Server { serverInfo {
  name company description adminContact canonicalUrl version
  scopes { name description } authStrategies { id name icon } workspaces { workspacesEnabled }
} }`

// The project picker: the user's projects with what the user may do in each.
export const projectsWithPermissions = `query ProjectGetWithPermissions($limit: Int!) {
  data:activeUser { data:projects(limit: $limit) { totalCount items {
    id name role
    permissions {
      canCreateModel { authorized code message } canDelete { authorized code message }
      canLoad { authorized code message } canPublish { authorized code message }
    }
  } } }
}`

export const workspacesQuery =
  'query { data:serverInfo { data:workspaces { data:workspacesEnabled } } }'

export const projectCreate = `mutation ProjectCreate($input: ProjectCreateInput) {
  data:projectMutations { data:create(input: $input) {
    id name description visibility allowPublicComments role createdAt updatedAt sourceApps
  } }
}`

export const modelCreate = `mutation ModelCreate($input: CreateModelInput!) {
  data:modelMutations { data:create(input: $input) {
    id name displayName description createdAt updatedAt
  } }
}`

// The probe for the ingestion API of newer servers; a server without it rejects the document.
export const ingestionProbe = `query ModelPermissions($projectId: String!, $modelId: String!) {
  data:project(id: $projectId) { data:model(id: $modelId) { data:permissions {
    data:canCreateIngestion { authorized code message }
  } } }
}`

const versionFields = `id referencedObject message sourceApplication createdAt previewUrl
  authorUser { id name bio company verified role avatar }`

export const versionCreate = `mutation Create($input: CreateVersionInput!) {
  data:versionMutations { data:create(input: $input) { ${versionFields} } }
}`

export const versionGet = `query VersionGet($projectId: String!, $versionId: String!) {
  data:project(id: $projectId) { data:version(id: $versionId) { ${versionFields} } }
}`

export const modelVersions = `query ModelGetWithVersions($modelId: String!, $projectId: String!,
    $versionsLimit: Int!, $versionsCursor: String) {
  data:project(id: $projectId) { data:model(id: $modelId) {
    id name
    data:versions(limit: $versionsLimit, cursor: $versionsCursor) {
      totalCount cursor items { id referencedObject message sourceApplication }
    }
  } }
}`

export const markReceived = `mutation MarkReceived($input: MarkReceivedVersionInput!) {
  data:versionMutations { data:markReceived(input: $input) }
}`

// --- the client -----------------------------------------------------------------------------

function sdkHeaders (token) {
  return {
    authorization: `Bearer ${token}`,
    'apollographql-client-name': 'stipple-e2e-connector',
    'apollographql-client-version': '3.0.0',
    'x-request-id': randomUUID()
  }
}

// POST /graphql as the .NET SDK does; resolves to { status, body }.
export async function graphql (server, token, query, variables = {}) {
  const res = await fetch(server.url + '/graphql', {
    method: 'POST',
    headers: { ...sdkHeaders(token), 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables })
  })
  return { status: res.status, body: await res.json() }
}

// A document that must succeed; its `data`.
export async function data (server, token, query, variables = {}) {
  const { status, body } = await graphql(server, token, query, variables)
  assert.equal(status, 200, JSON.stringify(body))
  assert.equal(body.errors, undefined, JSON.stringify(body.errors))
  return body.data
}

async function postJson (server, path, body) {
  return fetch(server.url + path, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body)
  })
}

// Signs a new user in as a v3 connector: registration in the browser (the .NET fixtures post it
// as JSON), the browser asking for an access code for the connector's app, and the connector
// trading that code for its tokens. Returns { email, name, webToken, token, refreshToken, steps }
// where `steps` keeps what each step answered, for the test to check.
export async function signInAsConnector (server, name) {
  const email = `${name.toLowerCase()}.${unique()}@example.org`
  const steps = {}

  // The browser registers and lands on the frontend with an access code of the web app.
  const webChallenge = 'web-' + unique()
  const register = await postJson(server, `/auth/local/register?challenge=${webChallenge}`,
    { email, password, name })
  steps.register = { status: register.status, location: register.headers.get('location') }
  const webCode = new URL(steps.register.location).searchParams.get('access_code')
  const web = await postJson(server, '/auth/token',
    { appId: 'spklwebapp', appSecret: 'spklwebapp', accessCode: webCode, challenge: webChallenge })
  steps.webToken = { status: web.status }
  const webToken = (await web.json()).token

  // The connector probes for the OAuth endpoint of newer servers, then opens the browser on its
  // app; the signed-in browser is redirected to the connector's local callback with a code.
  steps.oauthProbe = { status: (await fetch(server.url + '/oauth/token')).status }
  const challenge = 'connector-' + unique()
  const accessCodeUrl = server.url +
    `/auth/accesscode?appId=${connectorApp.id}&challenge=${challenge}&token=${webToken}`
  const accessCode = await fetch(accessCodeUrl, { redirect: 'manual' })
  steps.accessCode = { status: accessCode.status, location: accessCode.headers.get('location') }
  const code = new URL(steps.accessCode.location).searchParams.get('access_code')

  // The connector trades the code for its own token and refresh token.
  const exchange = await postJson(server, '/auth/token',
    { appId: connectorApp.id, appSecret: connectorApp.secret, accessCode: code, challenge })
  const tokens = await exchange.json()
  steps.exchange = { status: exchange.status, keys: Object.keys(tokens).sort() }
  return { email, name, webToken, token: tokens.token, refreshToken: tokens.refreshToken, steps }
}

// --- objects --------------------------------------------------------------------------------

const bearer = (token) => ({ authorization: `Bearer ${token}` })

// POST /api/diff as the .NET SDK: JSON body, `objects` a JSON-encoded list. Resolves to the map.
export async function hasObjects (server, token, project, ids) {
  const res = await request(`${server.url}/api/diff/${project}`, {
    method: 'POST',
    headers: { ...bearer(token), 'content-type': 'application/json', 'accept-encoding': 'gzip' },
    body: JSON.stringify({ objects: JSON.stringify(ids) })
  })
  assert.equal(res.status, 200, res.text)
  return JSON.parse(res.text)
}

// POST /objects as the .NET SDK: gzip parts batch-0, batch-1, … of up to `perPart` objects, up to
// `partsPerRequest` parts in one request. Returns the statuses of the requests.
export async function uploadObjects (server, token, project, objects,
  { perPart = 40, partsPerRequest = 3 } = {}) {
  const parts = []
  for (let i = 0; i < objects.length; i += perPart) {
    const batch = objects.slice(i, i + perPart)
    parts.push({ type: 'application/gzip', data: gzipSync(JSON.stringify(batch)) })
  }
  const statuses = []
  for (let i = 0; i < parts.length; i += partsPerRequest) {
    const named = parts.slice(i, i + partsPerRequest).map((p, n) => ({ ...p, name: `batch-${n}` }))
    const { body, contentType } = multipart(named)
    const res = await request(`${server.url}/objects/${project}`, {
      method: 'POST', headers: { ...bearer(token), 'content-type': contentType }, body
    })
    statuses.push(res.status)
  }
  return statuses
}

// GET /objects/:p/:id/single as both SDKs do; resolves to { status, object }.
export async function getSingle (server, token, project, id) {
  const res = await request(`${server.url}/objects/${project}/${id}/single`, {
    headers: { ...bearer(token), accept: 'text/plain', 'accept-encoding': 'gzip' }
  })
  return { status: res.status, object: res.status === 200 ? JSON.parse(res.text) : undefined }
}

// POST /api/getobjects: specklepy sends `objects` urlencoded, the .NET SDK's legacy ServerAPI as
// JSON; both read `id\tjson` lines. Resolves to { status, rows: [[id, value], …] }.
export async function getObjects (server, token, project, ids, form) {
  const field = JSON.stringify(ids)
  const body = form === 'urlencoded'
    ? new URLSearchParams({ objects: field }).toString()
    : JSON.stringify({ objects: field })
  const type = form === 'urlencoded' ? 'application/x-www-form-urlencoded' : 'application/json'
  const res = await request(`${server.url}/api/getobjects/${project}`, {
    method: 'POST',
    headers: {
      ...bearer(token), 'content-type': type, accept: 'text/plain', 'accept-encoding': 'gzip'
    },
    body
  })
  const lines = res.status === 200 ? res.text.split('\n').filter(Boolean) : []
  return {
    status: res.status,
    rows: lines.map((line) => {
      const tab = line.indexOf('\t')
      return [line.slice(0, tab), JSON.parse(line.slice(tab + 1))]
    })
  }
}

// POST /api/v2/projects/:p/object-stream/ as the current .NET SDK: JSON ids, asking for
// heartbeat lines (`:heartbeat`, which it skips). Resolves to { status, rows, heartbeats }.
export async function streamObjects (server, token, project, ids) {
  const res = await request(`${server.url}/api/v2/projects/${project}/object-stream/`, {
    method: 'POST',
    headers: {
      ...bearer(token),
      'content-type': 'application/json',
      accept: 'text/plain',
      'accept-encoding': 'gzip',
      'x-speckle-object-stream-heartbeats': 'true'
    },
    body: JSON.stringify({ objectIds: ids })
  })
  const lines = res.status === 200 ? res.text.split('\n').filter(Boolean) : []
  const data = lines.filter((line) => line !== ':heartbeat')
  return {
    status: res.status,
    heartbeats: lines.length - data.length,
    rows: data.map((line) => {
      const tab = line.indexOf('\t')
      return [line.slice(0, tab), JSON.parse(line.slice(tab + 1))]
    })
  }
}

// Sends `objects` (root first) into a new version of `model` as a connector does: which objects
// does the server lack, upload those, record the version. Returns { missing, statuses, version }.
export async function sendVersion (server, token, project, model, objects, message) {
  const ids = objects.map((o) => o.id)
  const known = await hasObjects(server, token, project, ids)
  const missing = objects.filter((o) => known[o.id] !== true)
  const statuses = missing.length ? await uploadObjects(server, token, project, missing) : []
  const created = await data(server, token, versionCreate, {
    input: {
      projectId: project,
      modelId: model,
      objectId: objects[0].id,
      message,
      sourceApplication: 'rhino'
    }
  })
  return { known, missing, statuses, version: created.data.data }
}

// projectMutations.create and modelMutations.create; each resolves to what the SDK selects.
export async function createProject (server, token, input) {
  return (await data(server, token, projectCreate, { input })).data.data
}

export async function createModel (server, token, input) {
  return (await data(server, token, modelCreate, { input })).data.data
}
