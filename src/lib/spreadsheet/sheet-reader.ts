import { type ChildProcess, fork } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { type Msg, msg } from '../../i18n/index.ts'
import { ROOT } from '../../paths.ts'
import { type Ok, type Refusal, refused } from '../result.ts'

/**
 * Limits of the process that reads uploaded sheets. A filled sheet of 2,000 candidates takes well
 * under a second and a few dozen MB; these leave a wide margin and still stop a hostile file long
 * before it hurts the server.
 */
export interface SheetReaderLimits {
  /** Time one file may take (opening, checks and SheetJS); the reader is killed beyond. */
  timeoutMs: number
  /** V8 heap of the reader (`--max-old-space-size`): it stops when a file needs more. */
  maxOldGenerationSizeMb: number
  /** Files waiting for the reader at most; more are answered "try again". */
  maxQueue: number
}

export const SHEET_READER_LIMITS: SheetReaderLimits = { timeoutMs: 15_000, maxOldGenerationSizeMb: 256, maxQueue: 8 }

/**
 * How the reader's process reads one kind of file: the function exported as `name` by the module at
 * `module` (its source's path from the project folder, without extension: `src/…/import`, found as
 * .ts under tsx and as .js in dist/, where scripts/build.mjs makes it an entry point of its own),
 * taking the file's bytes and answering its reading (`R`, an `Ok` or a `Refusal`). The feature that
 * reads the file declares it (`ATTENDANCE_SHEET`, `BATCH_TEMPLATE`); this folder imports no feature.
 */
export interface SheetParser<R extends Ok<unknown> | Refusal> {
  module: string
  name: string
  /** Only carries `R` for `run`'s answer. */
  readonly reading?: R
}

interface Job {
  id: number
  parser: { module: string; name: string }
  bytes: Uint8Array
  /** The reading as sent back by the reader process (its own Ok or Refusal), or the reason it could not read. */
  resolve: (reading: unknown) => void
  refuse: (error: Msg) => void
}

// sheet-worker.ts from the sources (under tsx), sheet-worker.js once built to dist/ (an entry of
// scripts/build.mjs: the build bundles this module into a shared chunk, so its own location says
// only which of the two it is).
const EXTENSION = path.extname(fileURLToPath(import.meta.url))
const builtOrSource = (module: string) => path.join(ROOT, EXTENSION === '.ts' ? '' : 'dist', `${module}${EXTENSION}`)
const WORKER_FILE = builtOrSource('src/lib/spreadsheet/sheet-worker')
/** The URL the reader's process imports a parser's module from. */
export const parserModuleUrl = (parser: { module: string }) => pathToFileURL(builtOrSource(parser.module)).href
/**
 * The parent's environment without NODE_V8_COVERAGE: the reader's heap limit is what one file may
 * use, and V8's coverage counters (when the test suite measures coverage) would take part of it.
 */
function readerEnv(): NodeJS.ProcessEnv {
  const { NODE_V8_COVERAGE: _, ...env } = process.env
  return env
}
/** Only the TypeScript loader, when running from the sources: none of the parent's other flags (inspector ports, heap sizes…). */
const loaderFlags = () => (EXTENSION === '.ts' ? ['--import', import.meta.resolve('tsx')] : [])

/**
 * One reused child process and a queue: SheetJS never runs on the event loop that answers
 * requests. A file that takes too long or needs too much memory ends the reader (a new one is
 * started for the next file) and gets a French message.
 *
 * A process rather than a worker thread: a worker's `resourceLimits` are best-effort, and a
 * worker that reaches its heap limit in some allocations aborts the whole server
 * (nodejs/node#47224; seen here with SheetJS and a 32 MB limit). A child process that runs out of
 * memory ends alone.
 */
export class SheetReader {
  private child: ChildProcess | null = null
  private readonly queue: Job[] = []
  private current: { job: Job; timer: NodeJS.Timeout } | null = null
  private nextId = 1

  private readonly limits: SheetReaderLimits
  constructor(limits: SheetReaderLimits = SHEET_READER_LIMITS) {
    this.limits = limits
  }

  /** Reads in the reader's process: what the parser answered, or why the reader could not read (busy, too slow…). */
  run<R extends Ok<unknown> | Refusal>(parser: SheetParser<R>, buffer: Buffer): Promise<R | Refusal> {
    if (this.queue.length >= this.limits.maxQueue) return Promise.resolve(refused(msg('candidates.import.busy')))
    return new Promise((resolve) => {
      this.queue.push({
        id: this.nextId++,
        parser: { module: parserModuleUrl(parser), name: parser.name },
        bytes: new Uint8Array(buffer),
        resolve: (reading) => resolve(reading as R),
        refuse: (error) => resolve(refused(error)),
      })
      this.pump()
    })
  }

  /** Stops the reader (it is also unreferenced while idle, so it never keeps the server alive). */
  close() {
    const child = this.child
    this.child = null
    child?.kill('SIGKILL')
  }

  private pump() {
    if (this.current || this.queue.length === 0) return
    const job = this.queue.shift()!
    const child = this.child ?? this.start()
    hold(child, true)
    const timer = setTimeout(() => this.fail(child, msg('candidates.import.too_slow')), this.limits.timeoutMs)
    this.current = { job, timer }
    child.send({ id: job.id, parser: job.parser, bytes: job.bytes }, (error) => {
      if (error) this.fail(child, msg('candidates.import.unreadable'))
    })
  }

  private start(): ChildProcess {
    const child = fork(WORKER_FILE, [], {
      execArgv: [...loaderFlags(), `--max-old-space-size=${this.limits.maxOldGenerationSizeMb}`],
      env: readerEnv(),
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    })
    child.on('message', (answer: { id: number; reading?: unknown; failed?: string }) => {
      if (this.child !== child || this.current?.job.id !== answer.id) return
      this.finish(answer.reading === undefined ? { error: msg('candidates.import.unreadable') } : { reading: answer.reading })
    })
    child.on('error', () => this.fail(child, msg('candidates.import.unreadable')))
    child.on('exit', (code, signal) => {
      // V8 aborts (SIGABRT, or exit code 134) when the heap limit is reached.
      const outOfMemory = signal === 'SIGABRT' || code === 134
      this.fail(child, msg(outOfMemory ? 'candidates.import.too_complex' : 'candidates.import.unreadable'))
    })
    this.child = child
    return child
  }

  private finish(outcome: { reading: unknown } | { error: Msg }) {
    const current = this.current
    if (!current) return
    clearTimeout(current.timer)
    this.current = null
    if (this.child) hold(this.child, false)
    if ('reading' in outcome) current.job.resolve(outcome.reading)
    else current.job.refuse(outcome.error)
    this.pump()
  }

  /** The reader is lost (too slow, out of memory, crashed): answer its file, start afresh for the next. */
  private fail(child: ChildProcess, error: Msg) {
    if (this.child !== child) return
    this.child = null
    child.kill('SIGKILL')
    this.finish({ error })
  }
}

/** While a file is being read the reader keeps the process alive; idle, it does not. */
function hold(child: ChildProcess, busy: boolean) {
  const channel = child.channel as { ref(): void; unref(): void } | null | undefined
  if (busy) {
    child.ref()
    channel?.ref()
  } else {
    child.unref()
    channel?.unref()
  }
}

/** The server's reader (one per process). */
export const sheetReader = new SheetReader()
