// The in-browser query IDE on GET /graphql: the page a browser gets, every file it loads, their
// content types and caching, and API clients still getting JSON on the same URL. The IDE touches
// no database, so it runs on the first configured backend only.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import { existsSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { startServer, backends } from './lib/server.mjs'

const browserAccept = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'
const pagePolicy =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; " +
  "form-action 'none'; frame-ancestors 'none'"
const assetCaching = 'public, max-age=31536000, immutable'

// Every file the page loads, its content type, and text that only the right file holds.
const expectedAssets = {
  'graphiql.min.css': { type: 'text/css; charset=utf-8', markers: ['.graphiql-container'] },
  'ide.css': { type: 'text/css; charset=utf-8', markers: ['#stipple-graphiql'] },
  'licenses.txt': {
    type: 'text/plain; charset=utf-8',
    markers: ['The npm package graphiql:', 'The npm package react:', 'The npm package react-dom:', 'MIT License']
  },
  'react.production.min.js': {
    type: 'text/javascript; charset=utf-8',
    markers: ['@license React', ' * react.production.min.js']
  },
  'react-dom.production.min.js': {
    type: 'text/javascript; charset=utf-8',
    markers: ['@license React', ' * react-dom.production.min.js']
  },
  'graphiql.min.js': {
    type: 'text/javascript; charset=utf-8',
    markers: ['.GraphiQL=', 'createFetcher:', 'graphql-transport-ws']
  },
  'start.js': {
    type: 'text/javascript; charset=utf-8',
    markers: ['GraphiQL.createFetcher({ url: endpoint, subscriptionUrl: socketEndpoint })', 'shouldPersistHeaders: false']
  }
}

// A request with full control of headers (fetch would add and decode encodings).
function request (url, { method = 'GET', headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }))
    })
    req.on('error', reject)
    req.end()
  })
}

// The URLs of the stylesheets, scripts and licence links of a page, in document order.
function referencedUrls (html) {
  return [...html.matchAll(/<(?:link|script)\b[^>]*?\b(?:href|src)="([^"]+)"/g)].map((m) => m[1])
}

const chromiumPaths = ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium']
const chromiumPath = chromiumPaths.find((path) => existsSync(path))

describe(`query IDE on ${backends()[0]}`, () => {
  let server
  before(async () => { server = await startServer({ backend: backends()[0] }) })
  after(async () => { await server?.stop() })

  async function page () {
    return request(server.url + '/graphql', { headers: { accept: browserAccept } })
  }

  it('serves the IDE page to a browser, uncached, under its own content security policy', async () => {
    const res = await page()
    assert.equal(res.status, 200)
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8')
    assert.equal(res.headers['cache-control'], 'no-cache')
    assert.equal(res.headers.vary, 'Accept')
    assert.equal(res.headers['content-security-policy'], pagePolicy)
    const html = res.body.toString()
    assert.ok(html.includes('<title>Stipple GraphQL IDE</title>'))
    assert.ok(html.includes('<div id="stipple-graphiql">'))
    assert.ok(!html.includes('{{assets}}'))
  })

  it('references only files of this server, under one versioned path', async () => {
    const urls = referencedUrls((await page()).body.toString())
    const version = urls[0].split('/')[3]
    assert.match(version, /^[0-9a-f]{16}$/)
    assert.deepEqual(urls, [
      `/graphql/ide/${version}/graphiql.min.css`,
      `/graphql/ide/${version}/ide.css`,
      `/graphql/ide/${version}/licenses.txt`,
      `/graphql/ide/${version}/react.production.min.js`,
      `/graphql/ide/${version}/react-dom.production.min.js`,
      `/graphql/ide/${version}/graphiql.min.js`,
      `/graphql/ide/${version}/start.js`
    ])
  })

  it('serves every file the page references with its content type, cacheable for a year', async () => {
    const urls = referencedUrls((await page()).body.toString())
    for (const url of urls) {
      const name = url.split('/').pop()
      const expected = expectedAssets[name]
      const res = await request(server.url + url)
      assert.equal(res.status, 200, url)
      assert.equal(res.headers['content-type'], expected.type, url)
      assert.equal(res.headers['cache-control'], assetCaching, url)
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url)
      const text = res.body.toString()
      for (const marker of expected.markers) assert.ok(text.includes(marker), `${url} lacks ${marker}`)
    }
    assert.equal(urls.length, Object.keys(expectedAssets).length)
  })

  it('gzips the page and its files for browsers that accept it, keeping Vary: Accept on the page', async () => {
    const res = await request(server.url + '/graphql', {
      headers: { accept: browserAccept, 'accept-encoding': 'gzip, deflate, br' }
    })
    assert.equal(res.headers['content-encoding'], 'gzip')
    assert.equal(res.headers.vary, 'Accept, Accept-Encoding')
    const html = gunzipSync(res.body).toString()
    const script = referencedUrls(html).find((url) => url.endsWith('/graphiql.min.js'))

    const asset = await request(server.url + script, { headers: { 'accept-encoding': 'gzip' } })
    assert.equal(asset.status, 200)
    assert.equal(asset.headers['content-encoding'], 'gzip')
    assert.ok(gunzipSync(asset.body).toString().includes('createFetcher:'))
  })

  it('answers 404 for a file of another version and for an unknown file', async () => {
    const urls = referencedUrls((await page()).body.toString())
    const version = urls[0].split('/')[3]
    const stale = await request(server.url + '/graphql/ide/0000000000000000/start.js')
    assert.equal(stale.status, 404)
    const unknown = await request(server.url + `/graphql/ide/${version}/secrets.js`)
    assert.equal(unknown.status, 404)
    assert.equal(unknown.body.toString(), 'Not found')
    assert.equal(unknown.headers['cache-control'], undefined)
  })

  it('keeps answering JSON to API clients on GET /graphql', async () => {
    const res = await request(server.url + '/graphql?query=%7B__typename%7D', {
      headers: { accept: 'application/json', 'content-type': 'application/json' }
    })
    assert.equal(res.status, 200)
    assert.equal(res.headers['content-type'], 'application/json; charset=utf-8')
    assert.equal(res.headers['cache-control'], undefined)
    assert.deepEqual(JSON.parse(res.body), { data: { __typename: 'Query' } })

    // A browser that sends a query gets the API's answer, not the IDE.
    const withQuery = await request(server.url + '/graphql?query=%7B__typename%7D', {
      headers: { accept: browserAccept, 'apollo-require-preflight': 'true' }
    })
    assert.equal(withQuery.headers['content-type'], 'application/json; charset=utf-8')
    assert.deepEqual(JSON.parse(withQuery.body), { data: { __typename: 'Query' } })
  })

  it('runs a query and sends a pasted token from a real browser', { skip: !chromiumPath && 'no Chromium installed' }, async () => {
    const { chromium } = await import('playwright-core')
    const browser = await chromium.launch({ executablePath: chromiumPath })
    try {
      const tab = await browser.newPage()
      const problems = []
      tab.on('pageerror', (e) => problems.push(e.message))
      tab.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()) })
      const authorizations = []
      tab.on('request', (r) => { if (r.method() === 'POST') authorizations.push(r.headers().authorization ?? null) })

      // The first query runs without a token; the schema's introspection runs first.
      await tab.goto(server.url + '/graphql')
      await tab.waitForSelector('.graphiql-container')
      await tab.click('.graphiql-execute-button')
      await tab.waitForFunction(() => document.querySelector('.result-window')?.textContent.includes('"serverInfo"'))

      // A token pasted into the Headers tab goes with the next request; this one is unknown.
      await tab.getByRole('button', { name: 'Headers', exact: true }).click()
      await tab.evaluate(() => {
        const editors = [...document.querySelectorAll('.graphiql-editor-tool .graphiql-editor')]
        const shown = editors.find((e) => !e.classList.contains('hidden'))
        shown.querySelector('.CodeMirror').CodeMirror.setValue('{"Authorization": "Bearer not-a-known-token"}')
      })
      await tab.click('.graphiql-execute-button')
      await tab.waitForFunction(() => document.querySelector('.result-window')?.textContent.includes('Your token is not valid.'))

      assert.equal(authorizations.at(-1), 'Bearer not-a-known-token')
      assert.deepEqual(new Set(authorizations.slice(0, -1)), new Set([null]))
      // The only error is the 403 the unknown token earned.
      assert.deepEqual(problems, ['Failed to load resource: the server responded with a status of 403 (Forbidden)'])
    } finally {
      await browser.close()
    }
  })
})
