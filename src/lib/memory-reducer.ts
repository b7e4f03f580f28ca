// Gives V8's memory reducer back its chance to return an idle server's memory to the system.
//
// On Node 24 (V8 13.x) the reducer, which runs a memory-reducing collection once allocation has
// gone quiet, never sees "low allocation" in a process that allocates nothing on the embedder's
// C++ heap (cppgc): that allocation rate is then exactly 0, which V8 reads as the highest possible
// (V8 CL 5935313, "Use exponential decay for allocation speed"; trace it with
// `--trace-memory-reducer --trace-mutator-utilization`: "Embedder mutator utilization = 0.000").
// The server then keeps the young generation it grew at start or at a peak (16 MB with
// `--max-semi-space-size=8`) and its pooled pages until the reducer's 100-second watchdog, and
// never if an ordinary major collection comes first, as under light steady traffic.
//
// Node's own `vm` module allocates its compiled scripts on that heap. Compiling an empty script
// now and then keeps that rate above 0 (it decays to exactly 0 again about 110 s after the last
// allocation), so the rate of the JavaScript heap alone decides again, as on Node 22. It costs a
// few microseconds every 30 s and changes nothing on Node versions without the defect.
// Measured in docs/performance.md, « Le ramasse-miettes qui rend la mémoire ».
import { Script } from 'node:vm'

/** Well under the ~110 s after which V8's decayed rate reaches exactly 0 again. */
const MEMORY_REDUCER_NUDGE_MS = 30_000

/** Starts the nudges, one now and one every 30 s, on a timer that does not keep the process alive. */
export function keepMemoryReducerWorking(): void {
  const nudge = () => void new Script('')
  nudge()
  setInterval(nudge, MEMORY_REDUCER_NUDGE_MS).unref()
}
