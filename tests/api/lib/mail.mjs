// A real SMTP server for the e-mail tests (npm `smtp-server`), listening on a free loopback port.
// It requires AUTH (user "stipple", password "mail-secret"), offers no STARTTLS, and keeps every
// message it accepts, parsed by `mailparser`.
import { SMTPServer } from 'smtp-server'
import { simpleParser } from 'mailparser'
import { freePort } from './server.mjs'

export const smtpUser = 'stipple'
export const smtpPassword = 'mail-secret'

export async function startMailServer () {
  const messages = []
  const waiters = []
  const server = new SMTPServer({
    secure: false,
    hideSTARTTLS: true,
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth (auth, _session, callback) {
      if (auth.username === smtpUser && auth.password === smtpPassword) return callback(null, { user: auth.username })
      return callback(new Error('Invalid username or password'))
    },
    onData (stream, session, callback) {
      simpleParser(stream).then((parsed) => {
        parsed.envelope = session.envelope
        messages.push(parsed)
        for (const waiter of [...waiters]) waiter()
        callback()
      }, callback)
    }
  })
  const port = await freePort()
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', resolve)
  })

  return {
    port,
    messages,
    // The environment that points Stipple at this server.
    env: {
      EMAIL: 'true',
      EMAIL_HOST: '127.0.0.1',
      EMAIL_PORT: String(port),
      EMAIL_USERNAME: smtpUser,
      EMAIL_PASSWORD: smtpPassword,
      EMAIL_FROM: 'Stipple Test <no-reply@stipple.test>',
      EMAIL_REQUIRE_TLS: 'false'
    },
    // The nth (1 = first) message to `address` whose subject matches; waits up to `timeoutMs`.
    async waitFor (address, subject = /./, { nth = 1, timeoutMs = 10_000 } = {}) {
      const find = () => messages.filter((m) => m.to?.value?.some((v) => v.address === address) && subject.test(m.subject))[nth - 1]
      const deadline = Date.now() + timeoutMs
      while (Date.now() < deadline) {
        const found = find()
        if (found) return found
        await new Promise((resolve) => {
          const timer = setTimeout(done, Math.max(0, deadline - Date.now()))
          function done () {
            clearTimeout(timer)
            waiters.splice(waiters.indexOf(done), 1)
            resolve()
          }
          waiters.push(done)
        })
      }
      throw new Error(`no message to ${address} matching ${subject} within ${timeoutMs} ms; got ${messages.map((m) => m.subject).join(', ')}`)
    },
    stop () {
      return new Promise((resolve) => server.close(resolve))
    }
  }
}
