import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { hasMessage } from '../../src/i18n/index.ts'

// TypeScript checks the keys given to t() and msg() in src/ (MessageKey); the templates are not
// type-checked, so their literal keys are checked here.
function templates(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? templates(join(dir, e.name)) : e.name.endsWith('.eta') ? [join(dir, e.name)] : [],
  )
}

t.test('every literal key a template translates is in the catalog', async (t) => {
  let checked = 0
  for (const file of templates('views')) {
    const source = readFileSync(file, 'utf8')
    // t('key') or t('key', …), not t('prefix.' + value)
    for (const match of source.matchAll(/\bt\(\s*'([^']+)'\s*[,)]/g)) {
      checked++
      t.ok(hasMessage(match[1]!), `${file}: ${match[1]}`)
    }
  }
  t.ok(checked > 300, `${checked} keys checked`)
})
