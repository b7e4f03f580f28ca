import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { fillWithLibreOffice } from '../../lib/lo-fill.ts'
import * as XLSX from 'xlsx'
import { templateTitles } from '../../../src/features/batch-import/columns.ts'
import { readBatchFile } from '../../../src/features/batch-import/read.ts'

/**
 * The CSV files people really send: a filled template saved as CSV by LibreOffice (its CSV filter,
 * `;` or `,`, UTF-8 or Windows-1252 as Excel's French "CSV (séparateur : point-virgule)"), and
 * Excel's "CSV UTF-8" (the same with a byte-order mark and CRLF), read back by the import.
 */

const LINE = {
  site: 'Lycée Jean-Moulin; bâtiment "B"',
  room: 'Salle 1, rez-de-chaussée',
  invigilators: 'Éric Martin',
  observations: '=1+1',
  lastName: 'Zoé-Müller',
  birthCity: 'Saint-Étienne',
}

function filledOds(): Buffer {
  const text = (v: string): XLSX.CellObject => ({ t: 's', v })
  const row = [
    text(''),
    text(LINE.site),
    text(LINE.room),
    text(''), // typed in LibreOffice below: Calc makes a date cell of it
    text('09:00'),
    text(LINE.invigilators),
    text(LINE.observations),
    text(LINE.lastName),
    text('Léa'),
    text('13/03/1996'),
    text(LINE.birthCity),
    text('42'),
    text('France'),
    text(''),
    text('EXT-1'),
    text('33 %'),
  ]
  const ws = XLSX.utils.aoa_to_sheet([templateTitles().map(text), row, [text('404')]])
  const wb = XLSX.utils.book_new()
  XLSX.utils.book_append_sheet(wb, ws, 'Sessions')
  return XLSX.write(wb, { bookType: 'ods', type: 'buffer' }) as Buffer
}

t.test('LibreOffice CSV exports of a filled template read back exactly', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'batch-csv-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(path.join(dir, 'sheetjs.ods'), filledOds())
  // The date typed as a French user would, so the CSV holds what Calc shows for a date cell.
  writeFileSync(path.join(dir, 'spec.json'), JSON.stringify({ input: 'sheetjs.ods', output: 'filled.ods', cells: [{ cell: 'D2', type: '15/06/2030' }] }))
  fillWithLibreOffice(path.join(dir, 'spec.json'))
  const exportCsv = (name: string, options: string): Buffer => {
    const out = path.join(dir, name)
    execFileSync(
      'soffice',
      [
        `-env:UserInstallation=file://${dir}/profile`,
        '--headless',
        '--norestore',
        '--convert-to',
        `csv:Text - txt - csv (StarCalc):${options}`,
        '--outdir',
        out,
        'filled.ods',
      ],
      {
        cwd: dir,
        stdio: 'pipe',
        timeout: 120_000,
        // A French user's LibreOffice: a date cell is written as shown, 15/06/30 (en-US would write 06/15/30).
        env: { ...process.env, LANG: 'fr_FR.UTF-8', LC_ALL: 'fr_FR.UTF-8' },
      },
    )
    const [file] = readdirSync(out)
    return readFileSync(path.join(out, file!))
  }
  // Filter options: separator (59 ';', 44 ','), text delimiter (34 '"'), character set (76 UTF-8, 1 Windows-1252), first line.
  const semicolonUtf8 = exportCsv('semicolon-utf8', '59,34,76,1')
  const variants: Array<[string, Buffer]> = [
    ['LibreOffice, ; and UTF-8', semicolonUtf8],
    ['LibreOffice, , and UTF-8', exportCsv('comma-utf8', '44,34,76,1')],
    ['LibreOffice, ; and Windows-1252 (what French Excel writes)', exportCsv('semicolon-1252', '59,34,1,1')],
    [
      'Excel "CSV UTF-8": BOM and CRLF',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(semicolonUtf8.toString('utf8').replace(/\r?\n/g, '\r\n'))]),
    ],
  ]
  t.ok(semicolonUtf8.toString('utf8').includes('"Lycée Jean-Moulin; bâtiment ""B"""'), 'LibreOffice quoted the field with ; and quotes')
  for (const [name, bytes] of variants) {
    const reading = await readBatchFile(bytes)
    if (!reading.ok) {
      t.fail(`${name}: refused ${JSON.stringify(reading.refused)}`)
      continue
    }
    t.equal(reading.value.length, 2, `${name}: two lines`)
    const [first, second] = reading.value
    t.equal(first!.line, 2, name)
    t.match(
      first!.values,
      {
        sessionNumber: '',
        siteName: LINE.site,
        room: LINE.room,
        date: '15/06/30', // LibreOffice's French short date: the plan reads it as 2030 (plan.test.ts)
        startTime: '09:00',
        invigilators: LINE.invigilators,
        observations: LINE.observations,
        lastName: LINE.lastName,
        firstName: 'Léa',
        birthdate: '13/03/1996',
        birthCity: LINE.birthCity,
        birthDepartment: '42',
        birthCountry: 'France',
        externalId: 'EXT-1',
        extraTime: '33 %',
      },
      `${name}: every value as typed, a formula-looking cell as text`,
    )
    t.equal(second!.values.sessionNumber, '404', `${name}: a session number line`)
  }
})
