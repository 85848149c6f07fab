#!/usr/bin/env node
// Checks Stipple's SDL (schema/*.graphql, schema/disabled/*.graphql) against the upstream
// signature file ../shared/compat/speckle-schema-signatures.json.
//
//   node tests/schema/check-sdl.mjs [--schema DIR] [--signatures FILE] [--introspection FILE] [--quiet]
//   node tests/schema/check-sdl.mjs --print-introspection-query
//
// 1. Parses every file with graphql@16; each file names its module in a "# @module NAME"
//    header line ("none" for base.graphql, the only file with module-less definitions).
// 2. Compares every type, kind, owning module, field, field module, return type, argument
//    (type and default), field directive (in order, with arguments), input field, enum value,
//    union member and interface with the signature file.
// 3. Builds the concatenated SDL with buildSchema (base first, the rest in two different
//    orders), validates it, checks applied directive arguments and argument defaults against
//    their declared types, and compares the built schema object with the signatures again.
// 4. With --introspection FILE (a JSON introspection result, e.g. from a running Stipple),
//    also compares the served schema (everything introspection can show: types, fields, args,
//    defaults, deprecations) with the signatures.
// Prints coverage per module and exits 1 on any mismatch.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  parse, print, buildSchema, validateSchema, buildClientSchema, astFromValue, valueFromAST,
  isObjectType, isInputObjectType, isEnumType, isUnionType, isScalarType, isInterfaceType,
  isSpecifiedScalarType, isIntrospectionType, Kind, getIntrospectionQuery,
} from 'graphql';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const schemaDir = path.resolve(opt('--schema', path.join(repo, 'schema')));
const sigFile = path.resolve(opt('--signatures', path.join(repo, '..', 'shared', 'compat', 'speckle-schema-signatures.json')));
const introspectionFile = opt('--introspection', null);
if (!fs.existsSync(sigFile)) {
  console.log(`check-sdl: skipped: the signature file is absent (${sigFile}); ../shared sits beside developer and CI checkouts only`);
  process.exit(0);
}
const quiet = argv.includes('--quiet');
if (argv.includes('--print-introspection-query')) {
  // The query to send to a running server for --introspection: deprecated fields and
  // deprecated input fields must be included, or they are reported missing.
  console.log(getIntrospectionQuery({ inputValueDeprecation: true }));
  process.exit(0);
}

// The `_` placeholders of the root types: upstream's base schema has them (the transcripts show
// `Query._` and `Mutation._` answering), but the signature file, read from module typedefs, does not.
const isPlaceholder = (type, field) => field === '_' && ['Query', 'Mutation', 'Subscription'].includes(type);

const DISABLED_MODULES = new Set(['workspacesCore', 'gatekeeperCore', 'automate', 'dashboards', 'acc', 'gendo', 'multiregion']);
// Defined by upstream code rather than typedefs, hence absent from the signature file.
const BASE_ENUMS = {
  ServerRole: ['SERVER_USER', 'SERVER_ADMIN', 'SERVER_GUEST', 'SERVER_ARCHIVED_USER'],
  StreamRole: ['STREAM_OWNER', 'STREAM_CONTRIBUTOR', 'STREAM_REVIEWER'],
  WorkspaceRole: ['ADMIN', 'MEMBER', 'GUEST'],
};
const BASE_DIRECTIVES = {
  hasScope: '(scope: String!)',
  hasScopes: '(scopes: [String]!)',
  hasServerRole: '(role: ServerRole!)',
  hasStreamRole: '(role: StreamRole!)',
  hasWorkspaceRole: '(role: WorkspaceRole!)',
  isOwner: '',
};

const errors = [];
const err = (module, msg) => errors.push({ module: module ?? '(root)', msg });

// ---------------------------------------------------------------- signatures
const sig = JSON.parse(fs.readFileSync(sigFile, 'utf8')).types;

// ---------------------------------------------------------------- SDL files
function listFiles(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else if (e.name.endsWith('.graphql')) out.push(p);
  }
  return out.sort();
}
const basePath = path.join(schemaDir, 'base.graphql');
const files = listFiles(schemaDir);
if (!files.includes(basePath)) { console.error(`missing ${basePath}`); process.exit(2); }
const others = files.filter((f) => f !== basePath);
const sources = {};
for (const f of files) sources[f] = fs.readFileSync(f, 'utf8');

const KIND = {
  ObjectTypeDefinition: 'Object', ObjectTypeExtension: 'Object',
  InputObjectTypeDefinition: 'InputObject', InputObjectTypeExtension: 'InputObject',
  EnumTypeDefinition: 'Enum', EnumTypeExtension: 'Enum',
  UnionTypeDefinition: 'Union', UnionTypeExtension: 'Union',
  ScalarTypeDefinition: 'Scalar', ScalarTypeExtension: 'Scalar',
  InterfaceTypeDefinition: 'Interface', InterfaceTypeExtension: 'Interface',
};
const fmtDirective = (d) => '@' + d.name.value +
  (d.arguments?.length ? '(' + d.arguments.map((a) => `${a.name.value}:${print(a.value)}`).join(', ') + ')' : '');
const fmtArg = (a) => print(a.type) + (a.defaultValue ? ' = ' + print(a.defaultValue) : '') +
  (a.directives?.length ? ' ' + a.directives.map(fmtDirective).join(' ') : '');

const actual = {}; // name -> {kind, module, file, fields:{}, values, members, interfaces}
const directiveDefs = {};
const fileModule = {};
for (const f of files) {
  const rel = path.relative(schemaDir, f);
  const m = /^#\s*@module\s+(\S+)\s*$/m.exec(sources[f]);
  if (!m) { err(null, `${rel}: no "# @module NAME" header`); continue; }
  const module = m[1] === 'none' ? null : m[1];
  fileModule[f] = module;
  let doc;
  try { doc = parse(sources[f]); } catch (e) { err(module, `${rel}: ${e.message}`); continue; }
  for (const def of doc.definitions) {
    if (def.kind === Kind.DIRECTIVE_DEFINITION) {
      if (module !== null) err(module, `${rel}: directive @${def.name.value} must be defined in base.graphql`);
      directiveDefs[def.name.value] = {
        args: def.arguments?.length ? '(' + def.arguments.map((a) => `${a.name.value}: ${fmtArg(a)}`).join(', ') + ')' : '',
        repeatable: def.repeatable, locations: def.locations.map((l) => l.value),
      };
      continue;
    }
    const kind = KIND[def.kind];
    if (!kind) { err(module, `${rel}: unexpected definition ${def.kind}`); continue; }
    const name = def.name.value;
    const isExt = def.kind.endsWith('Extension');
    let t = actual[name];
    if (!isExt) {
      if (t?.defined) { err(module, `${rel}: type ${name} defined twice (also in ${t.file})`); continue; }
      t = actual[name] = Object.assign(t ?? { fields: {}, values: [], members: [], interfaces: [] },
        { kind, module, file: rel, defined: true });
    } else {
      t = actual[name] ??= { kind, fields: {}, values: [], members: [], interfaces: [], defined: false };
      if (t.kind !== kind) err(module, `${rel}: extend of ${name} with wrong kind ${kind}`);
    }
    for (const fd of def.fields ?? []) {
      const fname = fd.name.value;
      if (t.fields[fname]) { err(module, `${rel}: field ${name}.${fname} declared twice`); continue; }
      const entry = { type: print(fd.type), module, file: rel };
      if (fd.kind === Kind.FIELD_DEFINITION) {
        entry.args = Object.fromEntries((fd.arguments ?? []).map((a) => [a.name.value, fmtArg(a)]));
      } else if (fd.defaultValue) {
        entry.type += ' = ' + print(fd.defaultValue);
      }
      entry.directives = (fd.directives ?? []).map(fmtDirective);
      t.fields[fname] = entry;
    }
    for (const v of def.values ?? []) {
      t.values.push(v.name.value);
      if (v.directives?.length) err(module, `${rel}: enum value ${name}.${v.name.value} carries directives`);
    }
    for (const u of def.types ?? []) t.members.push(u.name.value);
    for (const i of def.interfaces ?? []) t.interfaces.push(i.name.value);
  }
}

// ---------------------------------------------------------------- compare AST with signatures
const cov = {}; // module -> {types, typesOk, fields, fieldsOk}
const covOf = (m) => (cov[m ?? '(root)'] ??= { types: 0, typesOk: 0, fields: 0, fieldsOk: 0 });
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

for (const [name, exp] of Object.entries(sig)) {
  const m = exp.module ?? null;
  const c = covOf(m);
  c.types++;
  const act = actual[name];
  if (!act || !act.defined) { err(m, `type ${name} (${exp.kind}) missing`); }
  let typeOk = !!act?.defined;
  if (act?.defined) {
    if (act.kind !== exp.kind) { typeOk = false; err(m, `${name}: kind ${act.kind}, expected ${exp.kind}`); }
    if (act.module !== m) { typeOk = false; err(m, `${name}: defined in module ${act.module} (${act.file}), expected ${m}`); }
    if (exp.kind === 'Enum' && !same(act.values, exp.values)) { typeOk = false; err(m, `${name}: values ${act.values} expected ${exp.values}`); }
    if (exp.kind === 'Union' && !same(act.members, exp.members)) { typeOk = false; err(m, `${name}: members ${act.members} expected ${exp.members}`); }
    if (!same(act.interfaces, exp.interfaces ?? [])) { typeOk = false; err(m, `${name}: interfaces ${act.interfaces} expected ${exp.interfaces ?? []}`); }
  }
  if (typeOk) c.typesOk++;
  const expFields = exp.fields ?? {};
  for (const [fname, ef] of Object.entries(expFields)) {
    const fc = covOf(ef.module);
    fc.fields++;
    const af = act?.fields[fname];
    const where = `${name}.${fname}`;
    if (!af) { err(ef.module, `field ${where} missing`); continue; }
    let ok = true;
    const chk = (what, a, e) => { if (!same(a, e)) { ok = false; err(ef.module, `${where}: ${what} ${JSON.stringify(a)}, expected ${JSON.stringify(e)}`); } };
    chk('type', af.type, ef.type);
    chk('module', af.module, ef.module);
    if (exp.kind !== 'InputObject') chk('args', af.args ?? {}, ef.args ?? {});
    chk('directives', af.directives, ef.directives ?? []);
    if (ok) fc.fieldsOk++;
  }
  for (const fname of Object.keys(act?.fields ?? {})) {
    if (!(fname in expFields) && !isPlaceholder(name, fname)) err(act.fields[fname].module, `field ${name}.${fname} (${act.fields[fname].file}) is not in the signatures`);
  }
}
for (const [name, act] of Object.entries(actual)) {
  if (name in sig) continue;
  if (name in BASE_ENUMS) {
    if (act.module !== null || act.kind !== 'Enum' || !same(act.values, BASE_ENUMS[name])) err(null, `${name}: must be enum {${BASE_ENUMS[name].join(' ')}} in base.graphql`);
    continue;
  }
  err(act.module, `type ${name} (${act.file ?? 'extension only'}) is not in the signatures`);
}
// directive definitions: exactly those applied in the signatures (plus built-ins)
const usedDirectives = new Set();
for (const t of Object.values(sig)) for (const f of Object.values(t.fields ?? {})) for (const d of f.directives ?? []) usedDirectives.add(/^@(\w+)/.exec(d)[1]);
usedDirectives.delete('deprecated');
for (const d of usedDirectives) {
  if (!directiveDefs[d]) err(null, `directive @${d} is used but not defined`);
}
for (const [d, def] of Object.entries(directiveDefs)) {
  if (!(d in BASE_DIRECTIVES)) { err(null, `unexpected directive definition @${d}`); continue; }
  if (def.args !== BASE_DIRECTIVES[d]) err(null, `@${d} arguments ${def.args}, expected ${BASE_DIRECTIVES[d]}`);
  if (!def.locations.includes('FIELD_DEFINITION')) err(null, `@${d} must be allowed on FIELD_DEFINITION`);
}

// ---------------------------------------------------------------- build & validate
function build(order, label) {
  const text = [basePath, ...order].map((f) => sources[f]).join('\n');
  try {
    const schema = buildSchema(text);
    const v = validateSchema(schema);
    for (const e of v) err(null, `buildSchema (${label}): ${e.message}`);
    return schema;
  } catch (e) {
    err(null, `buildSchema (${label}): ${e.message}`);
    return null;
  }
}
const schema = build(others, 'sorted order');
build([...others].reverse(), 'reverse order');

function checkValues(schema) {
  // applied directive arguments and argument defaults must be valid for their declared types
  for (const t of Object.values(schema.getTypeMap())) {
    if (!(isObjectType(t) || isInterfaceType(t) || isInputObjectType(t))) continue;
    for (const f of Object.values(t.getFields())) {
      for (const d of f.astNode?.directives ?? []) {
        const dd = schema.getDirective(d.name.value);
        for (const a of d.arguments ?? []) {
          const ad = dd?.args.find((x) => x.name === a.name.value);
          if (!ad || valueFromAST(a.value, ad.type) === undefined) err(null, `${t.name}.${f.name}: invalid argument ${print(a.value)} for @${d.name.value}`);
        }
      }
      for (const a of f.args ?? []) {
        if (a.astNode?.defaultValue && valueFromAST(a.astNode.defaultValue, a.type) === undefined) err(null, `${t.name}.${f.name}(${a.name}): invalid default ${print(a.astNode.defaultValue)}`);
      }
    }
  }
}

// Compares a GraphQLSchema (built from the SDL, or from a served introspection result)
// with the signatures, as far as a schema object can show: directives other than
// @deprecated are invisible there, so they are checked on the SDL only.
function compareSchemaObject(schema, label) {
  const problems = [];
  const p = (m, msg) => problems.push({ module: m ?? '(root)', msg: `[${label}] ${msg}` });
  const kindOf = (t) => isObjectType(t) ? 'Object' : isInputObjectType(t) ? 'InputObject' : isEnumType(t) ? 'Enum'
    : isUnionType(t) ? 'Union' : isScalarType(t) ? 'Scalar' : isInterfaceType(t) ? 'Interface' : '?';
  const argStr = (a) => {
    let s = String(a.type);
    if (a.defaultValue !== undefined) s += ' = ' + print(astFromValue(a.defaultValue, a.type));
    return s;
  };
  const deprecation = (dirs) => {
    const d = (dirs ?? []).find((x) => x.startsWith('@deprecated'));
    if (!d) return null;
    const m = /^@deprecated\(reason:(.*)\)$/s.exec(d);
    return m ? JSON.parse(m[1]) : 'No longer supported';
  };
  const tm = schema.getTypeMap();
  for (const [name, exp] of Object.entries(sig)) {
    const t = tm[name];
    if (!t) { p(exp.module, `type ${name} missing`); continue; }
    if (kindOf(t) !== exp.kind) p(exp.module, `${name}: kind ${kindOf(t)}, expected ${exp.kind}`);
    if (exp.kind === 'Enum' && !same(t.getValues().map((v) => v.name), exp.values)) p(exp.module, `${name}: enum values differ`);
    if (exp.kind === 'Union' && !same(t.getTypes().map((x) => x.name), exp.members)) p(exp.module, `${name}: union members differ`);
    if (!t.getFields) continue;
    const af = t.getFields();
    for (const [fname, ef] of Object.entries(exp.fields ?? {})) {
      const f = af[fname];
      const where = `${name}.${fname}`;
      if (!f) { p(ef.module, `field ${where} missing`); continue; }
      if (exp.kind === 'InputObject') {
        const at = String(f.type) + (f.defaultValue !== undefined ? ' = ' + print(astFromValue(f.defaultValue, f.type)) : '');
        if (at !== ef.type) p(ef.module, `${where}: type ${at}, expected ${ef.type}`);
      } else {
        if (String(f.type) !== ef.type) p(ef.module, `${where}: type ${f.type}, expected ${ef.type}`);
        const aa = Object.fromEntries(f.args.map((a) => [a.name, argStr(a)]));
        if (!same(aa, ef.args ?? {})) p(ef.module, `${where}: args ${JSON.stringify(aa)}, expected ${JSON.stringify(ef.args ?? {})}`);
      }
      const dep = deprecation(ef.directives);
      if ((f.deprecationReason ?? null) !== dep) p(ef.module, `${where}: deprecation ${JSON.stringify(f.deprecationReason)}, expected ${JSON.stringify(dep)}`);
    }
    for (const fname of Object.keys(af)) if (!(fname in (exp.fields ?? {})) && !isPlaceholder(name, fname)) p(exp.module, `field ${name}.${fname} is not in the signatures`);
  }
  for (const [name, t] of Object.entries(tm)) {
    if (name in sig || name in BASE_ENUMS || isIntrospectionType(t) || isSpecifiedScalarType(t)) continue;
    p(null, `type ${name} is not in the signatures`);
  }
  return problems;
}

if (schema) {
  checkValues(schema);
  errors.push(...compareSchemaObject(schema, 'built schema'));
}
if (introspectionFile) {
  let data = JSON.parse(fs.readFileSync(introspectionFile, 'utf8'));
  data = data.data ?? data;
  try {
    errors.push(...compareSchemaObject(buildClientSchema(data), 'introspection'));
  } catch (e) { err(null, `introspection: ${e.message}`); }
}

// ---------------------------------------------------------------- report
const errCount = {};
for (const e of errors) errCount[e.module] = (errCount[e.module] ?? 0) + 1;
const mods = Object.keys(cov).sort((a, b) => {
  const da = DISABLED_MODULES.has(a), db = DISABLED_MODULES.has(b);
  return da === db ? a.localeCompare(b) : da ? 1 : -1;
});
const pad = (s, n) => String(s).padEnd(n);
console.log(`signatures: ${path.relative(process.cwd(), sigFile) || sigFile}`);
console.log(`SDL files:  ${files.length} under ${path.relative(process.cwd(), schemaDir) || '.'}\n`);
console.log(pad('module', 16) + pad('served as', 11) + pad('types', 10) + pad('fields', 12) + 'problems');
let tt = 0, tto = 0, ff = 0, ffo = 0;
for (const m of mods) {
  const c = cov[m];
  tt += c.types; tto += c.typesOk; ff += c.fields; ffo += c.fieldsOk;
  const servedAs = m === '(root)' ? 'base' : DISABLED_MODULES.has(m) ? 'disabled' : m === 'viewer' ? 'partly' : 'enabled';
  console.log(pad(m, 16) + pad(servedAs, 11) + pad(`${c.typesOk}/${c.types}`, 10) + pad(`${c.fieldsOk}/${c.fields}`, 12) + (errCount[m] ?? 0));
}
console.log(pad('TOTAL', 27) + pad(`${tto}/${tt}`, 10) + pad(`${ffo}/${ff}`, 12) + errors.length);
console.log(`\nbuildSchema: ${schema ? 'ok' : 'FAILED'} (${schema ? Object.keys(schema.getTypeMap()).filter((n) => !n.startsWith('__')).length + ' named types, ' + Object.keys(schema.getQueryType().getFields()).length + ' Query / ' + Object.keys(schema.getMutationType().getFields()).length + ' Mutation / ' + Object.keys(schema.getSubscriptionType().getFields()).length + ' Subscription fields' : ''})`);
if (introspectionFile) console.log(`introspection: compared ${introspectionFile}`);
if (errors.length) {
  console.log(`\n${errors.length} mismatch(es):`);
  for (const e of errors.slice(0, quiet ? 20 : errors.length)) console.log(`  [${e.module}] ${e.msg}`);
  process.exit(1);
}
console.log('\nOK: every signature matches.');
