// A WebSocket client for protocol-level tests: every frame it receives is queued, and tests
// await the next message, or the close with its code and reason.
import WebSocket from 'ws'

export function wsUrl (server) {
  return server.url.replace('http://', 'ws://') + '/graphql'
}

export async function openSocket (server, protocols) {
  const socket = new WebSocket(wsUrl(server), protocols)
  const messages = []
  const waiters = []
  let closed = null
  const wake = () => { while (waiters.length) waiters.shift()() }
  socket.on('message', (data) => { messages.push(JSON.parse(data.toString())); wake() })
  socket.on('close', (code, reason) => { closed = { code, reason: reason.toString() }; wake() })
  await new Promise((resolve, reject) => {
    socket.once('open', resolve)
    socket.once('error', reject)
  })

  const wait = (ms) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nothing arrived in ${ms} ms`)), ms)
    waiters.push(() => { clearTimeout(timer); resolve() })
  })

  return {
    socket,
    protocol: socket.protocol,
    send (message) { socket.send(typeof message === 'string' ? message : JSON.stringify(message)) },
    // The next message (skipping keep-alives unless asked for them).
    async next ({ ms = 5000, keepAlive = false } = {}) {
      for (;;) {
        while (messages.length) {
          const m = messages.shift()
          if (keepAlive || m.type !== 'ka') return m
        }
        if (closed) throw new Error(`socket closed ${closed.code} ${closed.reason}`)
        await wait(ms)
      }
    },
    // The next message of operation `id`; messages of other operations stay queued (operations
    // run concurrently, so their messages may interleave in any order).
    async nextFor (id, { ms = 5000 } = {}) {
      for (;;) {
        const index = messages.findIndex((m) => m.id === id)
        if (index >= 0) return messages.splice(index, 1)[0]
        if (closed) throw new Error(`socket closed ${closed.code} ${closed.reason}`)
        await wait(ms)
      }
    },
    // Resolves with { code, reason } once the server closed the socket.
    async closed (ms = 5000) {
      while (!closed) await wait(ms)
      return closed
    },
    pending () { return messages.filter((m) => m.type !== 'ka') },
    close () { socket.close() }
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
