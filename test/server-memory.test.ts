import { spawn } from 'node:child_process'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import t from 'tap'
import { childEnv, RUN_TYPESCRIPT } from './lib/typescript.ts'

const moduleUrl = pathToFileURL(path.resolve(import.meta.dirname, '../src/lib/memory-reducer.ts')).href

// A process that has just grown its heap, then goes quiet: V8's memory reducer must come to see
// "low allocation" and collect (its own trace says so). On Node 24 without the nudges it never
// does before its 100-second watchdog: the embedder's allocation rate reads exactly 0 ("high").
t.test('with the nudges, V8’s memory reducer sees the quiet process and collects', async (t) => {
  const script = [
    `const { keepMemoryReducerWorking } = await import(${JSON.stringify(moduleUrl)})`,
    'keepMemoryReducerWorking()',
    'let garbage = []',
    'for (let i = 0; i < 200000; i++) garbage.push({ i })',
    'garbage = null',
    // A major collection starts the reducer's clock, as start-up's own does in the server.
    'globalThis.gc()',
    'setTimeout(() => {}, 60000)',
  ].join('\n')
  const child = spawn(process.execPath, [...RUN_TYPESCRIPT, '--expose-gc', '--trace-memory-reducer', '--input-type=module', '--eval', script], {
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  t.teardown(() => void child.kill())
  let output = ''
  const verdict = await new Promise<string>((resolve) => {
    const look = (chunk: Buffer) => {
      output += chunk.toString()
      if (/Memory reducer: started GC/.test(output)) resolve('collected')
    }
    child.stdout.on('data', look)
    child.stderr.on('data', look)
    child.on('exit', () => resolve('exited'))
    // The reducer looks every 8 s; the watchdog would only come at 100 s.
    setTimeout(() => resolve('still waiting'), 45_000).unref()
  })
  t.equal(verdict, 'collected', 'a memory-reducing collection ran')
  t.match(output, /Memory reducer: low alloc/, 'because the allocation rate read as low')
})
