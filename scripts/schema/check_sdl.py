#!/usr/bin/env python3
"""Check the committed SDL (schema/) against ../shared/compat/speckle-schema-signatures.json.

    python3 scripts/schema/check_sdl.py [--install] [extra args for check-sdl.mjs]

Thin wrapper around tests/schema/check-sdl.mjs, which parses the SDL with graphql@16,
compares every type/field/argument/default/directive with the signature file, builds
and validates the concatenated schema with buildSchema, prints coverage per module
and exits non-zero on any mismatch.

graphql@16 is installed into tests/schema/node_modules (not committed) with `npm ci`
when it is missing, or always with --install. Extra arguments are passed through, e.g.
  --introspection served.json     also compare a running server's introspection result
  --print-introspection-query     print the introspection query to use for that
  --signatures FILE / --schema DIR
"""
import os
import shutil
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
TESTDIR = os.path.join(ROOT, "tests", "schema")


def main():
    args = sys.argv[1:]
    install = "--install" in args
    args = [a for a in args if a != "--install"]
    node = shutil.which("node")
    npm = shutil.which("npm")
    if not node:
        print("check_sdl: node (>= 18) is required", file=sys.stderr)
        return 2
    if install or not os.path.isdir(os.path.join(TESTDIR, "node_modules", "graphql")):
        if not npm:
            print("check_sdl: npm is required to install graphql@16", file=sys.stderr)
            return 2
        cmd = [npm, "ci" if os.path.exists(os.path.join(TESTDIR, "package-lock.json")) else "install",
               "--no-audit", "--no-fund"]
        rc = subprocess.call(cmd, cwd=TESTDIR, stdout=sys.stderr)
        if rc != 0:
            return rc
    return subprocess.call([node, os.path.join(TESTDIR, "check-sdl.mjs")] + args)


if __name__ == "__main__":
    sys.exit(main())
