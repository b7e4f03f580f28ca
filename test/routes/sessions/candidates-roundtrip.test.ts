import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import * as XLSX from 'xlsx'
import { createSession } from '../../factories.ts'
import { FIXTURES } from '../../features/candidates/fixtures/sheets.ts'
import { build, loggedIn, type Teardown } from '../../helper.ts'

/** The app's sheet in real LibreOffice: re-saved without complaint, then filled as a person would. */
function tempDir(t: Teardown) {
  const dir = mkdtempSync(path.join(tmpdir(), 'certisalle-ods-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

function soffice(dir: string, args: string[]) {
  execFileSync('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--norestore', ...args], { cwd: dir, stdio: 'pipe', timeout: 120_000 })
}

const rowsOf = (bytes: Buffer) => {
  const wb = XLSX.read(bytes, { type: 'buffer' })
  return XLSX.utils.sheet_to_json<string[]>(wb.Sheets[wb.SheetNames[0]!]!, { header: 1, raw: false, defval: '' })
}

async function setup(t: Teardown) {
  const server = await build(t)
  const member = await loggedIn(server)
  const session = await createSession(server.db, member.centreId, { site_name: 'Lycée Testix', invigilators: 'Éric Martin' })
  return { server, ...member, session, url: `/sessions/${session.id}/candidats` }
}

t.test('the downloaded sheet opens in LibreOffice and is re-saved unchanged, A4 landscape', async (t) => {
  const { client, url, session } = await setup(t)
  await client.get(`${url}/nouveau`)
  await client.post(`${url}/nouveau`, {
    lastName: 'Dupont',
    firstName: 'Julie',
    birthdate: '13/03/1996',
    birthCity: 'Le Havre',
    birthDepartment: '76',
    birthCountry: 'France',
    email: '',
    externalId: '',
    extraTime: '33',
    accessibilityNeeded: 'oui',
    accessibilityNote: 'Fauteuil roulant',
  })
  const download = await client.get(`${url}/feuille-emargement.ods`)
  const dir = tempDir(t)
  writeFileSync(path.join(dir, 'sheet.ods'), download.rawPayload)
  soffice(dir, ['--convert-to', 'ods', '--outdir', path.join(dir, 'resaved'), 'sheet.ods'])
  soffice(dir, ['--convert-to', 'pdf', '--outdir', dir, 'sheet.ods'])
  const resaved = rowsOf(readFileSync(path.join(dir, 'resaved', 'sheet.ods')))
  const original = rowsOf(download.rawPayload)
  t.same(resaved.slice(0, 12), original.slice(0, 12), 'LibreOffice read every cell as written')
  t.equal(resaved[0]![0], 'Feuille d’émargement')
  t.match(resaved[2], ['', 'La session de certification', '', '', '', '', 'N° de session :', '', String(session.id)])
  t.match(resaved[3], ['', 'Date', '', '12/01/2021', '', '', 'Session surveillée par :', '', 'Éric Martin'])
  t.match(resaved[4], ['', 'Heure locale (début/fin)', '', '10:00', '12:00'])
  t.match(resaved[5], ['', 'Nom du site', '', 'Lycée Testix', '', '', 'Signature des surveillant(s) :'])
  t.same(resaved[9], [
    'N°',
    'Nom de naissance',
    'Prénom',
    'Date de naissance (format : jj/mm/aaaa)',
    'Commune de naissance',
    'Code du département de naissance',
    'Pays de naissance',
    'Adresse e-mail de convocation',
    'Identifiant local',
    'Temps majoré ?',
    'Aménagement (oui ou laisser vide)',
    'Aménagement accordé par',
    'Aménagement accordé le',
    'Signature',
    'Ecran de fin de test vu (cocher)',
  ])
  t.match(resaved[10], ['1', 'Dupont', 'Julie', '13/03/1996', 'Le Havre', '76', 'France', '', '', '33 %', 'oui : Fauteuil roulant'])
  t.equal(resaved[30]![0], '21', 'at least 20 blank numbered rows after the candidates')
  const info = execFileSync('pdfinfo', [path.join(dir, 'sheet.pdf')]).toString()
  t.match(info, /Page size:\s+841\.\d+ x 595\.\d+ pts/, 'A4 landscape')
  const firstPage = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-layout', path.join(dir, 'sheet.pdf'), '-']).toString()
  t.match(firstPage, /Prénom/)
  t.match(firstPage, /\(cocher\)/, 'the last column prints on the first page: the table fits the width')
  // once saved by LibreOffice (as after filling it in), it still prints (a bad page style printed blank pages)
  soffice(path.join(dir, 'resaved'), ['--convert-to', 'pdf', '--outdir', path.join(dir, 'resaved'), 'sheet.ods'])
  const printed = execFileSync('pdftotext', ['-layout', path.join(dir, 'resaved', 'sheet.pdf'), '-']).toString()
  t.match(printed, /Participants/)
  t.match(printed, /Dupont\s+Julie\s+13\/03\/1996/)
  t.match(execFileSync('pdfinfo', [path.join(dir, 'resaved', 'sheet.pdf')]).toString(), /Page size:\s+841\.\d+ x 595\.\d+ pts/)
})

t.test('round trip: download, fill in LibreOffice Calc, import gives back exactly the rows typed', async (t) => {
  const { server, client, url, session } = await setup(t)
  await client.get(url)
  const download = await client.get(`${url}/feuille-emargement.ods`)
  const blank = rowsOf(download.rawPayload)
  t.same(blank[10]!.slice(1).filter(Boolean), [], 'blank the first time')
  const dir = tempDir(t)
  writeFileSync(path.join(dir, 'downloaded.ods'), download.rawPayload)
  const typed = (row: number, values: Array<string | { text: string } | null>) =>
    values.flatMap((v, i) => (v === null ? [] : [{ cell: `${'BCDEFGHIJK'[i]}${row}`, ...(typeof v === 'string' ? { type: v } : v) }]))
  const spec = {
    input: 'downloaded.ods',
    output: 'filled.ods',
    cells: [
      ...typed(11, ['Dupont', 'Julie', '13/03/1996', 'Le Havre', '76', 'France', 'julie.dupont@gmail.com', null, null, 'Oui']),
      ...typed(12, ['Durand', 'Michel', '6/5/01', 'Bordeaux', '33', 'France', 'michel.durand@hotmail.fr', null, '33 %', 'oui : lecteur d’écran']),
      ...typed(15, ['Neige', 'Jean', '22/9/87', 'Montpellier', '34', 'France', null, 'ETU-42', '0,5']),
      ...typed(16, [{ text: 'Éléonore-Anaïs  ' }, { text: ' Zoé' }, { text: '01/02/2003' }, 'Ajaccio', '2a', 'France', null, null, '10']),
    ],
  }
  writeFileSync(path.join(dir, 'spec.json'), JSON.stringify(spec))
  // LibreOffice sometimes drops its UNO bridge while starting when another soffice starts at the same
  // moment (tap runs two files at once): that is the tool, not the app, so one more try.
  const fill = () => execFileSync('/usr/bin/python3', [path.join(FIXTURES, 'lo_fill.py'), path.join(dir, 'spec.json')], { stdio: 'pipe', timeout: 120_000 })
  try {
    fill()
  } catch {
    fill()
  }
  const data = new FormData()
  data.append('fichier', new Blob([new Uint8Array(readFileSync(path.join(dir, 'filled.ods')))]), 'feuille.ods')
  const response = await client.postMultipart(`${url}/import`, data)
  t.equal(response.statusCode, 303)
  const rows = await server.db
    .selectFrom('candidate')
    .select([
      'last_name',
      'first_name',
      'birthdate',
      'birth_city',
      'birth_department_code',
      'birth_country',
      'email',
      'external_id',
      'extra_time_percentage',
      'accessibility_needed',
      'accessibility_note',
    ])
    .where('session_id', '=', session.id)
    .orderBy('id')
    .execute()
  t.same(rows, [
    {
      last_name: 'Dupont',
      first_name: 'Julie',
      birthdate: '1996-03-13',
      birth_city: 'Le Havre',
      birth_department_code: '76',
      birth_country: 'France',
      email: 'julie.dupont@gmail.com',
      external_id: null,
      extra_time_percentage: null,
      accessibility_needed: 1,
      accessibility_note: null,
    },
    {
      last_name: 'Durand',
      first_name: 'Michel',
      birthdate: '2001-05-06',
      birth_city: 'Bordeaux',
      birth_department_code: '33',
      birth_country: 'France',
      email: 'michel.durand@hotmail.fr',
      external_id: null,
      extra_time_percentage: 33,
      accessibility_needed: 1,
      accessibility_note: 'lecteur d’écran',
    },
    {
      last_name: 'Neige',
      first_name: 'Jean',
      birthdate: '1987-09-22',
      birth_city: 'Montpellier',
      birth_department_code: '34',
      birth_country: 'France',
      email: null,
      external_id: 'ETU-42',
      extra_time_percentage: 50,
      accessibility_needed: 0,
      accessibility_note: null,
    },
    {
      last_name: 'Éléonore-Anaïs',
      first_name: 'Zoé',
      birthdate: '2003-02-01',
      birth_city: 'Ajaccio',
      birth_department_code: '2A',
      birth_country: 'France',
      email: null,
      external_id: null,
      extra_time_percentage: 10,
      accessibility_needed: 0,
      accessibility_note: null,
    },
  ])
  // and back out: the next download holds them, and importing it again changes nothing
  const again = await client.get(`${url}/feuille-emargement.ods`)
  const second = new FormData()
  second.append('fichier', new Blob([new Uint8Array(again.rawPayload)]), 'feuille.ods')
  await client.get(url)
  t.equal((await client.postMultipart(`${url}/import`, second)).statusCode, 303)
  const after = await server.db
    .selectFrom('candidate')
    .select(['last_name', 'birthdate', 'extra_time_percentage', 'accessibility_needed', 'accessibility_note'])
    .where('session_id', '=', session.id)
    .orderBy('id')
    .execute()
  // (the download lists them in the French order of every list, so they come back in that order: compare as sets)
  const summary = (list: typeof after) =>
    list.map((r) => JSON.stringify([r.last_name, r.birthdate, r.extra_time_percentage, r.accessibility_needed, r.accessibility_note])).sort()
  t.same(summary(after), summary(rows))
})
