// Who may do what to a project, its models and its versions: every caller (anonymous, reviewer,
// contributor, owner, server admin) against a public and a private project, for the main queries
// and mutations of the new and the legacy API. Each cell is the code of the first error, or OK.
//
// The expectations follow upstream's rules: a public project is readable by anyone; a private
// one only by its members; mutations need a token (UNAUTHORIZED without one: every mutation
// namespace asks for a server role); creating models and versions needs contributor; updating
// a model too; deleting a model or changing a version needs its author or an owner; project
// settings and deletion need owner. The server admin is not a member of the project and gets no
// more than a stranger, since admin override is off by default.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { backends, startServer } from './lib/server.mjs'
import { signUp, gql, data } from './lib/accounts.mjs'
import { addCollaborator } from './lib/objects.mjs'

const ROLES = ['anonymous', 'reviewer', 'contributor', 'owner', 'admin']
let unique = 0
const fresh = (prefix) => `${prefix}-${++unique}`

// The code a call answered: OK, or the code of its first error.
function codeOf ({ status, body }) {
  assert.equal(status, 200, JSON.stringify(body))
  return body.errors ? body.errors[0].extensions.code : 'OK'
}

// --- fixtures -------------------------------------------------------------------------------------

async function createProject (server, owner, visibility) {
  const d = await data(server, owner.token,
    'mutation($i: ProjectCreateInput!) { projectMutations { create(input: $i) { id } } }',
    { i: { name: fresh('project'), visibility } })
  return d.projectMutations.create.id
}

async function createModel (server, owner, projectId) {
  const d = await data(server, owner.token,
    'mutation($i: CreateModelInput!) { modelMutations { create(input: $i) { id } } }',
    { i: { projectId, name: fresh('model') } })
  return d.modelMutations.create.id
}

async function createVersion (server, owner, project) {
  const d = await data(server, owner.token,
    'mutation($i: CreateVersionInput!) { versionMutations { create(input: $i) { id } } }',
    { i: { projectId: project.id, modelId: project.modelId, objectId: project.objectId } })
  return d.versionMutations.create.id
}

// A project of `visibility` with a reviewer and a contributor, a model, an object and a version.
async function createTeamProject (server, users, visibility) {
  const id = await createProject(server, users.owner, visibility)
  addCollaborator(server, id, users.reviewer, 'stream:reviewer')
  addCollaborator(server, id, users.contributor, 'stream:contributor')
  const objects = await data(server, users.owner.token,
    'mutation($i: ObjectCreateInput!) { objectCreate(objectInput: $i) }',
    { i: { streamId: id, objects: [{ speckle_type: 'Base', visibility }] } })
  const project = { id, objectId: objects.objectCreate[0] }
  project.modelId = await createModel(server, users.owner, id)
  project.versionId = await createVersion(server, users.owner, project)
  return project
}

// --- operations -------------------------------------------------------------------------------------

// Each operation runs one call as `caller` on `project`. Calls that change or remove something the
// other cells read work on a copy the owner makes first.
const operations = {
  project: (s, caller, p) => gql(s, caller, 'query($p: String!) { project(id: $p) { id } }', { p: p.id }),
  'project.models': (s, caller, p) =>
    gql(s, caller, 'query($p: String!) { project(id: $p) { models { totalCount } } }', { p: p.id }),
  'project.versions': (s, caller, p) =>
    gql(s, caller, 'query($p: String!) { project(id: $p) { versions { totalCount } } }', { p: p.id }),
  model: (s, caller, p) => gql(s, caller,
    'query($p: String!, $m: String!) { project(id: $p) { model(id: $m) { id } } }', { p: p.id, m: p.modelId }),
  version: (s, caller, p) => gql(s, caller,
    'query($p: String!, $v: String!) { project(id: $p) { version(id: $v) { id } } }', { p: p.id, v: p.versionId }),
  stream: (s, caller, p) => gql(s, caller, 'query($p: String!) { stream(id: $p) { id } }', { p: p.id }),

  'modelMutations.create': (s, caller, p) => gql(s, caller,
    'mutation($i: CreateModelInput!) { modelMutations { create(input: $i) { id } } }',
    { i: { projectId: p.id, name: fresh('created') } }),
  'modelMutations.update': (s, caller, p) => gql(s, caller,
    'mutation($i: UpdateModelInput!) { modelMutations { update(input: $i) { id } } }',
    { i: { projectId: p.id, id: p.modelId, description: fresh('described') } }),
  'modelMutations.delete': async (s, caller, p, users) => gql(s, caller,
    'mutation($i: DeleteModelInput!) { modelMutations { delete(input: $i) } }',
    { i: { projectId: p.id, id: await createModel(s, users.owner, p.id) } }),

  'versionMutations.create': (s, caller, p) => gql(s, caller,
    'mutation($i: CreateVersionInput!) { versionMutations { create(input: $i) { id } } }',
    { i: { projectId: p.id, modelId: p.modelId, objectId: p.objectId } }),
  'versionMutations.update': (s, caller, p) => gql(s, caller,
    'mutation($i: UpdateVersionInput!) { versionMutations { update(input: $i) { id } } }',
    { i: { projectId: p.id, versionId: p.versionId, message: fresh('message') } }),
  'versionMutations.delete': async (s, caller, p, users) => gql(s, caller,
    'mutation($i: DeleteVersionsInput!) { versionMutations { delete(input: $i) } }',
    { i: { projectId: p.id, versionIds: [await createVersion(s, users.owner, p)] } }),

  'projectMutations.update': (s, caller, p) => gql(s, caller,
    'mutation($u: ProjectUpdateInput!) { projectMutations { update(update: $u) { id } } }',
    { u: { id: p.id, description: fresh('description') } }),
  'projectMutations.delete': async (s, caller, p, users) => {
    const copy = await createTeamProject(s, users, p.visibility)
    return gql(s, caller, 'mutation($p: String!) { projectMutations { delete(id: $p) } }', { p: copy.id })
  },

  streamUpdate: (s, caller, p) => gql(s, caller,
    'mutation($u: StreamUpdateInput!) { streamUpdate(stream: $u) }',
    { u: { id: p.id, description: fresh('legacy description') } }),
  branchCreate: (s, caller, p) => gql(s, caller,
    'mutation($b: BranchCreateInput!) { branchCreate(branch: $b) }',
    { b: { streamId: p.id, name: fresh('branch') } }),
  commitCreate: (s, caller, p) => gql(s, caller,
    'mutation($c: CommitCreateInput!) { commitCreate(commit: $c) }',
    { c: { streamId: p.id, branchName: 'main', objectId: p.objectId } })
}

// --- expectations -------------------------------------------------------------------------------

// Per operation: the codes for anonymous, reviewer, contributor, owner and admin, on the public
// project and on the private one.
const READ = { PUBLIC: ['OK', 'OK', 'OK', 'OK', 'OK'], PRIVATE: ['FORBIDDEN', 'OK', 'OK', 'OK', 'FORBIDDEN'] }
const CONTRIBUTE = ['UNAUTHORIZED', 'FORBIDDEN', 'OK', 'OK', 'FORBIDDEN']
const OWN = ['UNAUTHORIZED', 'FORBIDDEN', 'FORBIDDEN', 'OK', 'FORBIDDEN']
const both = (row) => ({ PUBLIC: row, PRIVATE: row })

const expected = {
  project: READ,
  'project.models': READ,
  'project.versions': READ,
  model: READ,
  version: READ,
  stream: READ,
  'modelMutations.create': both(CONTRIBUTE),
  'modelMutations.update': both(CONTRIBUTE),
  'modelMutations.delete': both(OWN), // the owner's model: its author or an owner
  'versionMutations.create': both(CONTRIBUTE),
  'versionMutations.update': both(OWN), // the owner's version: its author or an owner
  'versionMutations.delete': both(OWN),
  'projectMutations.update': both(OWN),
  'projectMutations.delete': both(OWN),
  streamUpdate: both(OWN),
  branchCreate: both(CONTRIBUTE),
  commitCreate: both(CONTRIBUTE)
}

for (const backend of backends()) {
  describe(`permission matrix (${backend})`, () => {
    let server
    const users = {}
    const projects = {}
    before(async () => {
      server = await startServer({ backend })
      // The first account of a server is its admin.
      users.admin = await signUp(server, 'Admin')
      users.owner = await signUp(server, 'Owner')
      users.reviewer = await signUp(server, 'Reviewer')
      users.contributor = await signUp(server, 'Contributor')
      for (const visibility of ['PUBLIC', 'PRIVATE']) {
        projects[visibility] = { ...(await createTeamProject(server, users, visibility)), visibility }
      }
    })
    after(async () => { await server?.stop() })

    for (const [name, run] of Object.entries(operations)) {
      it(`${name}: ${JSON.stringify(expected[name])}`, async () => {
        const served = {}
        for (const visibility of ['PUBLIC', 'PRIVATE']) {
          served[visibility] = []
          for (const role of ROLES) {
            const token = role === 'anonymous' ? null : users[role].token
            served[visibility].push(codeOf(await run(server, token, projects[visibility], users)))
          }
        }
        assert.deepEqual(served, expected[name])
      })
    }
  })
}
