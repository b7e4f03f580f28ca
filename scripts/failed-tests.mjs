// Prints what failed in the last tap run (from tap's .tap/test-results/*.tap): each failing assertion
// under its test file and subtests, with the start of its diagnostic. CI prints it last, beside the
// totals, so that the end of its output (the part that is kept) names what failed:
//   node scripts/failed-tests.mjs [label] [tap's output, for the files that failed without an assertion]
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

const dir = '.tap/test-results'
const label = process.argv[2] ?? 'la suite'
const log = process.argv[3]
const maxLines = 60
const out = []
const told = new Set()

/** The useful part of the YAML block that follows a "not ok" line: where, what, and the diff's lines. */
function diagnosticAt(lines, start) {
  const found = []
  if (!/^\s*---$/.test(lines[start] ?? '')) return found
  let fileName = ''
  let inDiff = false
  for (let j = start + 1; j < lines.length && !/^\s*\.\.\.$/.test(lines[j]); j++) {
    const entry = lines[j].trim()
    const key = /^(\w+):\s*(.*)$/.exec(entry)
    if (key && !/^[-+]/.test(entry)) inDiff = key[1] === 'diff'
    if (inDiff && /^[-+](?![-+]{2} )/.test(entry)) found.push(entry.slice(0, 160))
    if (!key) continue
    const [, name, value] = key
    if (name === 'fileName') fileName = value
    else if (name === 'lineNumber' && fileName) found.unshift(`at ${fileName}:${value}`)
    else if (['message', 'found', 'wanted', 'code', 'exitCode', 'signal', 'expired'].includes(name) && value && value !== 'null' && value !== '|') {
      found.push(`${name}: ${value.slice(0, 160)}`)
    }
    if (found.length >= 8) break
  }
  return found
}
for (const file of existsSync(dir) ? readdirSync(dir, { recursive: true }).sort() : []) {
  if (!file.endsWith('.tap')) continue
  const lines = readFileSync(path.join(dir, file), 'utf8').split('\n')
  const failures = []
  // The subtests open at each depth (tap prints "# Subtest: name" before a child's lines, and its
  // result after them, at the same depth), and how many failures were told before each opened.
  const open = []
  const toldBefore = []
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const depth = Math.floor((line.length - line.trimStart().length) / 4)
    const subtest = /^\s*# Subtest: (.*)$/.exec(line)
    if (subtest) {
      open.length = depth
      toldBefore.length = depth
      open[depth] = subtest[1]
      toldBefore[depth] = failures.length
      continue
    }
    const failed = /^\s*not ok \d+ - (.*?)(?: # time=.*)?$/.exec(line)
    if (!failed) continue
    // A subtest that failed because a child did is already told by that child.
    if (open[depth] === failed[1] && failures.length > toldBefore[depth]) continue
    const diagnostic = diagnosticAt(lines, i + 1)
    failures.push({ name: [...open.slice(0, depth).filter(Boolean), failed[1]].join(' > '), diagnostic })
  }
  if (failures.length === 0) continue
  told.add(file.replace(/\.tap$/, ''))
  out.push(`  ${file.replace(/\.tap$/, '')}`)
  for (const { name, diagnostic } of failures) {
    out.push(`    not ok: ${name.slice(0, 300)}`)
    for (const entry of diagnostic) out.push(`      ${entry}`)
  }
}
// A file that failed with no failing assertion of its own (it crashed, or ran out of time before its
// first subtest ended): tap's own line for it.
if (log && existsSync(log)) {
  const lines = readFileSync(log, 'utf8').split('\n')
  for (let i = 0; i < lines.length; i++) {
    const failed = /^not ok \d+ - (\S+)(.*)$/.exec(lines[i])
    if (!failed || told.has(failed[1])) continue
    out.push(`  ${failed[1]}${failed[2]}`)
    for (const entry of diagnosticAt(lines, i + 1)) out.push(`      ${entry}`)
  }
}
if (out.length === 0) {
  console.log(`Échecs (${label}) : aucun.`)
} else {
  console.log(`Échecs (${label}) :`)
  for (const line of out.slice(0, maxLines)) console.log(line)
  if (out.length > maxLines) console.log(`  … et ${out.length - maxLines} lignes de plus dans .tap/test-results`)
}
