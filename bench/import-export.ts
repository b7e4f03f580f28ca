/**
 * Times the .ods round trip on 2,000 candidates: our import (checks, SheetJS, validation, commune
 * lookup) next to SheetJS's bare parse of the same bytes, and the export. Run alone with
 * `npx tsx bench/import-export.ts`, or call runImportExportBench() from the bench runner.
 * The import is read in the reader process (sheet-reader.ts): its figure includes sending the
 * file there and the answer back.
 */
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import * as XLSX from 'xlsx'
import { prepareImport } from '../src/features/candidates/candidates.import.ts'
import { buildAttendanceSheet } from '../src/features/candidates/ods/export.ts'
import { sheetReader } from '../src/lib/spreadsheet/sheet-reader.ts'

const ROWS = 2000
const RUNS = 7
const SESSION = { id: 307, date: '2021-01-12', start_time: '10:00', site_name: 'Centre Testix', room: '45', invigilators: 'Eric Martin' }
const CITIES = [
  ['Le Havre', '76'],
  ['Bordeaux', '33'],
  ['Montpellier', '34'],
  ['Ajaccio', '2A'],
  ['Pointe-à-Pitre', '971'],
] as const

/** 0 → 'a', 25 → 'z', 26 → 'ba'…: names are letters only, as the import requires. */
const letters = (n: number): string => (n >= 26 ? letters(Math.floor(n / 26)) : '') + String.fromCharCode(97 + (n % 26))

function candidates() {
  return Array.from({ length: ROWS }, (_, i) => {
    const [city, department] = CITIES[i % CITIES.length]!
    return {
      last_name: `Nom-${letters(i)}`,
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

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return Math.round(sorted[Math.floor(sorted.length / 2)]! * 10) / 10
}

/**
 * Median of RUNS rounds after a warm-up (module loading, the commune index, JIT); the three
 * measures are interleaved in each round so that a busy machine slows them alike.
 */
export async function runImportExportBench(): Promise<{ import_ms: number; sheetjs_parse_ms: number; export_ms: number }> {
  const rows = candidates()
  const sheet = buildAttendanceSheet(SESSION, rows)
  // The first import also starts the reader process: warmed up here, like the JIT.
  const check = await prepareImport(sheet)
  if (!check.ok || check.value.candidates.length !== ROWS) throw new Error(`bench sheet not imported: ${JSON.stringify(check).slice(0, 200)}`)
  const tasks = {
    import_ms: () => prepareImport(sheet),
    sheetjs_parse_ms: () => XLSX.read(sheet, { type: 'buffer', dense: true }),
    export_ms: () => buildAttendanceSheet(SESSION, rows),
  }
  const timings: Record<keyof typeof tasks, number[]> = { import_ms: [], sheetjs_parse_ms: [], export_ms: [] }
  for (let round = -1; round < RUNS; round++) {
    for (const [name, task] of Object.entries(tasks) as Array<[keyof typeof tasks, () => unknown]>) {
      const start = performance.now()
      await task()
      if (round >= 0) timings[name].push(performance.now() - start)
    }
  }
  return { import_ms: median(timings.import_ms), sheetjs_parse_ms: median(timings.sheetjs_parse_ms), export_ms: median(timings.export_ms) }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await runImportExportBench()))
  sheetReader.close()
}
