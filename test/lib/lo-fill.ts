import { execFileSync } from 'node:child_process'
import path from 'node:path'

const LO_FILL = path.join(import.meta.dirname, '../features/candidates/fixtures/lo_fill.py')

/**
 * Types cells into a spreadsheet with LibreOffice Calc (test/features/candidates/fixtures/lo_fill.py).
 * LibreOffice sometimes drops its UNO bridge while starting when another soffice starts at the same
 * moment (other tests, other agents): a few tries.
 */
export function fillWithLibreOffice(specFile: string, options: { frenchSystem?: boolean; tries?: number } = {}): void {
  // A French system (LANG): LibreOffice then writes a CSV as a French user's does (dates 15/06/2030,
  // Western European charset); without it, en-US dates (06/15/2030) and times (09:00:00 AM).
  const env = options.frenchSystem ? { ...process.env, LANG: 'fr_FR.UTF-8', LC_ALL: 'fr_FR.UTF-8' } : process.env
  const tries = options.tries ?? 3
  for (let attempt = 1; ; attempt++) {
    try {
      execFileSync('/usr/bin/python3', [LO_FILL, specFile], { stdio: 'pipe', timeout: 120_000, env })
      return
    } catch (error) {
      if (attempt >= tries) throw error
    }
  }
}
