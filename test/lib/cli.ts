import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { childEnv, RUN_TYPESCRIPT } from './typescript.ts'

const run = promisify(execFile)
const root = path.resolve(import.meta.dirname, '../..')

/** Runs `src/cli.ts` as the operator does, on DATA_DIR (or the given environment); never throws. */
export async function cli(dataDir: string | Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...RUN_TYPESCRIPT, 'src/cli.ts', ...args], {
      cwd: root,
      env: { ...childEnv(), PUBLIC_URL: 'http://certif.lycee.test', ...(typeof dataDir === 'string' ? { DATA_DIR: dataDir } : dataDir) },
    })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}
