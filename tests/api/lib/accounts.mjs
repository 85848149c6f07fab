// Accounts and GraphQL calls for black-box tests: sign-up through the web app flow, and POST
// /graphql with a token.
import assert from 'node:assert/strict'

export const password = 'Stipple-Passw0rd!42'
let counter = 0

export async function post (server, path, body, headers = {}) {
  return fetch(server.url + path, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body)
  })
}

// Registers an account through the web app flow; returns { email, token, id }.
export async function signUp (server, name) {
  const email = `${name.toLowerCase()}.${process.pid}.${++counter}@example.org`
  const challenge = `ch-${counter}`
  const reg = await post(server, `/auth/local/register?challenge=${challenge}`, { email, password, name })
  assert.equal(reg.status, 302)
  const accessCode = new URL(reg.headers.get('location')).searchParams.get('access_code')
  const res = await post(server, '/auth/token', { appId: 'spklwebapp', appSecret: 'spklwebapp', accessCode, challenge })
  assert.equal(res.status, 200)
  const { token } = await res.json()
  const me = await gql(server, token, '{ activeUser { id } }')
  return { email, token, id: me.body.data.activeUser.id }
}

export async function gql (server, token, query, variables = {}) {
  const headers = token ? { authorization: `Bearer ${token}` } : {}
  const res = await post(server, '/graphql', { query, variables }, headers)
  return { status: res.status, body: await res.json() }
}

// Runs a query that must succeed; returns its data.
export async function data (server, token, query, variables = {}) {
  const { status, body } = await gql(server, token, query, variables)
  assert.equal(status, 200, JSON.stringify(body))
  assert.equal(body.errors, undefined, JSON.stringify(body.errors))
  return body.data
}
