import { randomBytes } from 'node:crypto'
import t from 'tap'
import { ZipArchive } from '../../../src/lib/spreadsheet/zip.ts'
import { buildAttendanceSheet } from '../../../src/features/candidates/ods/export.ts'
import { createCandidate, createSession, finaliseSession, joinCandidate } from '../../factories.ts'
import { fixture, SESSION, sheetWith, VALID } from '../../features/candidates/fixtures/sheets.ts'
import { build, buildWithRace, loggedIn, type Teardown } from '../../helper.ts'
import { differentialCorpus } from '../../lib/hostile.ts'
import { bombStream, manifest, zip } from '../../lib/ods.ts'

/** A session holding one candidate, "Ancien": every refused import must leave it there. */
async function setup(t: Teardown) {
  const server = await build(t)
  const member = await loggedIn(server)
  const session = await createSession(server.db, member.centreId)
  await createCandidate(server.db, session.id, { last_name: 'Ancien' })
  const url = `/sessions/${session.id}/candidats`
  await member.client.get(url)
  const upload = (bytes: Buffer, filename = 'feuille-emargement.ods') => {
    const data = new FormData()
    data.append('fichier', new Blob([new Uint8Array(bytes)]), filename)
    return member.client.postMultipart(`${url}/import`, data)
  }
  const names = async () =>
    (await server.db.selectFrom('candidate').select('last_name').where('session_id', '=', session.id).orderBy('id').execute()).map((r) => r.last_name)
  return { server, ...member, session, url, upload, names }
}

t.test('a LibreOffice-filled sheet replaces the list: green message, table, commune warning', async (t) => {
  const { client, url, upload, names } = await setup(t)
  const response = await upload(fixture('filled.ods'))
  t.equal(response.statusCode, 303)
  t.equal(response.headers.location, url)
  const page = await client.get(url)
  t.ok(page.body.includes('La liste des candidats a été importée avec succès.'))
  t.ok(page.body.includes('Liste des candidats (10)'))
  t.ok(page.body.includes('Ligne 23 : la commune « Montpelier » est inconnue dans le département 34.'), 'non-blocking warning')
  t.notOk((await names()).includes('Ancien'), 'the previous list is replaced')
  t.equal((await names()).length, 10)
})

t.test('every bad line of a LibreOffice sheet is reported at once and nothing changes', async (t) => {
  const { upload, names } = await setup(t)
  const response = await upload(fixture('errors.ods'))
  t.equal(response.statusCode, 400)
  t.ok(response.body.includes('Le fichier contient 14 erreurs.'))
  t.ok(response.body.includes('la liste des candidats n’a pas été modifiée'))
  for (const line of [11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 23, 24, 25]) t.ok(response.body.includes(`Ligne ${line} : `), `line ${line}`)
  t.notOk(response.body.includes('Ligne 26 : '), 'the valid line is not reported')
  t.same(await names(), ['Ancien'])
})

const rules: Array<[string, Array<Partial<typeof VALID>>, string]> = [
  ['missing birth name', [{ last_name: '' }], 'Ligne 11 : colonne « Nom de naissance » — Veuillez indiquer le nom de naissance du candidat.'],
  ['missing first name', [{ first_name: '' }], 'colonne « Prénom » — Veuillez indiquer le prénom du candidat.'],
  ['missing birthdate', [{ birthdate: '' }], 'Veuillez indiquer la date de naissance au format jj/mm/aaaa'],
  ['missing commune', [{ birth_city: '' }], 'colonne « Commune de naissance » — Veuillez indiquer la commune de naissance.'],
  ['missing department', [{ birth_department_code: '' }], 'Veuillez indiquer le code du département de naissance'],
  ['missing country', [{ birth_country: '' }], 'Veuillez indiquer le pays de naissance.'],
  ['impossible date', [{ birthdate: '2000-02-31' }], '« 31/02/2000 » n’est pas une date valide'],
  ['future date', [{ birthdate: '2090-01-01' }], 'La date de naissance ne peut pas être dans le futur'],
  ['before 1900', [{ birthdate: '1899-12-31' }], 'La date de naissance doit être postérieure au 01/01/1900'],
  ['unknown department', [{ birth_department_code: '96' }], '« 96 » n’est pas un code de département'],
  ['unknown country', [{ birth_country: 'Groland' }], 'Le pays « Groland » n’est pas reconnu'],
  ['invalid e-mail', [{ email: 'julie.dupont@' }], '« julie.dupont@ » n’est pas une adresse e-mail valide'],
  ['extra time over 99', [{ extra_time_percentage: 150 }], '« 150 % » n’est pas un temps majoré valide'],
  ['duplicate inside the file', [{}, { last_name: 'DUPONT', first_name: 'julie' }], 'Ligne 12 : ce candidat figure déjà ligne 11'],
]
for (const [name, rows, message] of rules) {
  t.test(`blocking rule: ${name}`, async (t) => {
    const { upload, names } = await setup(t)
    const response = await upload(sheetWith([...rows, { last_name: 'Valide', first_name: 'Autre' }]))
    t.equal(response.statusCode, 400)
    t.ok(response.body.includes('Le fichier contient 1 erreur.') && response.body.includes('la liste des candidats n’a pas été modifiée'), 'red message')
    t.ok(response.body.includes(message), message)
    t.same(await names(), ['Ancien'], 'previous list intact')
  })
}

/** A zip claiming to be an .ods whose content.xml inflates to 200 MB of spaces. */
function zipBomb(): Buffer {
  return zip([
    { name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.spreadsheet'), store: true },
    { name: 'META-INF/manifest.xml', data: Buffer.from(manifest()) },
    { name: 'content.xml', raw: bombStream('<x>', Buffer.alloc(1024 * 1024, 0x20), 200, '</x>') },
  ])
}

const hostile: Array<[string, () => Buffer, string, string?]> = [
  ['an .xlsx (LibreOffice) renamed .ods', () => fixture('filled.xlsx'), 'Ce fichier est un classeur Excel (.xlsx)'],
  ['a .csv (LibreOffice) renamed .ods', () => fixture('filled.csv'), 'Ce fichier est un fichier texte (CSV)'],
  [
    'a PDF renamed .ods',
    () => Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
    'Ce fichier est un document PDF',
  ],
  ['random bytes renamed .ods', () => randomBytes(20_000), 'Ce fichier n’est pas une feuille de calcul au format .ods'],
  ['an empty file', () => Buffer.alloc(0), 'Le fichier est vide.'],
  ['a sheet with the header but nobody (LibreOffice)', () => fixture('header-only.ods'), 'La feuille d’émargement ne contient aucun candidat'],
  ['a file over 5 MB', () => Buffer.concat([fixture('filled.ods'), randomBytes(5 * 1024 * 1024)]), 'Le fichier dépasse 5 Mo.'],
  ['a file over the 10 MB upload limit', () => randomBytes(11 * 1024 * 1024), 'Le fichier dépasse 5 Mo.'],
  ['a zip bomb', zipBomb, 'trop volumineux une fois décompressé'],
  ['more than 2,000 candidates (LibreOffice)', () => fixture('too-many.ods'), 'La feuille contient plus de 2 000 candidats.'],
  ['a sheet without the header row (LibreOffice)', () => fixture('no-header.ods'), 'Ce fichier n’est pas une feuille d’émargement'],
  ['a truncated .ods', () => fixture('filled.ods').subarray(0, 10_000), 'Ce fichier .ods est endommagé ou illisible.'],
]
for (const [name, bytes, message] of hostile) {
  t.test(`hostile file: ${name}`, async (t) => {
    const { upload, names } = await setup(t)
    const response = await upload(bytes())
    t.equal(response.statusCode, 400)
    t.match(response.headers['content-type'], /text\/html/)
    t.ok(response.body.includes(message.replace('2 000', '2\u202f000')), message)
    t.same(await names(), ['Ancien'], 'previous list intact')
  })
}

// Issue 10, item 1: the scan and SheetJS read the same bytes, so an archive whose two headers disagree never reaches SheetJS.
t.test('archives whose central directory and local headers disagree are refused, naming the problem', async (t) => {
  const { upload, names } = await setup(t)
  for (const file of differentialCorpus()) {
    const response = await upload(file.bytes)
    t.equal(response.statusCode, 400, file.name)
    t.ok(response.body.includes('structure incohérente') || response.body.includes('endommagé ou illisible'), `${file.name}: French message`)
  }
  t.same(await names(), ['Ancien'], 'previous list intact')
})

t.test('no file chosen', async (t) => {
  const { client, url, names } = await setup(t)
  const data = new FormData()
  const response = await client.postMultipart(`${url}/import`, data)
  t.equal(response.statusCode, 400)
  t.ok(response.body.includes('Choisissez le fichier de la feuille d’émargement'))
  t.same(await names(), ['Ancien'])
})

t.test('a formula-looking text is kept as text in a free field, in and out; a name cannot be one', async (t) => {
  const { server, client, url, upload, session, names } = await setup(t)
  const refused = await upload(sheetWith([{ last_name: '=HYPERLINK("http://evil")' }]))
  t.equal(refused.statusCode, 400)
  t.ok(
    refused.body.includes('Ligne 11 : colonne « Nom de naissance » — Le nom de naissance ne peut pas contenir « = »'),
    'the name is refused, naming the character',
  )
  t.same(await names(), ['Ancien'])
  t.equal((await upload(sheetWith([{ last_name: 'Dupont', external_id: '=HYPERLINK("http://evil")' }]))).statusCode, 303)
  const row = await server.db.selectFrom('candidate').selectAll().where('session_id', '=', session.id).executeTakeFirstOrThrow()
  t.equal(row.external_id, '=HYPERLINK("http://evil")')
  const sheet = await client.get(`${url}/feuille-emargement.ods`)
  const content = ZipArchive.open(sheet.rawPayload).read('content.xml', 10_000_000).toString('utf8')
  t.notOk(content.includes('table:formula'), 'no formula written')
  t.ok(content.includes('=HYPERLINK(&quot;http://evil&quot;)'), 'written as text')
})

t.test('import refused once a candidate joined, or after finalisation', async (t) => {
  const { server, client, url, upload, names, session, userId } = await setup(t)
  const [ancien] = await server.db.selectFrom('candidate').selectAll().where('session_id', '=', session.id).execute()
  await joinCandidate(server.db, ancien!)
  const response = await upload(fixture('filled.ods'))
  t.equal(response.statusCode, 303)
  t.ok((await client.get(url)).body.includes('La session a débuté, il n’est plus possible de modifier la liste des candidats.'))
  t.same(await names(), ['Ancien'])
  await finaliseSession(server.db, session.id, userId)
  const finalised = await upload(fixture('filled.ods'))
  t.equal(finalised.statusCode, 409, 'finalised: the one refusal page')
  t.ok(finalised.body.includes('Cette session a été finalisée le'))
  t.same(await names(), ['Ancien'])
})

t.test('the downloaded sheet: file name, type, session block and candidates', async (t) => {
  const { client, url, session } = await setup(t)
  const response = await client.get(`${url}/feuille-emargement.ods`)
  t.equal(response.statusCode, 200)
  t.equal(response.headers['content-type'], 'application/vnd.oasis.opendocument.spreadsheet')
  t.equal(response.headers['content-disposition'], `attachment; filename=feuille-emargement-session-${session.id}.ods`)
  t.same(response.rawPayload.subarray(30, 38).toString(), 'mimetype', 'mimetype is the first entry')
  t.ok(buildAttendanceSheet(SESSION, []).length > 0)
})

t.test('many commune warnings: a few listed, then a count, so the message cookie stays small', async (t) => {
  const { client, url, upload, names } = await setup(t)
  const rows = Array.from({ length: 40 }, (_, i) => ({
    last_name: `Nom${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`,
    birth_city: `Saint-Trifouilly-les-Oies-sur-Mer-et-Environs ${i}`,
  }))
  const response = await upload(sheetWith(rows))
  t.equal(response.statusCode, 303)
  const cookie = (response.cookies as Array<{ name: string; value: string }>).find((c) => c.name === 'certisalle_flash')!
  t.ok(cookie.value.length < 3000, `flash cookie ${cookie.value.length} characters`)
  const page = await client.get(url)
  t.ok(page.body.includes('La liste des candidats a été importée avec succès.'))
  t.ok(page.body.includes('… et 32 autres.'))
  t.equal((await names()).length, 40)
})

t.test('twelve unknown communes with long accented names: the flash cookie stays under 4 KB and the message shows', async (t) => {
  const { client, url, upload, names } = await setup(t)
  // Accented letters weigh 2 to 3 bytes in UTF-8, 6 to 9 once URL-encoded in a cookie (Vietnamese ễ: 3 and 9).
  const city = (i: number) => `Bến-Tre-${'ễ'.repeat(70)}-${i}`
  const rows = Array.from({ length: 12 }, (_, i) => ({ last_name: `Nom${String.fromCharCode(97 + i)}`, birth_city: city(i) }))
  const response = await upload(sheetWith(rows))
  t.equal(response.statusCode, 303)
  const header = [response.headers['set-cookie'] ?? []].flat().find((h) => h.startsWith('certisalle_flash='))
  t.ok(header, 'a flash cookie is set')
  t.ok(Buffer.byteLength(header!) < 4096, `Set-Cookie is ${Buffer.byteLength(header!)} bytes`)
  const page = await client.get(url)
  t.ok(page.body.includes('La liste des candidats a été importée avec succès.'))
  t.ok(page.body.includes(`Ligne 11 : la commune « Bến-Tre-${'ễ'.repeat(51)}… » est inconnue`), 'the first warnings are listed')
  t.match(page.body, /… et \d+ autres\./, 'the others are counted')
  t.equal((await names()).length, 12)
})

const LIST_CHANGED = 'Votre fichier n’a pas été importé : la liste des candidats a été modifiée'
const file = (bytes: Buffer, version?: string) => {
  const data = new FormData()
  data.append('fichier', new Blob([new Uint8Array(bytes)]), 'feuille-emargement.ods')
  if (version !== undefined) data.append('version_liste', version)
  return data
}

t.test('two imports into one session from the same page: the second is refused and told why, the list is the first', async (t) => {
  const { server, client, url, session, names } = await setup(t)
  const colleague = await loggedIn(server)
  // Both have the Candidats tab open, with the same list.
  await client.get(url)
  await colleague.client.get(url)
  t.equal(client.listVersion, colleague.client.listVersion)
  const first = await client.postMultipart(`${url}/import`, file(sheetWith([{ last_name: 'Premier' }])))
  t.equal(first.statusCode, 303)
  const second = await colleague.client.postMultipart(`${url}/import`, file(sheetWith([{ last_name: 'Second' }, { last_name: 'Secondbis' }])))
  t.equal(second.statusCode, 409)
  t.ok(second.body.includes(LIST_CHANGED))
  t.ok(second.body.includes('Premier'), 'the page shows the list as it is now')
  t.same(await names(), ['Premier'])
  t.notOk(second.headers['set-cookie']?.toString().includes('certisalle_flash'), 'no success message')
  // The refusal page's form carries the new version: importing from it now goes through.
  const again = await colleague.client.postMultipart(`${url}/import`, file(sheetWith([{ last_name: 'Second' }])))
  t.equal(again.statusCode, 303)
  t.same(await names(), ['Second'])
  t.ok(session)
})

t.test('an import from a page shown before the list was edited (or with no version) is refused', async (t) => {
  const { client, url, names } = await setup(t)
  await client.get(url)
  const shown = client.listVersion
  await client.get(`${url}/nouveau`)
  const added = await client.post(`${url}/nouveau`, {
    lastName: 'Ajout',
    firstName: 'Marie',
    birthdate: '01/02/2003',
    birthCity: 'Rouen',
    birthDepartment: '76',
    birthCountry: 'France',
  })
  t.equal(added.statusCode, 303)
  const stale = await client.postMultipart(`${url}/import`, file(sheetWith([{ last_name: 'Import' }]), shown))
  t.equal(stale.statusCode, 409)
  t.ok(stale.body.includes(LIST_CHANGED))
  t.same(await names(), ['Ancien', 'Ajout'])
  const none = await client.postMultipart(`${url}/import`, file(sheetWith([{ last_name: 'Import' }]), ''))
  t.equal(none.statusCode, 409)
  t.same(await names(), ['Ancien', 'Ajout'])
})

t.test('an import that arrives as the session is finalised: the one page of a finalised session, the list kept', async (t) => {
  const { server, race } = await buildWithRace(t)
  const member = await loggedIn(server, { firstName: 'Anne', lastName: 'Roux' })
  const session = await createSession(server.db, member.centreId)
  await createCandidate(server.db, session.id, { last_name: 'Ancien' })
  const url = `/sessions/${session.id}/candidats`
  await member.client.get(url)
  const data = new FormData()
  data.append('fichier', new Blob([new Uint8Array(fixture('filled.ods'))]), 'feuille-emargement.ods')
  race.finalise(session.id, member.userId)
  const response = await member.client.postMultipart(`${url}/import`, data)
  t.ok(race.done, 'finalised after scope.ts let the request through')
  t.equal(response.statusCode, 409)
  t.match(response.body, /Cette session a été finalisée le .+ par Anne Roux\. Ses informations ne peuvent plus être modifiées\./)
  const names = await server.db.selectFrom('candidate').select('last_name').where('session_id', '=', session.id).execute()
  t.same(
    names.map((r) => r.last_name),
    ['Ancien'],
  )
})
