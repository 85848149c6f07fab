// Differential test: runs each case through Stipple's engine (gql_cli) and through graphql-js 16,
// and compares the responses.
//
//   node tests/graphql-diff/run.mjs PATH/TO/gql_cli [GRAPHQL_JS_DIR]
//
// gql_cli is tests/graphql-diff/gql_cli.cpp linked with the engine (src/graphql); graphql-js is
// looked for in tests/schema/node_modules/graphql unless given. make_cases.py writes cases.json.
//
// A case is {name, schema, query, variables?, operationName?, rootValue?} in cases.json; schema
// names a .graphql file beside this script. Values of interfaces and unions name their type in
// `__typename`. Errors compare by message, locations, path and code, in any order.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = process.argv[2];
const jsDir = process.argv[3] ?? path.join(here, '../schema/node_modules/graphql');
const g = createRequire(import.meta.url)(jsDir);

async function reference(sdl, c) {
  let schema;
  try {
    schema = g.buildSchema(sdl);
  } catch (e) {
    return { schemaError: true };
  }
  for (const t of Object.values(schema.getTypeMap())) {
    if (g.isAbstractType(t)) t.resolveType = (v) => v?.__typename;
  }
  let doc;
  try {
    doc = g.parse(c.query);
  } catch (e) {
    return { errors: [{ message: e.message, locations: e.locations, extensions: { code: 'GRAPHQL_PARSE_FAILED' } }] };
  }
  const verrs = g.validate(schema, doc);
  if (verrs.length) {
    return { errors: verrs.map((e) => ({ message: e.message, locations: e.locations, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })) };
  }
  const r = await g.execute({ schema, document: doc, rootValue: c.rootValue, variableValues: c.variables, operationName: c.operationName });
  return JSON.parse(JSON.stringify(r));
}

// Codes graphql-js does not give: the engine adds Apollo's; compare messages only there.
function normalize(r) {
  if (r.crashed) return r;
  if (r.schemaError) return { schemaError: true };
  const out = {};
  if (r.errors) {
    out.errors = r.errors
      .map((e) => JSON.stringify({ message: e.message, locations: e.locations, path: e.path }))
      .sort();
    out.codes = [...new Set(r.errors.map((e) => e.extensions?.code).filter((c) => c && c !== 'INTERNAL_SERVER_ERROR' && c !== 'BAD_USER_INPUT' && c !== 'OPERATION_RESOLUTION_FAILURE'))].sort();
  }
  if ('data' in r) out.data = r.data;
  return out;
}

const cases = JSON.parse(fs.readFileSync(path.join(here, 'cases.json'), 'utf8'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gqldiff-'));
let failed = 0;
// The schema "speckle" is Stipple's own SDL: base.graphql first, then the other files.
function schemaText(name) {
  if (name !== 'speckle') return fs.readFileSync(path.join(here, name), 'utf8');
  const dir = path.join(here, '../../schema');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.graphql') && f !== 'base.graphql').sort();
  return ['base.graphql', ...files].map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
}

for (const c of cases) {
  const sdl = schemaText(c.schema);
  const schemaFile = path.join(tmp, 'schema.graphql');
  fs.writeFileSync(schemaFile, sdl);
  const reqFile = path.join(tmp, 'req.json');
  fs.writeFileSync(reqFile, JSON.stringify(c));
  let ours;
  try {
    ours = JSON.parse(execFileSync(cli, [schemaFile, reqFile], { encoding: 'utf8' }));
  } catch (e) {
    ours = { crashed: String(e.message).slice(0, 200) };
  }
  const theirs = await reference(sdl, c);
  const a = JSON.stringify(normalize(ours));
  const b = JSON.stringify(normalize(theirs));
  if (a !== b) {
    failed++;
    console.log(`FAIL ${c.name}\n  stipple:    ${a}\n  graphql-js: ${b}`);
  }
}
console.log(`${cases.length - failed}/${cases.length} cases agree`);
process.exit(failed ? 1 : 0);
