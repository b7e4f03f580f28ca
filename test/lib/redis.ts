import { spawn, spawnSync } from 'node:child_process'
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
