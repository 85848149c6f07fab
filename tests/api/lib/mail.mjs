// A real SMTP server for the e-mail tests (npm `smtp-server`), listening on a free loopback port.
// It requires AUTH (user "stipple", password "mail-secret") and keeps every message it accepts,
// parsed by `mailparser`. Without `tls` it offers no STARTTLS; with `tls: { key, cert, implicit }`
// it offers STARTTLS, or (implicit) speaks TLS from the first byte.
import { SMTPServer } from 'smtp-server'
import { simpleParser } from 'mailparser'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { freePort } from './server.mjs'

export const smtpUser = 'stipple'
export const smtpPassword = 'mail-secret'

export async function startMailServer ({ tls } = {}) {
  const messages = []
  const waiters = []
  const server = new SMTPServer({
    secure: Boolean(tls?.implicit),
    hideSTARTTLS: !tls,
    allowInsecureAuth: !tls,
    ...(tls ? { key: tls.key, cert: tls.cert } : {}),
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
  // Connection errors (e.g. a client refusing the certificate) are kept for the tests to read.
  const errors = []
  server.on('error', (error) => errors.push(error))

  return {
    port,
    messages,
    errors,
    // The environment that points Stipple at this server.
    env: {
      EMAIL: 'true',
      EMAIL_HOST: '127.0.0.1',
      EMAIL_PORT: String(port),
      EMAIL_USERNAME: smtpUser,
      EMAIL_PASSWORD: smtpPassword,
      EMAIL_FROM: 'Stipple Test <no-reply@stipple.test>',
      EMAIL_REQUIRE_TLS: tls ? 'true' : 'false',
      ...(tls?.implicit ? { EMAIL_SECURE: 'true' } : {})
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

// A self-signed certificate for 127.0.0.1 and localhost, made with the openssl command line in
// `dir`: { key, cert } as PEM text and `certFile`, the path of the certificate.
export function selfSignedCertificate (dir, name = 'smtp') {
  const keyFile = join(dir, `${name}-key.pem`)
  const certFile = join(dir, `${name}-cert.pem`)
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout', keyFile, '-out', certFile], { stdio: 'pipe' })
  return { key: readFileSync(keyFile), cert: readFileSync(certFile), certFile }
}
