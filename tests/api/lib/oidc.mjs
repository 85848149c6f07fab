// A real OpenID Connect provider for the sign-in tests (npm `oidc-provider`) on a loopback port,
// and a small browser stand-in that follows redirects by hand, keeps cookies per origin and
// submits the provider's login, consent and form_post pages.
import { createServer } from 'node:http'
import { generateKeyPairSync } from 'node:crypto'
import Provider from 'oidc-provider'
import { freePort } from './server.mjs'

// An RSA signing key as a private JWK with the given key id.
export function rsaJwk (kid) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }
}

// The public half of a private RSA JWK.
export function publicJwk ({ kty, n, e, kid, alg, use }) {
  return { kty, n, e, kid, alg, use }
}

// Starts a provider. Accounts are made up on login: the login name `alice` signs in as
// alice@example.org named "Alice Example"; a login starting with `unverified` has
// email_verified: false. `clients` are oidc-provider client records. `tamper.jwks`, when set,
// replaces the published key set (to make signatures fail).
// `port` may be chosen beforehand, so that a Stipple server can be told the discovery URL
// before the provider (whose clients name that server's callbacks) starts.
export async function startProvider ({ clients, port }) {
  port ??= await freePort()
  const issuer = `http://127.0.0.1:${port}`
  const key = rsaJwk('test-key-1')
  const provider = new Provider(issuer, {
    clients,
    jwks: { keys: [key] },
    cookies: { keys: ['stipple-test-cookie-key'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'given_name', 'family_name'] },
    features: { devInteractions: { enabled: true } },
    ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    async findAccount (ctx, sub) {
      return {
        accountId: sub,
        async claims () {
          const given = sub.charAt(0).toUpperCase() + sub.slice(1)
          return {
            sub,
            email: `${sub}@example.org`,
            email_verified: !sub.startsWith('unverified'),
            name: `${given} Example`,
            given_name: given,
            family_name: 'Example'
          }
        }
      }
    }
  })
  provider.on('server_error', (ctx, err) => { console.error('oidc-provider server_error', err) })
  const tamper = {}
  const handler = provider.callback()
  const server = createServer((req, res) => {
    if (tamper.jwks && req.url === '/jwks') {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(tamper.jwks))
      return
    }
    handler(req, res)
  })
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve))
  return {
    issuer,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    key,
    tamper,
    stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve) })
  }
}

// A browser's cookie jar and redirect handling, enough for the sign-in round trip.
export class Browser {
  constructor () { this.cookies = new Map() } // origin → Map(name → value)

  cookieHeader (url) {
    const jar = this.cookies.get(new URL(url).origin)
    return jar ? [...jar].map(([k, v]) => `${k}=${v}`).join('; ') : ''
  }

  keep (url, res) {
    const origin = new URL(url).origin
    if (!this.cookies.has(origin)) this.cookies.set(origin, new Map())
    const jar = this.cookies.get(origin)
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) ||
        attributes.some((a) => /^\s*expires=/i.test(a) && new Date(a.split('=')[1]) < new Date())
      if (expired || value === '') jar.delete(name)
      else jar.set(name, value)
    }
  }

  // One request, no redirect followed; cookies sent and kept.
  async request (url, { method = 'GET', form } = {}) {
    const headers = {}
    const cookie = this.cookieHeader(url)
    if (cookie) headers.cookie = cookie
    let body
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded'
      body = new URLSearchParams(form).toString()
    }
    const res = await fetch(url, { method, headers, body, redirect: 'manual' })
    this.keep(url, res)
    return res
  }

  // Follows redirects until a response is not one, or `stop(url)` says the next URL is the
  // destination (returned unfetched). Returns { res, url }.
  async follow (url, { stop = () => false, method = 'GET', form } = {}) {
    let res = await this.request(url, { method, form })
    for (let i = 0; i < 20 && res.status >= 300 && res.status < 400; i++) {
      const next = new URL(res.headers.get('location'), url).toString()
      if (stop(next)) return { res, url: next }
      url = next
      res = await this.request(url)
    }
    return { res, url }
  }
}

// The fields of the first <form> of an HTML page, and its action.
export function parseForm (html, baseUrl) {
  const form = html.match(/<form[^>]*>/i)?.[0] ?? ''
  const action = form.match(/action="([^"]*)"/i)?.[1] ?? baseUrl
  const fields = {}
  for (const input of html.matchAll(/<input[^>]*>/gi)) {
    const name = input[0].match(/name="([^"]*)"/i)?.[1]
    const value = input[0].match(/value="([^"]*)"/i)?.[1] ?? ''
    if (name) fields[name] = value.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#x2F;/g, '/')
  }
  return { action: new URL(action.replace(/&amp;/g, '&'), baseUrl).toString(), fields }
}

// Signs in at the provider's pages: from the authorization URL through login and consent, to
// the redirect back to the relying party (a URL starting with `callbackPrefix`, returned
// unfetched) or, for form_post, the auto-submitting form ({ action, fields }).
export async function signInAtProvider (browser, authorizationUrl, login, callbackPrefix) {
  const atCallback = (u) => u.startsWith(callbackPrefix)
  let { res, url } = await browser.follow(authorizationUrl, { stop: atCallback })
  for (let step = 0; step < 4; step++) {
    if (atCallback(url)) return { callbackUrl: url }
    const html = await res.text()
    const { action, fields } = parseForm(html, url)
    if (action.startsWith(callbackPrefix)) return { formPost: { action, fields } }
    if (fields.prompt === 'login') Object.assign(fields, { login, password: 'any' })
    ;({ res, url } = await browser.follow(action, { method: 'POST', form: fields, stop: atCallback }))
  }
  throw new Error(`the provider's pages did not lead back to ${callbackPrefix} (at ${url}, HTTP ${res.status})`)
}
