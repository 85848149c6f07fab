// The Speckle web viewer (@speckle/viewer from npm, bundled by esbuild) opens a real model by its
// project/model URL in headless Chromium, against `stipple serve` started as the README's first
// command starts it. The screenshot is kept under build/test-artifacts/e2e/.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { startAsReadme, backends } from './lib/start.mjs'
import { repoRoot } from '../api/lib/server.mjs'
import {
  signInAsConnector, createProject, createModel, sendVersion
} from './lib/connector.mjs'
import { readModel, hasShared, sharedSkipReason } from './lib/models.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const artifacts = join(repoRoot, 'build', 'test-artifacts', 'e2e')

// The smallest real model that the viewer draws as surfaces and that has detached children, so
// the viewer's loader goes through the object-stream too: a Revit floor (two display meshes with
// render materials) hosting a floor opening (an instance of an element type).
const modelFile = 'revit-floor.model.jsonl'

const chromiumPaths = ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium']
const chromiumPath = chromiumPaths.find((path) => existsSync(path))
// WebGL2 in software: no GPU on test machines.
const chromiumArgs = [
  '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'
]

const skip = sharedSkipReason || (!chromiumPath && 'no Chromium installed')
if (!hasShared) console.log(`e2e viewer: ${sharedSkipReason}`)
else if (!chromiumPath) console.log('e2e viewer: no Chromium installed; skipped')

const pageHtml = `<!doctype html>
<html><head><meta charset="utf-8"><title>Stipple viewer check</title>
<style>html, body { margin: 0; background: #ffffff } #viewer { width: 800px; height: 600px }</style>
</head><body><div id="viewer"></div><script src="/__e2e/viewer.js"></script></body></html>`

// Counts the pixels of a PNG that differ from its top-left pixel, decoding it in the page.
/* global Image */
function countChangedPixels (page, png) {
  return page.evaluate(async (dataUrl) => {
    const image = new Image()
    image.src = dataUrl
    await image.decode()
    const canvas = document.createElement('canvas')
    canvas.width = image.width
    canvas.height = image.height
    const context = canvas.getContext('2d')
    context.drawImage(image, 0, 0)
    const { data } = context.getImageData(0, 0, image.width, image.height)
    let changed = 0
    for (let i = 0; i < data.length; i += 4) {
      const delta = Math.max(Math.abs(data[i] - data[0]), Math.abs(data[i + 1] - data[1]),
        Math.abs(data[i + 2] - data[2]))
      if (delta > 16) changed++
    }
    return { changed, total: image.width * image.height }
  }, 'data:image/png;base64,' + png.toString('base64'))
}

describe('the Speckle viewer', { skip }, () => {
  let bundle
  before(async () => {
    const result = await build({
      entryPoints: [join(here, 'viewer', 'page.mjs')],
      bundle: true,
      format: 'iife',
      write: false,
      logLevel: 'error'
    })
    bundle = result.outputFiles[0].contents
  })

  for (const backend of backends()) {
    describe(`against scripts/start on ${backend}`, () => {
      let server, user, project, model, objects, version, browser

      before(async () => {
        server = await startAsReadme(backend)
        user = await signInAsConnector(server, 'Vera Viewer')
        objects = readModel(modelFile)
        const input = { name: 'viewer', visibility: 'PRIVATE' }
        project = (await createProject(server, user.token, input)).id
        model = (await createModel(server, user.token, { projectId: project, name: 'cube' })).id
        version = (await sendVersion(server, user.token, project, model, objects, 'view')).version
        const { chromium } = await import('playwright-core')
        browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs })
      })
      after(async () => {
        await browser?.close()
        await server?.stop()
      })

      it(`opens ${modelFile} by its model URL and draws it`, async () => {
        const page = await browser.newPage({ viewport: { width: 800, height: 600 } })
        const problems = []
        page.on('pageerror', (e) => problems.push(e.message))
        const calls = []
        page.on('response', (r) => {
          const url = new URL(r.url())
          if (url.pathname.startsWith('/__e2e/')) return
          calls.push(`${r.request().method()} ${url.pathname} ${r.status()}`)
        })

        // The page and its script come from the server's own origin, so no CORS is involved.
        await page.route('**/__e2e/**', (route) => {
          const path = new URL(route.request().url()).pathname
          if (path === '/__e2e/viewer.html') {
            return route.fulfill({ contentType: 'text/html', body: pageHtml })
          }
          if (path === '/__e2e/viewer.js') {
            return route.fulfill({ contentType: 'text/javascript', body: Buffer.from(bundle) })
          }
          return route.fulfill({ status: 404, body: '' })
        })
        await page.goto(server.url + '/__e2e/viewer.html')
        const blank = await page.locator('#viewer').screenshot()

        const modelUrl = `${server.url}/projects/${project}/models/${model}`
        const result = await page.evaluate((args) => window.openModel(args),
          { url: modelUrl, token: user.token })
        const png = await page.locator('#viewer').screenshot()
        mkdirSync(artifacts, { recursive: true })
        const name = modelFile.replace(/\.model\.jsonl$/, '')
        const file = join(artifacts, `viewer-${backend}-${name}.png`)
        writeFileSync(file, png)
        console.log(`viewer screenshot (${backend}): ${file}`)

        // The model URL resolved to the version's root object; the viewer asked GraphQL for it,
        // then loaded the root with /single and its children through the object-stream.
        const root = objects[0]
        const objectUrl = `${server.url}/streams/${project}/objects/${version.referencedObject}`
        assert.deepEqual(result.objectUrls, [objectUrl])
        assert.deepEqual([...new Set(calls)].sort(), [
          `GET /objects/${project}/${root.id}/single 200`,
          `POST /api/v2/projects/${project}/object-stream/ 200`,
          'POST /graphql 200'
        ])
        // The world tree: the loaded resource, the floor, its two display meshes, the opening's
        // instance, a node the viewer makes (a random id) and the placed element type.
        const instance = objects.find((o) => o.id === root.elements[0].referencedId)
        const generated = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
        assert.deepEqual(result.ids.map((id) => (generated.test(id) ? 'generated' : id)), [
          objectUrl,
          root.id,
          ...root.displayValue.map((ref) => ref.referencedId),
          instance.id,
          'generated',
          `${instance.definition.referencedId}~0`
        ])
        assert.deepEqual(problems, [])

        // Before loading the canvas is blank; after, a good part of it shows the model.
        assert.equal((await countChangedPixels(page, blank)).changed, 0)
        const { changed, total } = await countChangedPixels(page, png)
        assert.ok(changed > total * 0.02, `only ${changed} of ${total} pixels show something`)
        await page.close()
      })
    })
  }
})
