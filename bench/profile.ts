/**
 * Where a server's time went, from the V8 CPU profiles it wrote (`--cpu-prof`): the functions with
 * the most self time, and the busy time split into stages of a request (database, rendering,
 * signing, sending…), which self times alone do not tell: a page's UTF-8 encoding shows up in
 * Node's buffer code, a PostgreSQL query's send in the socket's.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

interface CallFrame {
  functionName: string
  url: string
  lineNumber: number
}
export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: CallFrame; children?: number[] }>
  samples: number[]
  timeDeltas: number[]
}

export type Stage = 'database' | 'signing and hashing' | 'sending the answer' | 'rendering (Eta)' | 'reading the request' | 'garbage collector' | 'the rest'

/**
 * A sample goes to the first stage of this list found anywhere on its stack: a query's socket write
 * is database time, not sending; an HMAC made while a page renders (its CSRF token) is signing.
 * "Reading the request" only counts samples whose own function is Node's HTTP parser: everything
 * Fastify and the routes do runs under the parser's callback, and stays in "the rest". In the
 * compiled bundle Kysely has no node_modules URL: building a query stays in "the rest" too, only
 * its compilation and execution count as database.
 */
const STAGES: Array<{ stage: Stage; matches: (frame: CallFrame) => boolean }> = [
  { stage: 'garbage collector', matches: (f) => f.functionName === '(garbage collector)' },
  {
    stage: 'database',
    matches: (f) =>
      /\/node_modules\/(kysely|better-sqlite3|pg|pg-pool|pg-protocol)\//.test(f.url) ||
      ['executeQuery', 'compileQuery', 'provideConnection', 'acquireConnection'].includes(f.functionName),
  },
  {
    stage: 'signing and hashing',
    matches: (f) =>
      f.url === 'node:internal/crypto/hash' || f.url === 'node:internal/crypto/random' || ['Hmac', 'createHmac', 'createHash'].includes(f.functionName),
  },
  {
    stage: 'sending the answer',
    matches: (f) =>
      ['encodePage', 'onSendEnd', 'writePayload', '_storeHeader', 'writeGeneric', 'writevGeneric'].includes(f.functionName) || f.url === 'node:_http_outgoing',
  },
  { stage: 'rendering (Eta)', matches: (f) => ['viewEta', 'viewAsync', 'asyncRender', 'renderPage', 'include', 'XMLEscape'].includes(f.functionName) },
]
const HTTP_PARSER = new Set(['parserOnHeadersComplete', 'parserOnBody', 'parserOnMessageComplete', 'execute', '_addHeaderLine', '_addHeaderLines'])

/**
 * Busy time (idle left out) per key, over several profiles: `keysOf` gives, for one profile, the key
 * of a sample's node ('idle' for idle time). Each key's share of the busy time, largest first.
 */
function busyShares<K>(profiles: CpuProfile[], keysOf: (profile: CpuProfile) => (nodeId: number) => K | 'idle'): Array<[K, number]> {
  const time = new Map<K, number>()
  let busy = 0
  for (const profile of profiles) {
    const keyOf = keysOf(profile)
    profile.samples.forEach((id, i) => {
      const key = keyOf(id)
      if (key === 'idle') return
      const delta = profile.timeDeltas[i] ?? 0
      time.set(key, (time.get(key) ?? 0) + delta)
      busy += delta
    })
  }
  return [...time].sort((a, b) => b[1] - a[1]).map(([key, t]) => [key, Math.round((1000 * t) / Math.max(1, busy)) / 10])
}

/** Busy time (idle left out) per stage, in % of the busy time of all the profiles given. */
export function stagesOf(profiles: CpuProfile[]): Array<{ stage: Stage; pct: number }> {
  return busyShares(profiles, (profile) => {
    const byId = new Map(profile.nodes.map((n) => [n.id, n]))
    const parent = new Map<number, number>()
    for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id)
    const memo = new Map<number, Stage | 'idle'>()
    return (leaf: number): Stage | 'idle' => {
      const known = memo.get(leaf)
      if (known) return known
      const frames: CallFrame[] = []
      for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) frames.push(byId.get(id)!.callFrame)
      const leafFrame = frames[0]!
      const stage: Stage | 'idle' =
        leafFrame.functionName === '(idle)'
          ? 'idle'
          : (STAGES.find((s) => frames.some(s.matches))?.stage ??
            (HTTP_PARSER.has(leafFrame.functionName) || leafFrame.url === 'node:_http_incoming' || leafFrame.url === 'node:_http_common'
              ? 'reading the request'
              : 'the rest'))
      memo.set(leaf, stage)
      return stage
    }
  }).map(([stage, pct]) => ({ stage, pct }))
}

/** The functions with the most self time (idle left out), in % of the busy time. */
export function topFunctions(profiles: CpuProfile[], count = 12): Array<{ function: string; self_pct: number }> {
  return busyShares(profiles, (profile) => {
    const names = new Map(
      profile.nodes.map((n) => [n.id, `${n.callFrame.functionName || '(anonymous)'} ${path.basename(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`]),
    )
    return (id: number) => {
      const name = names.get(id)!
      return name.startsWith('(idle)') ? 'idle' : name
    }
  })
    .slice(0, count)
    .map(([name, pct]) => ({ function: name, self_pct: pct }))
}

/** Every profile a server wrote in `dir`. */
export function readProfiles(dir: string): CpuProfile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as CpuProfile)
}
