// The served schema against upstream's signatures, and the fields that answer NOT_IMPLEMENTED.
//
// 1. POSTs the introspection query to a running server and hands the result to
//    tests/schema/check-sdl.mjs --introspection, which prints the coverage per module (types and
//    fields with an identical signature) and fails on any difference.
// 2. Reads the fields no module binds yet from GET /api/_test/not-implemented
//    (STIPPLE_ENABLE_TEST_ROUTES), prints them per module, and checks that docs/api-coverage.md
//    lists exactly those fields and that they answer NOT_IMPLEMENTED rather than null.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getIntrospectionQuery } from 'graphql'
import { backends, startServer, repoRoot } from './lib/server.mjs'
import { gql, signUp } from './lib/accounts.mjs'
import { sharedDir, sharedSkipReason } from './lib/shared.mjs'

const signatures = () => JSON.parse(readFileSync(join(sharedDir, 'compat', 'speckle-schema-signatures.json'), 'utf8'))

// "Type.field" of every field docs/api-coverage.md lists, from its table rows "| `Type.field` |".
function documentedFields () {
  const text = readFileSync(join(repoRoot, 'docs', 'api-coverage.md'), 'utf8')
  return [...text.matchAll(/^\| `([A-Za-z_]+\.[A-Za-z_]+)`/gm)].map((m) => m[1]).sort()
}

function moduleOf (types, name) {
  const [type, field] = name.split('.')
  return types[type]?.fields?.[field]?.module ?? '?'
}

for (const backend of backends()) {
  describe(`served schema coverage (${backend})`, { skip: sharedSkipReason }, () => {
    let server
    before(async () => {
      server = await startServer({ backend, env: { STIPPLE_ENABLE_TEST_ROUTES: 'true' } })
    })
    after(async () => { await server?.stop() })

    it('serves every signature of the signature file unchanged', async () => {
      const { status, body } = await gql(server, null, getIntrospectionQuery({ inputValueDeprecation: true }))
      assert.equal(status, 200)
      assert.equal(body.errors, undefined)
      const dir = mkdtempSync(join(tmpdir(), 'stipple-introspection-'))
      try {
        const file = join(dir, 'introspection.json')
        writeFileSync(file, JSON.stringify(body))
        let output
        try {
          output = execFileSync('node', [join(repoRoot, 'tests', 'schema', 'check-sdl.mjs'), '--introspection', file],
            { encoding: 'utf8' })
        } catch (e) {
          assert.fail(`check-sdl found differences:\n${e.stdout}${e.stderr}`)
        }
        console.log(output)
        assert.match(output, /OK: every signature matches\./)
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    })

    it('lists in docs/api-coverage.md exactly the fields that answer NOT_IMPLEMENTED', async () => {
      const res = await fetch(server.url + '/api/_test/not-implemented')
      assert.equal(res.status, 200)
      const { fields } = await res.json()

      const types = signatures().types
      const perModule = {}
      for (const name of fields) (perModule[moduleOf(types, name)] ??= []).push(name)
      for (const [module, names] of Object.entries(perModule).sort()) {
        console.log(`NOT_IMPLEMENTED ${module} (${names.length}): ${names.join(' ')}`)
      }
      assert.deepEqual(fields, documentedFields())
    })

    it('answers NOT_IMPLEMENTED, not null, for a query field no module binds', async () => {
      const user = await signUp(server, 'Coverage')
      const { status, body } = await gql(server, user.token, '{ comment(id: "x", streamId: "y") { id } }')
      assert.equal(status, 200)
      assert.deepEqual(body.data, { comment: null })
      assert.deepEqual(body.errors.map((e) => [e.message, e.extensions.code]),
        [['Query.comment is not implemented yet.', 'NOT_IMPLEMENTED']])
    })

    it('answers NOT_IMPLEMENTED, not null, for a field a module adds to a core type', async () => {
      const user = await signUp(server, 'Coverage')
      const { status, body } = await gql(server, user.token,
        `mutation { projectMutations { create(input: { name: "p" }) { id
          commentThreads { totalCount } } } }`)
      assert.equal(status, 200)
      assert.deepEqual(body.errors.map((e) => [e.message, e.extensions.code, e.path.join('.')]),
        [['Project.commentThreads is not implemented yet.', 'NOT_IMPLEMENTED',
          'projectMutations.create.commentThreads']])
    })
  })
}
