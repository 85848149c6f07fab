// Starts GraphiQL on the page that GET /graphql serves to browsers. React, ReactDOM and GraphiQL
// are globals set by the scripts the page loads before this one.
//
// The IDE talks to the endpoint the page came from: queries and mutations as POST requests with
// a JSON body, subscriptions over a WebSocket on the same path. The token of a signed-in user is
// not at hand here, so the user pastes one into the Headers tab; headers are kept for the tab's
// life only, never written to local storage.
;(function () {
  'use strict'

  const endpoint = window.location.origin + window.location.pathname
  const socketEndpoint = endpoint.replace(/^http/, 'ws')

  const firstQuery = [
    '# Welcome to the GraphQL IDE of this Stipple server.',
    '#',
    '# Private data needs a token: open the Headers tab below and paste',
    '#   {"Authorization": "Bearer YOUR_TOKEN"}',
    '#',
    '# Ctrl-Enter runs the query; the Docs pane on the left describes the schema.',
    '',
    'query ServerInfo {',
    '  serverInfo {',
    '    name',
    '    version',
    '  }',
    '}',
    ''
  ].join('\n')

  const fetcher = GraphiQL.createFetcher({ url: endpoint, subscriptionUrl: socketEndpoint })
  const ide = React.createElement(GraphiQL, {
    fetcher,
    defaultQuery: firstQuery,
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false
  })
  ReactDOM.createRoot(document.getElementById('stipple-graphiql')).render(ide)
})()
