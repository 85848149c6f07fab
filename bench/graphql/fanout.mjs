// WebSocket fan-out benchmark: N subscribers of the `ping` subscription on one `stipple serve`,
// half on the legacy graphql-ws protocol and half on graphql-transport-ws, then E events
// published one after another; for each event it times publish-to-delivery for every subscriber.
// Prints delivery latency percentiles, the time until the last subscriber has an event, and the
// server's RSS before the sockets, with them open, and its peak. It never fails on time.
//
//   node bench/graphql/fanout.mjs [--subscribers 1000] [--events 20]
//
// STIPPLE_BIN names the binary (default build/stipple).
import { readFileSync } from 'node:fs'
import WebSocket from '../../tests/api/node_modules/ws/wrapper.mjs'
import { startServer } from '../../tests/api/lib/server.mjs'
import { signUp } from '../../tests/api/lib/accounts.mjs'

function option (name, fallback) {
  const at = process.argv.indexOf(`--${name}`)
  return at >= 0 ? Number(process.argv[at + 1]) : fallback
}
const kSubscribers = option('subscribers', 1000)
const kEvents = option('events', 20)

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

function rss (pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (key) => Number(status.match(new RegExp(`${key}:\\s+(\\d+)`))[1])
  return { now: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 }
}

function percentile (sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

// Opens one subscriber; `onEvent(text, at)` is called for every ping it receives.
async function subscribe (url, token, legacy, onEvent) {
  const socket = new WebSocket(url, legacy ? 'graphql-ws' : 'graphql-transport-ws')
  await new Promise((resolve, reject) => { socket.once('open', resolve); socket.once('error', reject) })
  const acked = new Promise((resolve) => {
    socket.on('message', (data) => {
      const at = process.hrtime.bigint()
      const m = JSON.parse(data)
      if (m.type === 'connection_ack') resolve()
      if (m.type === 'data' || m.type === 'next') onEvent(m.payload.data.ping, at)
    })
  })
  socket.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${token}` } }))
  await acked
  const query = 'subscription { ping }'
  socket.send(JSON.stringify({ type: legacy ? 'start' : 'subscribe', id: '1', payload: { query } }))
  return socket
}

const server = await startServer({ env: { STIPPLE_ENABLE_TEST_ROUTES: 'true', LOG_LEVEL: 'warn' } })
try {
  const { token } = await signUp(server, 'Fanout')
  const url = server.url.replace('http://', 'ws://') + '/graphql'
  const before = rss(server.child.pid)

  // event text -> delivery times
  const deliveries = new Map()
  const onEvent = (text, at) => deliveries.get(text)?.push(at)
  const sockets = []
  const opening = process.hrtime.bigint()
  for (let i = 0; i < kSubscribers; i += 50) {
    const batch = []
    for (let j = i; j < Math.min(kSubscribers, i + 50); j++) batch.push(subscribe(url, token, j % 2 === 0, onEvent))
    sockets.push(...(await Promise.all(batch)))
  }
  for (;;) {
    const { listeners } = await (await fetch(server.url + '/api/_test/listeners')).json()
    if (listeners === kSubscribers) break
    await sleep(20)
  }
  const openMs = Number(process.hrtime.bigint() - opening) / 1e6
  const open = rss(server.child.pid)

  const latencies = []
  const lastOf = []
  for (let e = 0; e < kEvents; e++) {
    const text = `event-${e}`
    deliveries.set(text, [])
    const sent = process.hrtime.bigint()
    await fetch(server.url + '/api/_test/ping', { method: 'POST', body: text })
    while (deliveries.get(text).length < kSubscribers) await sleep(1)
    const times = deliveries.get(text).map((t) => Number(t - sent) / 1e6)
    latencies.push(...times)
    lastOf.push(Math.max(...times))
  }
  latencies.sort((a, b) => a - b)
  lastOf.sort((a, b) => a - b)
  const after = rss(server.child.pid)

  console.log(`fan-out: ${kSubscribers} subscribers (half graphql-ws, half graphql-transport-ws), ${kEvents} events`)
  console.log(`  opening ${kSubscribers} subscriptions: ${openMs.toFixed(0)} ms`)
  console.log(`  delivery latency (ms): p50 ${percentile(latencies, 50).toFixed(2)}  p90 ${percentile(latencies, 90).toFixed(2)}  p99 ${percentile(latencies, 99).toFixed(2)}  max ${latencies[latencies.length - 1].toFixed(2)}`)
  console.log(`  last subscriber served (ms): p50 ${percentile(lastOf, 50).toFixed(2)}  max ${lastOf[lastOf.length - 1].toFixed(2)}`)
  console.log(`  server RSS (MB): idle ${before.now.toFixed(1)}  with sockets ${open.now.toFixed(1)}  after events ${after.now.toFixed(1)}  peak ${after.peak.toFixed(1)}`)
  for (const s of sockets) s.close()
} finally {
  await server.stop()
}
