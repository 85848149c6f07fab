#!/usr/bin/env python3
"""One-time generator: turns the upstream signature file into Stipple's SDL skeleton.

    python3 scripts/schema/gen_sdl.py [--signatures PATH] [--out schema]

It writes schema/base.graphql, one file per enabled upstream module under schema/ and
one file per switched-off module under schema/disabled/, adding the descriptions from
scripts/schema/descriptions.py.

The committed .graphql files are the source of truth. This script was used to create
them; re-running it OVERWRITES hand edits. Use scripts/schema/check_sdl.py to verify
the committed files instead.
"""
import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from descriptions import BASE_DESCRIPTIONS, D, MODULE_INTRO  # noqa: E402

ENABLED = ["core", "auth", "webhooks", "fileuploads", "blobstorage", "serverinvites",
           "activitystream", "comments", "emails", "notifications", "stats",
           "accessrequests", "viewer"]
DISABLED = ["workspacesCore", "gatekeeperCore", "automate", "dashboards", "acc", "gendo",
            "multiregion"]

# The viewer module is split: resource resolution is implemented, saved views and shares
# are served switched off (schema/disabled/viewer-saved-views.graphql).
VIEWER_ENABLED_TYPES = {"ViewerResourceGroup", "ViewerResourceItem",
                        "ExtendedViewerResourcesRequest", "ExtendedViewerResources",
                        "SavedViewsLoadSettings"}
VIEWER_ENABLED_FIELDS = {("Project", "viewerResources"), ("Project", "viewerResourcesExtended"),
                         ("Model", "resourceIdString")}

BASE_SDL = '''
"""{hasScope}"""
directive @hasScope(scope: String!) on FIELD_DEFINITION

"""{hasScopes}"""
directive @hasScopes(scopes: [String]!) on FIELD_DEFINITION

"""{hasServerRole}"""
directive @hasServerRole(role: ServerRole!) on FIELD_DEFINITION

"""{hasStreamRole}"""
directive @hasStreamRole(role: StreamRole!) on FIELD_DEFINITION

"""{hasWorkspaceRole}"""
directive @hasWorkspaceRole(role: WorkspaceRole!) on FIELD_DEFINITION

"""{isOwner}"""
directive @isOwner on FIELD_DEFINITION

"""{ServerRole}"""
enum ServerRole {{
  SERVER_USER
  SERVER_ADMIN
  SERVER_GUEST
  SERVER_ARCHIVED_USER
}}

"""{StreamRole}"""
enum StreamRole {{
  STREAM_OWNER
  STREAM_CONTRIBUTOR
  STREAM_REVIEWER
}}

"""{WorkspaceRole}"""
enum WorkspaceRole {{
  ADMIN
  MEMBER
  GUEST
}}

"""{Query}"""
type Query

"""{Mutation}"""
type Mutation

"""{Subscription}"""
type Subscription
'''

KIND_KEYWORD = {"Object": "type", "InputObject": "input", "Enum": "enum", "Union": "union",
                "Scalar": "scalar", "Interface": "interface"}


def desc(text, indent=""):
    if not text:
        return ""
    if "\n" in text or '"' in text:
        body = text.replace('"""', '\\"""')
        lines = [indent + '"""'] + [indent + ln for ln in body.split("\n")] + [indent + '"""']
        return "\n".join(lines) + "\n"
    return f'{indent}"{text}"\n'


def fmt_directive(d):
    """'@hasScope(scope:"x")' -> '@hasScope(scope: "x")' (single-argument directives)."""
    m = re.fullmatch(r'@(\w+)(?:\((\w+):(.*)\))?', d, re.S)
    if not m:
        raise ValueError(f"unexpected directive form: {d}")
    name, arg, val = m.groups()
    return f"@{name}" if arg is None else f"@{name}({arg}: {val})"


def fmt_field(tname, fname, f, default_desc=None):
    out = desc(D.get(f"{tname}.{fname}", default_desc), "  ")
    args = f.get("args") or {}
    argtxt = ""
    if args:
        parts = [f"{an}: {at}" for an, at in args.items()]
        one = "(" + ", ".join(parts) + ")"
        if len(one) + len(fname) + 2 <= 90:
            argtxt = one
        else:
            argtxt = "(\n" + "".join(f"    {p}\n" for p in parts) + "  )"
    dirs = "".join(" " + fmt_directive(x) for x in f.get("directives") or [])
    return out + f"  {fname}{argtxt}: {f['type']}{dirs}\n"


def fmt_type(name, t, fields=None, extend=False, default_field_desc=None):
    kind = t["kind"]
    kw = KIND_KEYWORD[kind]
    head = "" if extend else desc(D.get(name))
    prefix = "extend " if extend else ""
    if kind == "Scalar":
        return f"{head}scalar {name}\n"
    if kind == "Union":
        return f"{head}union {name} = " + " | ".join(t["members"]) + "\n"
    if kind == "Enum":
        return f"{head}{prefix}enum {name} {{\n" + "".join(f"  {v}\n" for v in t["values"]) + "}\n"
    fields = t["fields"] if fields is None else fields
    ifaces = t.get("interfaces") or []
    impl = (" implements " + " & ".join(ifaces)) if ifaces and not extend else ""
    body = "".join(fmt_field(name, fn, f, default_field_desc) for fn, f in fields.items())
    return f"{head}{prefix}{kw} {name}{impl} {{\n{body}}}\n"


def file_key(type_name, type_module, field_name, field_module):
    """Which output file a (type, field) belongs to."""
    m = field_module if field_name is not None else type_module
    if m == "viewer":
        if field_name is None:
            return "viewer" if type_name in VIEWER_ENABLED_TYPES else "viewer-disabled"
        if (type_name, field_name) in VIEWER_ENABLED_FIELDS or (
                type_module == "viewer" and type_name in VIEWER_ENABLED_TYPES):
            return "viewer"
        return "viewer-disabled"
    return m


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.abspath(os.path.join(here, "..", ".."))
    ap = argparse.ArgumentParser()
    ap.add_argument("--signatures", default=os.path.join(
        root, "..", "shared", "compat", "speckle-schema-signatures.json"))
    ap.add_argument("--out", default=os.path.join(root, "schema"))
    a = ap.parse_args()

    types = json.load(open(a.signatures))["types"]
    keys = ENABLED + ["viewer-disabled"] + DISABLED
    defs = {k: [] for k in keys}    # full type definitions
    exts = {k: {} for k in keys}    # type name -> {field: sig}

    for tname, t in types.items():
        tmod = t.get("module")
        own = {}
        tkey = file_key(tname, tmod, None, None) if tmod else None
        for fname, f in (t.get("fields") or {}).items():
            fkey = file_key(tname, tmod, fname, f["module"])
            if fkey == tkey:
                own[fname] = f
            else:
                exts[fkey].setdefault(tname, {})[fname] = f
        if tkey is not None:
            defs[tkey].append((tname, t, own))

    def path_for(k):
        if k == "viewer-disabled":
            return os.path.join(a.out, "disabled", "viewer-saved-views.graphql")
        if k in DISABLED:
            return os.path.join(a.out, "disabled", f"{k}.graphql")
        return os.path.join(a.out, f"{k}.graphql")

    os.makedirs(os.path.join(a.out, "disabled"), exist_ok=True)
    banner = ("# Stipple GraphQL schema. Written for Stipple; signatures follow the Speckle protocol.\n")

    with open(os.path.join(a.out, "base.graphql"), "w") as fh:
        fh.write(banner + "# @module none\n#\n")
        fh.write("".join(f"# {ln}\n" for ln in MODULE_INTRO[None].split("\n")))
        fh.write(BASE_SDL.format(**BASE_DESCRIPTIONS))

    for k in keys:
        module = "viewer" if k == "viewer-disabled" else k
        disabled = k in DISABLED or k == "viewer-disabled"
        parts = []
        for tname, t, own in defs[k]:
            if t["kind"] in ("Object", "InputObject", "Interface") and not own:
                raise SystemExit(f"type {tname} would have no own fields in {k}")
            parts.append(fmt_type(tname, t, own))
        for tname, fields in exts[k].items():
            parts.append(fmt_type(tname, types[tname], fields, extend=True,
                                  default_field_desc=("Switched off on Stipple (answers as with "
                                                      "the feature disabled).") if disabled else None))
        with open(path_for(k), "w") as fh:
            fh.write(banner + f"# @module {module}\n#\n")
            fh.write("".join(f"# {ln}\n" for ln in MODULE_INTRO[k].split("\n")))
            fh.write("\n" + "\n".join(parts))
        print(f"wrote {os.path.relpath(path_for(k), a.out)}: {len(defs[k])} types, "
              f"{sum(len(v) for v in exts[k].values())} extension fields")


if __name__ == "__main__":
    main()
