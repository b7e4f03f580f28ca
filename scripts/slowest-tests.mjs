// Prints the slowest test files of the last tap run (from tap's .tap/test-results/*.tap, each ending with
// "# time=…ms"), to see where CI's minutes go:  node scripts/slowest-tests.mjs [count]
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

const dir = '.tap/test-results'
const count = Number(process.argv[2] ?? 8)
const times = []
for (const file of readdirSync(dir, { recursive: true })) {
  if (!file.endsWith('.tap')) continue
  const text = readFileSync(path.join(dir, file), 'utf8')
  const match = [...text.matchAll(/^# time=([\d.]+)ms$/gm)].pop()
  if (match) times.push([Number(match[1]) / 1000, file.replace(/\.tap$/, '')])
}
times.sort((a, b) => b[0] - a[0])
const total = times.reduce((sum, [s]) => sum + s, 0)
console.log(`slowest of ${times.length} test files (sum ${Math.round(total)} s):`)
for (const [seconds, file] of times.slice(0, count)) console.log(`  ${seconds.toFixed(1).padStart(6)} s  ${file}`)
