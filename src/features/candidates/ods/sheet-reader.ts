import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { type Msg, msg } from '../../../i18n/index.ts'
import type { SheetReading } from './import.ts'

/**
 * Limits of the thread that reads uploaded sheets. A filled sheet of 2,000 candidates takes well
 * under a second and a few dozen MB; these leave a wide margin and still stop a hostile file long
 * before it hurts the server.
 */
export interface SheetReaderLimits {
  /** Time one file may take (opening, checks and SheetJS); the thread is killed beyond. */
  timeoutMs: number
  /** V8 heap of the thread (worker `resourceLimits`): it is killed when a file needs more. */
  maxOldGenerationSizeMb: number
  maxYoungGenerationSizeMb: number
  /** Files waiting for the thread at most; more are answered "try again". */
  maxQueue: number
}

export const SHEET_READER_LIMITS: SheetReaderLimits = { timeoutMs: 15_000, maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32, maxQueue: 8 }

interface Job {
  id: number
  bytes: Uint8Array
  resolve: (reading: SheetReading) => void
}

// sheet-worker.ts under tsx, sheet-worker.js once compiled to dist/ (the worker inherits the loader flags).
const WORKER_URL = new URL(`./sheet-worker${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url)

/**
 * One reused worker thread and a queue: SheetJS never runs on the event loop that answers
 * requests. A file that takes too long or needs too much memory kills the thread (a new one is
 * started for the next file) and gets a French message.
 */
export class SheetReader {
  private worker: Worker | null = null
  private readonly queue: Job[] = []
  private current: { job: Job; timer: NodeJS.Timeout } | null = null
  private nextId = 1

  constructor(private readonly limits: SheetReaderLimits = SHEET_READER_LIMITS) {}

  read(buffer: Buffer): Promise<SheetReading> {
    if (this.queue.length >= this.limits.maxQueue) return Promise.resolve({ error: msg('candidates.import.busy') })
    return new Promise((resolve) => {
      // A copy of the bytes moves to the thread (the upload's buffer may share memory with others).
      this.queue.push({ id: this.nextId++, bytes: new Uint8Array(buffer), resolve })
      this.pump()
    })
  }

  /** Stops the thread (it is also unreferenced while idle, so it never keeps the process alive). */
  async close(): Promise<void> {
    const worker = this.worker
    this.worker = null
    if (worker) await worker.terminate()
  }

  private pump() {
    if (this.current || this.queue.length === 0) return
    const job = this.queue.shift()!
    const worker = this.worker ?? this.start()
    worker.ref()
    const timer = setTimeout(() => this.fail(worker, msg('candidates.import.too_slow')), this.limits.timeoutMs)
    this.current = { job, timer }
    worker.postMessage({ id: job.id, bytes: job.bytes }, [job.bytes.buffer as ArrayBuffer])
  }

  private start(): Worker {
    const worker = new Worker(WORKER_URL, {
      resourceLimits: { maxOldGenerationSizeMb: this.limits.maxOldGenerationSizeMb, maxYoungGenerationSizeMb: this.limits.maxYoungGenerationSizeMb },
      stdout: false,
      stderr: false,
    })
    worker.on('message', (answer: { id: number; reading?: SheetReading; failed?: string }) => {
      if (this.worker !== worker || this.current?.job.id !== answer.id) return
      this.finish(answer.reading ?? { error: msg('candidates.import.unreadable') })
    })
    worker.on('error', (error: Error & { code?: string }) => {
      if (this.worker !== worker) return
      this.fail(worker, msg(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'candidates.import.too_complex' : 'candidates.import.unreadable'))
    })
    worker.on('exit', () => {
      if (this.worker === worker) this.fail(worker, msg('candidates.import.unreadable'))
    })
    this.worker = worker
    return worker
  }

  private finish(reading: SheetReading) {
    const current = this.current
    if (!current) return
    clearTimeout(current.timer)
    this.current = null
    this.worker?.unref()
    current.job.resolve(reading)
    this.pump()
  }

  /** The thread is lost (too slow, out of memory, crashed): answer its file, start afresh for the next. */
  private fail(worker: Worker, error: Msg) {
    if (this.worker === worker) this.worker = null
    void worker.terminate()
    this.finish({ error })
  }
}

/** The server's reader (one per process). */
export const sheetReader = new SheetReader()
