/**
 * Times the .ods round trip on 2,000 candidates: our import (checks, SheetJS, validation, commune
 * lookup) next to SheetJS's bare parse of the same bytes, and the export. Run alone with
 * `npx tsx bench/import-export.ts`, or call runImportExportBench() from the bench runner.
 */
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import * as XLSX from 'xlsx'
import { prepareImport } from '../src/features/candidates/candidates.import.ts'
import { buildAttendanceSheet } from '../src/features/candidates/ods/export.ts'

const ROWS = 2000
const RUNS = 5
const SESSION = { id: 307, date: '2021-01-12', start_time: '10:00', site_name: 'Centre Testix', room: '45', invigilators: 'Eric Martin' }
const CITIES = [
  ['Le Havre', '76'],
  ['Bordeaux', '33'],
  ['Montpellier', '34'],
  ['Ajaccio', '2A'],
  ['Pointe-à-Pitre', '971'],
] as const

function candidates() {
  return Array.from({ length: ROWS }, (_, i) => {
    const [city, department] = CITIES[i % CITIES.length]!
    return {
      last_name: `Nom-${i}`,
      first_name: i % 2 ? 'Julie' : 'Michel',
      birthdate: `${1980 + (i % 30)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
      birth_city: city,
      birth_department_code: department,
      birth_country: 'France',
      email: `candidat.${i}@exemple.fr`,
      external_id: `ETU-${i}`,
      extra_time_percentage: i % 10 === 0 ? 33 : null,
    }
  })
}

/** Median of RUNS timings, after one warm-up run (module loading, commune index). */
function time(fn: () => unknown): number {
  fn()
  const timings: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now()
    fn()
    timings.push(performance.now() - start)
  }
  timings.sort((a, b) => a - b)
  return Math.round(timings[Math.floor(RUNS / 2)]! * 10) / 10
}

export async function runImportExportBench(): Promise<{ import_ms: number; sheetjs_parse_ms: number; export_ms: number }> {
  const rows = candidates()
  const sheet = buildAttendanceSheet(SESSION, rows)
  const check = prepareImport(sheet)
  if (check.kind !== 'ok' || check.candidates.length !== ROWS) throw new Error(`bench sheet not imported: ${check.kind}`)
  return {
    import_ms: time(() => prepareImport(sheet)),
    sheetjs_parse_ms: time(() => XLSX.read(sheet, { type: 'buffer', dense: true })),
    export_ms: time(() => buildAttendanceSheet(SESSION, rows)),
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await runImportExportBench()))
}
