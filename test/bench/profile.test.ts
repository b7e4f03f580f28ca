import t from 'tap'
import { type CpuProfile, stagesOf, topFunctions } from '../../bench/profile.ts'

/** A profile from a tree of [functionName, url, ms of self time, children]. */
type Tree = [string, string, number, Tree[]?]
function profileOf(root: Tree): CpuProfile {
  const profile: CpuProfile = { nodes: [], samples: [], timeDeltas: [] }
  let next = 1
  const add = ([functionName, url, ms, children = []]: Tree): number => {
    const id = next++
    const node = { id, callFrame: { functionName, url, lineNumber: 0 }, children: [] as number[] }
    profile.nodes.push(node)
    for (let i = 0; i < ms; i++) {
      profile.samples.push(id)
      profile.timeDeltas.push(1000)
    }
    node.children = children.map(add)
    return id
  }
  add(root)
  return profile
}

const request: Tree = [
  'parserOnIncoming',
  'node:_http_server',
  0,
  [
    [
      'routeHandler',
      'file:///app/dist/src/server.js',
      10,
      [
        // A page: Eta, its CSRF token's HMAC (asked while rendering), then its UTF-8 encoding.
        [
          'renderPage',
          'file:///app/dist/src/server.js',
          0,
          [
            ['viewEta', 'file:///app/dist/src/server.js', 0, [['XMLEscape', 'file:///app/dist/src/server.js', 15]]],
            ['csrfToken', 'file:///app/dist/src/server.js', 0, [['Hmac', 'node:internal/crypto/hash', 5]]],
            ['encodePage', 'file:///app/dist/src/server.js', 0, [['writeUtf8String', '', 10]]],
          ],
        ],
        // A query sent to PostgreSQL: its socket write is the database's time, not the answer's.
        [
          'executeQuery',
          'file:///app/dist/chunks/chunk-1.js',
          5,
          [['query', 'file:///app/node_modules/pg/lib/client.js', 0, [['writeGeneric', 'node:internal/stream_base_commons', 20]]]],
        ],
        ['onSendEnd', 'file:///app/dist/src/server.js', 0, [['writeGeneric', 'node:internal/stream_base_commons', 5]]],
      ],
    ],
  ],
]
const profile = profileOf([
  '(root)',
  '',
  0,
  [['(idle)', '', 1000], ['(garbage collector)', '', 5], ['parserOnHeadersComplete', 'node:_http_common', 5], request],
])

t.test('the busy time is split by stage, the first stage found on the stack deciding', async (t) => {
  // Busy: 10 + 15 + 5 + 10 + 5 + 20 + 5 + 5 (GC) + 5 (parser) = 80 ms; the idle second is left out.
  t.same(Object.fromEntries(stagesOf([profile]).map((s) => [s.stage, s.pct])), {
    database: 31.3,
    'sending the answer': 18.8,
    'rendering (Eta)': 18.8,
    'the rest': 12.5,
    'signing and hashing': 6.3,
    'garbage collector': 6.3,
    'reading the request': 6.3,
  })
  t.equal(stagesOf([profile])[0]!.stage, 'database', 'largest first')
})

t.test('several profiles (several instances) are added up', async (t) => {
  const twice = stagesOf([profile, profile])
  t.same(twice, stagesOf([profile]))
})

t.test('self time by function, idle left out', async (t) => {
  const top = topFunctions([profile], 2)
  // writeGeneric twice (a query's send and the answer's), as one function.
  t.same(
    top.map((f) => f.function),
    ['writeGeneric stream_base_commons:1', 'XMLEscape server.js:1'],
  )
  t.equal(top[0]!.self_pct, 31.3)
})
