# Writes cases.json: documents for each validation rule and for execution semantics.
import json

S = "starwars.graphql"
ROOT = {
    "hero": {"__typename": "Human", "id": 1, "name": "Luke", "height": 1.72,
             "friends": [{"__typename": "Droid", "id": "2", "name": "R2", "primaryFunction": "astro"},
                         None, {"__typename": "Human", "id": "3", "name": None}]},
    "search": [{"__typename": "Droid", "id": "d1", "name": "C3"}, {"__typename": "Human", "id": 7}],
    "old": 12, "when": {"x": 1}, "id": 3, "extra": True,
}
cases = []
def case(name, query, **kw):
    c = {"name": name, "schema": kw.pop("schema", S), "query": query, "rootValue": kw.pop("root", ROOT)}
    c.update(kw)
    cases.append(c)

# --- parsing
case("parse: unterminated selection", "{ hero { id }")
case("parse: bad character", "{ hero ? }")
case("parse: unterminated string", '{ search(text: "abc) }')
case("parse: empty document", "")
case("parse: bad number", "{ search(text: 1.x) }")
case("parse: variable in const default", "query($a: Int = $b) { id }")
case("parse: fragment named on", "fragment on on Human { id } { id }")
case("parse: block string", 'query { search(text: """\n   multi\n     line\n""") { ... on Human { id } } }')
case("parse: unicode escape", r'{ search(text: "\u00e9\u{1F600}") { ... on Human { id } } }')

# --- executable definitions, operations
case("ExecutableDefinitions", "{ id } type Foo { a: Int }")
case("UniqueOperationNames", "query A { id } query A { old }")
case("LoneAnonymousOperation", "{ id } query B { old }")
case("SingleFieldSubscriptions", "subscription S { a: id b: old }", schema="subs.graphql")
case("SingleFieldSubscriptions introspection", "subscription { __typename }", schema="subs.graphql")
case("KnownTypeNames", "query($a: Strin) { id } fragment F on Humn { id }")
case("FragmentsOnCompositeTypes", "{ hero { ... on String { x } } } ")
case("FragmentsOnCompositeTypes named", "{ hero { ...F } } fragment F on Episode { x }")
case("VariablesAreInputTypes", "query($a: Human) { id }")
case("ScalarLeafs leaf with selection", "{ id { x } }")
case("ScalarLeafs missing selection", "{ hero }")
case("FieldsOnCorrectType", "{ hero { nam } }")
case("FieldsOnCorrectType abstract", "{ hero { height } }")
case("FieldsOnCorrectType union", "{ search(text: \"a\") { id } }")
case("UniqueFragmentNames", "{ hero { ...F } } fragment F on Human { id } fragment F on Human { id }")
case("KnownFragmentNames", "{ hero { ...Nope } }")
case("NoUnusedFragments", "{ id } fragment F on Human { id }")
case("PossibleFragmentSpreads", "{ hero { ... on Droid { id } } search(text: \"a\") { ...H } } fragment H on Human { id }")
case("PossibleFragmentSpreads impossible", "{ hero { ...on Human { friends { ... on Episode2 { x } } } } }")
case("NoFragmentCycles", "{ hero { ...A } } fragment A on Human { ...B } fragment B on Human { ...A }")
case("NoFragmentCycles self", "{ hero { ...A } } fragment A on Character { name ...A }")
case("UniqueVariableNames", "query($a: Int, $a: Int) { search(text: \"x\", limit: $a) { __typename } }")
case("NoUndefinedVariables", "query Q { search(text: $t) { __typename } }")
case("NoUndefinedVariables via fragment", "query Q { ...F } fragment F on Query { search(text: $t) { __typename } }")
case("NoUnusedVariables", "query Q($a: Int, $b: String!) { search(text: $b) { __typename } }")
case("KnownDirectives", "{ id @foo }")
case("KnownDirectives location", "query @skip(if: true) { id }")
case("UniqueDirectivesPerLocation", "{ id @skip(if: false) @skip(if: false) }")
case("KnownArgumentNames", "{ hero(episod: JEDI) { id } }")
case("KnownArgumentNames directive", "{ id @skip(iff: true) }")
case("UniqueArgumentNames", "{ hero(episode: JEDI, episode: EMPIRE) { id } }")
case("ValuesOfCorrectType int", "{ search(text: \"a\", limit: \"ten\") { __typename } }")
case("ValuesOfCorrectType enum", "{ hero(episode: JEDIS) { id } }")
case("ValuesOfCorrectType enum string", "{ hero(episode: \"JEDI\") { id } }")
case("ValuesOfCorrectType null", "{ search(text: null) { __typename } }")
case("ValuesOfCorrectType input object", "{ search(text: \"a\", filter: {tag: [\"x\"], min: true}) { __typename } }")
case("ValuesOfCorrectType big int", "{ search(text: \"a\", limit: 3000000000) { __typename } }")
case("ValuesOfCorrectType list coercion", "{ search(text: \"a\", filter: {tags: \"x\"}) { __typename } }")
case("ProvidedRequiredArguments", "{ search { __typename } }")
case("ProvidedRequiredArguments directive", "{ id @include }")
case("VariablesInAllowedPosition", "query($t: String) { search(text: $t) { __typename } }")
case("VariablesInAllowedPosition default ok", "query($t: String = \"x\") { search(text: $t) { __typename } }")
case("VariablesInAllowedPosition list", "query($k: [String]) { search(text: \"a\", filter: {tags: $k}) { __typename } }")
case("VariablesInAllowedPosition type", "query($l: String) { search(text: \"a\", limit: $l) { __typename } }")
case("OverlappingFields different fields", "{ hero { x: id x: name } }")
case("OverlappingFields args", "{ hero(episode: JEDI) { id } hero(episode: EMPIRE) { id } }")
case("OverlappingFields nested", "{ hero { friends { id } } hero { friends { id: name } } }")
case("OverlappingFields types", "{ hero { ... on Human { v: height } ... on Droid { v: primaryFunction } } }")
case("OverlappingFields ok same", "{ hero { id id name } hero { name } }")
case("UniqueInputFieldNames", "{ search(text: \"a\", filter: {n: 1, n: 2}) { __typename } }")
case("MaxIntrospectionDepth", "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }")
case("meta field __schema not on hero", "{ hero { __schema { description } } }")

# --- execution
case("exec: fragments on abstract", "{ hero { __typename id ... on Human { height } ...D } } fragment D on Droid { primaryFunction }")
case("exec: aliases and order", "{ z: id a: old hero { n: name i: id } id }")
case("exec: skip and include", "query($s: Boolean!) { id @skip(if: $s) old @include(if: $s) hero { ... @include(if: false) { id } name } }", variables={"s": True})
case("exec: null in non-null list item", "{ hero { friends { id } } }",
     root={"hero": {"__typename": "Human", "id": "1", "friends": [{"__typename": "Human", "id": None}]}})
case("exec: non-null propagates to root", "{ search(text: \"a\") { __typename } }", root={"search": [None]})
case("exec: bad int output", "{ search(text: \"a\") { ... on Human { height } } }",
     root={"search": [{"__typename": "Human", "height": "tall", "id": "1"}]})
case("exec: enum output", "{ __type(name: \"Episode\") { enumValues(includeDeprecated: true) { name isDeprecated deprecationReason } } }")
case("exec: variables coercion error", "query($f: Filter) { search(text: \"a\", filter: $f) { __typename } }", variables={"f": {"min": "x", "bad": 1}})
case("exec: variables missing required", "query($t: String!) { search(text: $t) { __typename } }", variables={})
case("exec: variables null for non-null", "query($t: String!) { search(text: $t) { __typename } }", variables={"t": None})
case("exec: variable list coercion", "query($k: [String!]) { search(text: \"a\", filter: {tags: $k}) { __typename } }", variables={"k": "one"})
case("exec: unknown operation", "query A { id }", operationName="B")
case("exec: operation required", "query A { id } query B { old }")
case("exec: operation chosen", "query A { id } query B { old }", operationName="B")
case("exec: mutation not configured", "mutation { like(id: 1) }", schema="subs.graphql")
case("exec: typename on union", "{ search(text: \"a\") { __typename } }")
case("exec: __type", "{ __type(name: \"Human\") { name kind fields { name args { name defaultValue } } interfaces { name } } }")
case("exec: __type unknown", "{ __type(name: \"Float\") { name } }")
case("exec: id coercion", "{ id hero { id } }", root={"id": 3.5, "hero": {"__typename": "Human", "id": True}})
case("exec: list of wrong type", "{ hero { friends { id } } }", root={"hero": {"__typename": "Human", "friends": {"x": 1}}})
case("exec: abstract unresolved", "{ hero { id } }", root={"hero": {"id": "1"}})
case("exec: custom scalar passthrough", "{ when }", root={"when": [1, {"a": None}]})
case("exec: introspection full", open("introspection_query.graphql").read())

INTROSPECTION = open("introspection_query.graphql").read()
case("speckle: introspection", INTROSPECTION, schema="speckle", root=None)
case("speckle: unknown field", "{ serverInfo { nam } }", schema="speckle", root=None)

json.dump(cases, open("cases.json", "w"), indent=1)
print(len(cases), "cases")
