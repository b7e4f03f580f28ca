// `npm run cli` runs the compiled CLI (dist/): this builds it first only when dist/ is missing or
// older than a source file (src/, migrations/, the build's tsconfig), so that an operator's command
// never deletes and rewrites dist/ under a server already running from it for nothing.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const built = path.join(root, 'dist/src/cli.js')

function newest(entry) {
  const stat = statSync(entry)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(0, ...readdirSync(entry).map((name) => newest(path.join(entry, name))))
}

const sources = ['src', 'migrations', 'scripts/build.mjs', 'package-lock.json'].map((p) => path.join(root, p)).filter(existsSync)
if (!existsSync(built) || Math.max(...sources.map(newest)) > statSync(built).mtimeMs) {
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' })
  process.exit(result.status ?? 1)
}
