// The real Speckle models of ../shared/data/speckle: each file holds a root, then every object of
// its closure, one JSON object a line.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { sharedDir, hasShared, sharedSkipReason } from '../../api/lib/shared.mjs'
import { readJsonLines } from '../../api/lib/objects.mjs'

export { hasShared, sharedSkipReason }

export const modelsDir = join(sharedDir, 'data', 'speckle')

export const modelFiles = hasShared
  ? readdirSync(modelsDir).filter((f) => f.endsWith('.model.jsonl')).sort()
  : []

// The objects of a model file in file order (the root first).
export function readModel (file) {
  return readJsonLines(readFileSync(join(modelsDir, file), 'utf8'))
}

// An object without the keys named, for comparisons that leave them out.
export function without (object, ...keys) {
  const copy = { ...object }
  for (const key of keys) delete copy[key]
  return copy
}
