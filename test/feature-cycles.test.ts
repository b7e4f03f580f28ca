import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import t from 'tap'

const root = path.resolve(import.meta.dirname, '..')
const features = path.join(root, 'src/features')

/** Which feature folder imports which: folder → folders it imports (static and dynamic imports, relative paths). */
function featureGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>()
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name)
      return statSync(full).isDirectory() ? files(full) : name.endsWith('.ts') ? [full] : []
    })
  for (const file of files(features)) {
    const from = path.relative(features, file).split(path.sep)[0]!
    if (!graph.has(from)) graph.set(from, new Set())
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)) {
      const target = path.relative(features, path.resolve(path.dirname(file), specifier!))
      const to = target.split(path.sep)[0]!
      if (!target.startsWith('..') && to !== from) graph.get(from)!.add(to)
    }
  }
  return graph
}

/** The cycles of the graph: its strongly connected components of more than one folder (Tarjan). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let next = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const found: string[][] = []
  const visit = (v: string) => {
    index.set(v, next)
    low.set(v, next++)
    stack.push(v)
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!))
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = []
      let w: string
      do {
        w = stack.pop()!
        component.push(w)
      } while (w !== v)
      if (component.length > 1) found.push(component.sort())
    }
  }
  for (const v of graph.keys()) if (!index.has(v)) visit(v)
  return found
}

// A rule both features need lives where both can import it (the lower feature, or src/lib/): the
// feature folders stack, and each one can be read knowing only the ones below it.
t.test('no import cycle between feature folders', async (t) => {
  const graph = featureGraph()
  t.ok(graph.size >= 10, 'the feature folders are found')
  t.ok(graph.get('batch-import')?.has('candidates'), 'imports between folders are seen')
  t.same(cycles(graph), [], 'no folder reaches itself through its imports')
})

t.test('the cycle finder finds a cycle', async (t) => {
  const graph = new Map([
    ['a', new Set(['b'])],
    ['b', new Set(['c'])],
    ['c', new Set(['a'])],
    ['d', new Set(['a'])],
  ])
  t.same(cycles(graph), [['a', 'b', 'c']])
})
