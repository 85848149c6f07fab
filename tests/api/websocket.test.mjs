// GraphQL over WebSocket on /graphql, both protocols, message by message: the legacy
// subscriptions-transport-ws protocol (`graphql-ws`) that Speckle clients speak and the newer
// graphql-transport-ws; authentication from connection_init, subscribe/receive/stop, keep-alive,
// queries over the socket, and bad messages answered with each protocol's errors and close codes.
// The real npm clients of both protocols run against the server too. The `ping` subscription
// emits what POST /api/_test/ping publishes.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { SubscriptionClient } from 'subscriptions-transport-ws'
import { createClient } from 'graphql-ws'
import WebSocket from 'ws'
import { startServer } from './lib/server.mjs'
import { signUp } from './lib/accounts.mjs'
import { openSocket, wsUrl, sleep } from './lib/websocket.mjs'

const PING = 'subscription { ping }'

async function listeners (server) {
  return (await (await fetch(server.url + '/api/_test/listeners')).json()).listeners
}

// Waits until the server holds `count` event listeners (subscriptions open asynchronously).
async function untilListeners (server, count) {
  for (let i = 0; i < 200; i++) {
    if (await listeners(server) === count) return
    await sleep(10)
  }
  assert.fail(`the server never held ${count} listeners (has ${await listeners(server)})`)
}

async function ping (server, text) {
  const res = await fetch(server.url + '/api/_test/ping', { method: 'POST', body: text })
  assert.equal(res.status, 200)
}

describe('GraphQL over WebSocket', () => {
  let server, token

  before(async () => {
    server = await startServer({
      env: {
        STIPPLE_ENABLE_TEST_ROUTES: 'true',
        STIPPLE_WS_KEEPALIVE_MS: '150',
        STIPPLE_WS_INIT_TIMEOUT_MS: '300'
      }
    })
    token = (await signUp(server, 'Socket')).token
  })
  after(() => server?.stop())

  describe('legacy protocol (graphql-ws)', () => {
    it('acknowledges, keeps alive, delivers events, and completes on stop', async () => {
      const ws = await openSocket(server, 'graphql-ws')
      assert.equal(ws.protocol, 'graphql-ws')
      ws.send({ type: 'connection_init', payload: { Authorization: `Bearer ${token}` } })
      assert.deepEqual(await ws.next({ keepAlive: true }), { type: 'connection_ack' })
      assert.deepEqual(await ws.next({ keepAlive: true }), { type: 'ka' })
      // More keep-alives follow at the configured interval (150 ms).
      assert.deepEqual(await ws.next({ keepAlive: true, ms: 1000 }), { type: 'ka' })

      ws.send({ type: 'start', id: '1', payload: { query: PING } })
      await untilListeners(server, 1)
      await ping(server, 'first')
      await ping(server, 'second')
      assert.deepEqual(await ws.next(), { type: 'data', id: '1', payload: { data: { ping: 'first' } } })
      assert.deepEqual(await ws.next(), { type: 'data', id: '1', payload: { data: { ping: 'second' } } })

      ws.send({ type: 'stop', id: '1' })
      assert.deepEqual(await ws.next(), { type: 'complete', id: '1' })
      await untilListeners(server, 0)
      await ping(server, 'unheard')
      await sleep(100)
      assert.deepEqual(ws.pending(), [])
      ws.close()
    })

    it('reads the token from headers.authorization too', async () => {
      const ws = await openSocket(server, 'graphql-ws')
      ws.send({ type: 'connection_init', payload: { headers: { authorization: `Bearer ${token}` } } })
      assert.deepEqual(await ws.next(), { type: 'connection_ack' })
      ws.send({ type: 'start', id: 'q', payload: { query: '{ activeUser { name } }' } })
      assert.deepEqual(await ws.next(), { type: 'data', id: 'q', payload: { data: { activeUser: { name: 'Socket' } } } })
      assert.deepEqual(await ws.next(), { type: 'complete', id: 'q' })
      ws.close()
    })

    it('refuses a connection without a valid token', async () => {
      for (const payload of [{}, { Authorization: 'Bearer not-a-token-at-all' }]) {
        const ws = await openSocket(server, 'graphql-ws')
        ws.send({ type: 'connection_init', payload })
        assert.deepEqual(await ws.next(), {
          type: 'connection_error',
          payload: { message: 'You need a token to subscribe' }
        })
        assert.equal((await ws.closed()).code, 1011)
      }
    })

    it('refuses operations before connection_init', async () => {
      const ws = await openSocket(server, 'graphql-ws')
      ws.send({ type: 'start', id: '7', payload: { query: PING } })
      assert.deepEqual(await ws.next(), {
        type: 'error',
        id: '7',
        payload: { message: 'You need a token to subscribe' }
      })
      ws.close()
    })

    it('answers bad messages without closing', async () => {
      const ws = await openSocket(server, 'graphql-ws')
      ws.send('this is not json')
      assert.deepEqual(await ws.next(), {
        type: 'connection_error',
        payload: { message: 'Message must be a JSON object' }
      })
      ws.send({ type: 'connection_init', payload: { Authorization: `Bearer ${token}` } })
      assert.deepEqual(await ws.next(), { type: 'connection_ack' })
      ws.send({ type: 'bogus', id: '3' })
      assert.deepEqual(await ws.next(), {
        type: 'error',
        id: '3',
        payload: { message: 'Invalid message type!' }
      })
      // A document that does not validate is answered with its errors, then completed.
      ws.send({ type: 'start', id: '4', payload: { query: 'subscription { nope }' } })
      const data = await ws.next()
      assert.equal(data.type, 'data')
      assert.equal(data.id, '4')
      assert.equal(data.payload.errors[0].message, 'Cannot query field "nope" on type "Subscription".')
      assert.equal(data.payload.errors[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED')
      assert.deepEqual(await ws.next(), { type: 'complete', id: '4' })
      // The socket still works.
      ws.send({ type: 'start', id: '5', payload: { query: '{ __typename }' } })
      assert.deepEqual(await ws.next(), { type: 'data', id: '5', payload: { data: { __typename: 'Query' } } })
      assert.deepEqual(await ws.next(), { type: 'complete', id: '5' })
      ws.send({ type: 'connection_terminate' })
      assert.equal((await ws.closed()).code, 1000)
    })

    it('works with the subscriptions-transport-ws client Speckle uses', async () => {
      const client = new SubscriptionClient(wsUrl(server), {
        connectionParams: { Authorization: `Bearer ${token}` }
      }, WebSocket)
      const received = []
      const sub = client.request({ query: PING }).subscribe({ next: (r) => received.push(r) })
      await untilListeners(server, 1)
      await ping(server, 'from the client test')
      for (let i = 0; i < 100 && received.length === 0; i++) await sleep(10)
      assert.deepEqual(received, [{ data: { ping: 'from the client test' } }])
      sub.unsubscribe()
      await untilListeners(server, 0)
      client.close()
    })
  })

  describe('graphql-transport-ws protocol', () => {
    async function connected () {
      const ws = await openSocket(server, 'graphql-transport-ws')
      assert.equal(ws.protocol, 'graphql-transport-ws')
      ws.send({ type: 'connection_init', payload: { Authorization: `Bearer ${token}` } })
      assert.deepEqual(await ws.next(), { type: 'connection_ack' })
      return ws
    }

    it('subscribes, receives, and stops with complete', async () => {
      const ws = await connected()
      ws.send({ type: 'subscribe', id: 'a', payload: { query: PING } })
      await untilListeners(server, 1)
      await ping(server, 'hello')
      assert.deepEqual(await ws.next(), { type: 'next', id: 'a', payload: { data: { ping: 'hello' } } })
      ws.send({ type: 'complete', id: 'a' })
      await untilListeners(server, 0)
      ws.send({ type: 'ping', payload: { n: 1 } })
      assert.deepEqual(await ws.next(), { type: 'pong', payload: { n: 1 } })
      ws.close()
    })

    it('runs queries once and reports validation errors with an error message', async () => {
      const ws = await connected()
      ws.send({ type: 'subscribe', id: 'q', payload: { query: '{ activeUser { name } }' } })
      assert.deepEqual(await ws.next(), { type: 'next', id: 'q', payload: { data: { activeUser: { name: 'Socket' } } } })
      assert.deepEqual(await ws.next(), { type: 'complete', id: 'q' })
      ws.send({ type: 'subscribe', id: 'bad', payload: { query: 'subscription { nope }' } })
      const error = await ws.next()
      assert.equal(error.type, 'error')
      assert.equal(error.id, 'bad')
      assert.equal(error.payload[0].message, 'Cannot query field "nope" on type "Subscription".')
      ws.close()
    })

    it('closes with the protocol codes on misuse', async () => {
      let ws = await openSocket(server, 'graphql-transport-ws')
      ws.send({ type: 'subscribe', id: 'x', payload: { query: PING } })
      assert.deepEqual(await ws.closed(), { code: 4401, reason: 'Unauthorized' })

      ws = await openSocket(server, 'graphql-transport-ws')
      assert.deepEqual(await ws.closed(), { code: 4408, reason: 'Connection initialisation timeout' })

      ws = await openSocket(server, 'graphql-transport-ws')
      ws.send({ type: 'connection_init', payload: { Authorization: 'Bearer nope' } })
      assert.deepEqual(await ws.closed(), { code: 4403, reason: 'Forbidden' })

      ws = await connected()
      ws.send({ type: 'connection_init', payload: { Authorization: `Bearer ${token}` } })
      assert.deepEqual(await ws.closed(), { code: 4429, reason: 'Too many initialisation requests' })

      ws = await connected()
      ws.send({ type: 'subscribe', id: 'same', payload: { query: PING } })
      ws.send({ type: 'subscribe', id: 'same', payload: { query: PING } })
      assert.deepEqual(await ws.closed(), { code: 4409, reason: 'Subscriber for same already exists' })

      ws = await connected()
      ws.send('{"no": "type"}')
      assert.deepEqual(await ws.closed(), { code: 4400, reason: "Message is missing the 'type' property" })

      ws = await connected()
      ws.send({ type: 'subscribe', id: 'y' })
      assert.deepEqual(await ws.closed(), { code: 4400, reason: 'Invalid message received' })
      await untilListeners(server, 0)
    })

    it('works with the graphql-ws client', async () => {
      const client = createClient({
        url: wsUrl(server),
        webSocketImpl: WebSocket,
        connectionParams: { Authorization: `Bearer ${token}` },
        retryAttempts: 0
      })
      const received = []
      const done = new Promise((resolve, reject) => {
        client.subscribe({ query: PING }, {
          next: (r) => { received.push(r); resolve() },
          error: reject,
          complete: () => {}
        })
      })
      await untilListeners(server, 1)
      await ping(server, 'new protocol')
      await done
      assert.deepEqual(received, [{ data: { ping: 'new protocol' } }])
      await client.dispose()
      await untilListeners(server, 0)
    })
  })

  it('closes sockets that offer no known sub-protocol with 1002', async () => {
    const ws = await openSocket(server, undefined)
    assert.deepEqual(await ws.closed(), { code: 1002, reason: 'Subprotocol not acceptable' })
  })

  it('refuses subscriptions that are not served with NOT_IMPLEMENTED, as a result', async () => {
    const ws = await openSocket(server, 'graphql-ws')
    ws.send({ type: 'connection_init', payload: { Authorization: `Bearer ${token}` } })
    await ws.next()
    ws.send({
      type: 'start',
      id: 'c',
      payload: { query: 'subscription { projectCommentsUpdated(target: {projectId: "x", resourceIdString: "y"}) { id } }' }
    })
    const data = await ws.next()
    assert.equal(data.type, 'data')
    assert.equal(data.payload.errors[0].extensions.code, 'NOT_IMPLEMENTED')
    assert.deepEqual(data.payload.errors[0].path, ['projectCommentsUpdated'])
    assert.deepEqual(await ws.next(), { type: 'complete', id: 'c' })
    ws.close()
  })
})

describe('GraphQL over WebSocket at shutdown', () => {
  // The drain deadline is SHUTDOWN_TIMEOUT_SECONDS (300 s by default): finishing within the
  // test's 20 s means an open subscription does not hold the server up.
  it('closes open sockets with 1001 on SIGTERM, and the server exits', { timeout: 20_000 }, async () => {
    const server = await startServer({ env: { STIPPLE_ENABLE_TEST_ROUTES: 'true' } })
    const { token } = await signUp(server, 'Leaving')
    const ws = await openSocket(server, 'graphql-ws')
    ws.send({ type: 'connection_init', payload: { Authorization: `Bearer ${token}` } })
    assert.deepEqual(await ws.next(), { type: 'connection_ack' })
    ws.send({ type: 'start', id: '1', payload: { query: PING } })
    await untilListeners(server, 1)
    const exit = server.stop('SIGTERM')
    assert.deepEqual(await ws.closed(), { code: 1001, reason: 'Server shutting down' })
    assert.deepEqual(await exit, { code: 0, signal: null })
  })
})

