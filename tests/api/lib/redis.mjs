// A throwaway redis-server (the Debian package) on a free loopback port, without persistence.
import { spawn } from 'node:child_process'
import { freePort } from './server.mjs'

export async function startRedis () {
  const port = await freePort()
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '',
    '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] })
  const output = []
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server did not start: ' + output.join(''))), 10_000)
    child.stdout.on('data', (d) => {
      output.push(d.toString())
      if (output.join('').includes('Ready to accept connections')) { clearTimeout(timer); resolve() }
    })
    child.on('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output.join('')}`)))
  })
  const exited = new Promise((resolve) => child.on('exit', resolve))
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop () {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
    }
  }
}
