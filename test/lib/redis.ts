import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { createConnection } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Teardown } from '../helper.ts'
import { freePort } from './server-process.ts'

/** Whether Debian's redis-server can be started here (apt-get install redis-server). */
export const hasRedisServer = (): boolean => spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0

/** A throw-away redis-server (Debian's) on a free loopback port, stopped when the test ends; its URL. */
export async function startRedis(t: Teardown): Promise<string> {
  const port = await freePort()
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
  t.teardown(async () => {
    server.kill()
    if (server.exitCode === null) await once(server, 'exit')
  })
  for (let i = 0; ; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' }, () => (socket.end(), resolve(true)))
      socket.once('error', () => resolve(false))
    })
    if (up) break
    if (i > 200) throw new Error('redis-server did not start')
    await sleep(25)
  }
  return `redis://127.0.0.1:${port}`
}

/**
 * A throw-away redis-server the test can stop (SIGKILL: an outage), start again on the same port,
 * or freeze (SIGSTOP: a Redis that accepts connections and never answers) and thaw.
 */
export async function controlledRedis(t: Teardown) {
  const port = await freePort()
  let server: ChildProcess | null = null
  const up = () =>
    new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' }, () => (socket.end(), resolve(true)))
      socket.once('error', () => resolve(false))
    })
  const start = async () => {
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
    for (let i = 0; !(await up()); i++) {
      if (i > 200) throw new Error('redis-server did not start')
      await sleep(25)
    }
  }
  const stop = async () => {
    const running = server
    server = null
    if (!running || running.exitCode !== null) return
    running.kill('SIGKILL')
    await once(running, 'exit')
  }
  t.teardown(stop)
  await start()
  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    freeze: () => server?.kill('SIGSTOP'),
    thaw: () => server?.kill('SIGCONT'),
  }
}
