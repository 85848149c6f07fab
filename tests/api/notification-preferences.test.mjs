// Notification preferences: every kind and channel reads as on until the user turns it off; the
// update replaces the stored settings and refuses unknown kinds, channels and non-boolean values.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { backends, startServer } from './lib/server.mjs'
import { signUp, gql, data } from './lib/accounts.mjs'

const read = '{ activeUser { notificationPreferences } }'
const update = 'mutation($p: JSONObject!) { userNotificationPreferencesUpdate(preferences: $p) }'
const allOn = {
  activityDigest: { email: true },
  mentionedInComment: { email: true },
  newStreamAccessRequest: { email: true },
  streamAccessRequestApproved: { email: true }
}

const errorOf = ({ status, body }) => {
  assert.equal(status, 200)
  return [body.errors[0].extensions.code, body.errors[0].message]
}

for (const backend of backends()) {
  describe(`notification preferences (${backend})`, () => {
    let server, ann, bob
    before(async () => {
      server = await startServer({ backend })
      ann = await signUp(server, 'Ann')
      bob = await signUp(server, 'Bob')
    })
    after(async () => { await server?.stop() })

    it('reads every kind as on for a new user', async () => {
      assert.deepEqual((await data(server, ann.token, read)).activeUser.notificationPreferences,
        allOn)
    })

    it('stores what the user turns off, and replaces it on the next update', async () => {
      assert.deepEqual(await data(server, ann.token, update,
        { p: { mentionedInComment: { email: false }, activityDigest: {} } }),
      { userNotificationPreferencesUpdate: true })
      assert.deepEqual((await data(server, ann.token, read)).activeUser.notificationPreferences,
        { ...allOn, mentionedInComment: { email: false } })

      await data(server, ann.token, update, { p: { activityDigest: { email: false } } })
      assert.deepEqual((await data(server, ann.token, read)).activeUser.notificationPreferences,
        { ...allOn, activityDigest: { email: false } })
      // Another user's settings are untouched.
      assert.deepEqual((await data(server, bob.token, read)).activeUser.notificationPreferences,
        allOn)
    })

    it('refuses unknown kinds, unknown channels and values that are not booleans', async () => {
      assert.deepEqual(errorOf(await gql(server, bob.token, update, { p: { weekly: {} } })),
        ['INVALID_ARGUMENT_ERROR',
          'Notification preferences input contains an unknown setting: weekly'])
      assert.deepEqual(errorOf(await gql(server, bob.token, update,
        { p: { activityDigest: { sms: true } } })),
      ['INVALID_ARGUMENT_ERROR', 'Notification preferences input contains an unknown setting: sms'])
      assert.deepEqual(errorOf(await gql(server, bob.token, update,
        { p: { activityDigest: { email: 'no' } } })),
      ['INVALID_ARGUMENT_ERROR',
        'Notification preferences input contains an invalid value: "no"'])
      assert.deepEqual(errorOf(await gql(server, bob.token, update,
        { p: { activityDigest: 'yes' } })),
      ['INVALID_ARGUMENT_ERROR', 'Notification preferences input contains an invalid value: "yes"'])
      // A JSONObject variable must be an object.
      for (const p of [[], 'str', 7]) {
        const { status, body } = await gql(server, bob.token, update, { p })
        assert.equal(status, 400)
        assert.deepEqual(body.errors.map((e) => e.extensions.code), ['BAD_USER_INPUT'])
      }
      // Nothing was stored by the refused updates.
      assert.deepEqual((await data(server, bob.token, read)).activeUser.notificationPreferences,
        allOn)
    })

    it('needs a signed-in caller, and shows a user\'s settings to that user only', async () => {
      assert.deepEqual(errorOf(await gql(server, null, update, { p: {} })),
        ['UNAUTHORIZED', 'Must provide an auth token'])
      const other = await gql(server, bob.token,
        'query($id: String!) { user(id: $id) { id notificationPreferences } }', { id: ann.id })
      assert.equal(other.body.errors[0].extensions.code, 'FORBIDDEN')
      assert.equal(other.body.data.user, null)
    })
  })
}
