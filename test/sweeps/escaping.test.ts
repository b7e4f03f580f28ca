import t from 'tap'
import * as XLSX from 'xlsx'
import { createCandidate, createSession } from '../factories.ts'
import { loggedIn } from '../helper.ts'
import { escapingProblems } from '../lib/escaping.ts'
import { buildWithRoutes, fillUrl, isScoped } from '../lib/routes.ts'
import { EVIL, seedCentre } from '../lib/seed.ts'

const ODS_URL = '/sessions/:sessionId/candidats/feuille-emargement.ods'
/** Texts a spreadsheet would run as formulas if written as such. */
const FORMULA_LIKE = ['=HYPERLINK("http://evil.example/";"Cliquez")', '+1+2', '-1+1', '@SUM(A1)', "=cmd|' /C calc'!A0"]

// Issue 7, item 9: a session and candidates whose every text field is hostile render escaped
// on every GET page of that session (and the session list), and as plain text in the .ods.
t.test('escaping: hostile text renders escaped on every page', async (t) => {
  const { server, routes } = await buildWithRoutes(t)
  const { client } = await loggedIn(server, { centre: 'Centre A' })
  const evil = await seedCentre(server, 'Centre A', { evil: true })
  const [f0, f1, f2, f3, f4] = FORMULA_LIKE
  await createCandidate(server.db, evil.sessionId, {
    last_name: f0,
    first_name: f1,
    birth_city: f2,
    birth_country: f3,
    external_id: f4,
    birthdate: '1980-05-05',
  })

  // A second hostile session nobody joined: its delete pages show it too.
  const open = await createSession(server.db, evil.centreId, { site_name: EVIL, room: EVIL, invigilators: EVIL, observations: EVIL })
  const fresh = await createCandidate(server.db, open.id, {
    last_name: EVIL,
    first_name: EVIL,
    birth_city: EVIL,
    birth_country: EVIL,
    email: EVIL,
    external_id: EVIL,
  })

  const pages = routes.filter(
    (r) => r.method === 'GET' && (isScoped(r) || r.url.startsWith('/sessions') || r.url.startsWith('/equipe') || r.url.startsWith('/mon-compte')),
  )
  if (pages.length === 0) {
    t.fail('No GET page of a session is registered: the escaping sweep checked nothing.')
    return
  }
  let shown = 0
  for (const route of pages) {
    for (const ids of [evil.ids, { ...evil.ids, candidateId: evil.joinedCandidateId }, { ...evil.ids, sessionId: open.id, candidateId: fresh.id }]) {
      const url = fillUrl(route.url, ids)
      const response = await client.get(url)
      t.ok(response.statusCode < 500, `GET ${url}: ${response.statusCode}, no server error`)
      if (!String(response.headers['content-type']).startsWith('text/html')) continue
      const result = escapingProblems(response.body)
      t.same(result.problems, [], `GET ${url}: the hostile text is escaped (${result.shown} occurrences)`)
      shown += result.shown
    }
  }
  t.ok(shown > 0, `the hostile text was shown ${shown} times across ${pages.length} pages (so escaping was really exercised)`)

  if (!routes.some((r) => r.method === 'GET' && r.url === ODS_URL)) {
    t.comment(`${ODS_URL} is not registered yet: the .ods part is checked once it lands (route-table.test.ts lists it as missing)`)
    return
  }
  const download = await client.get(fillUrl(ODS_URL, evil.ids))
  t.equal(download.statusCode, 200, 'the .ods downloads')
  const workbook = XLSX.read(download.rawPayload, { type: 'buffer', cellFormula: true })
  const cells = workbook.SheetNames.flatMap((name) =>
    Object.entries(workbook.Sheets[name]!)
      .filter(([k]) => !k.startsWith('!'))
      .map(([ref, cell]) => ({ ref: `${name}!${ref}`, cell: cell as XLSX.CellObject })),
  )
  t.same(
    cells.filter((c) => c.cell.f).map((c) => `${c.ref}: ${c.cell.f}`),
    [],
    'no cell of the download is a formula',
  )
  for (const text of [EVIL, ...FORMULA_LIKE]) {
    const found = cells.find((c) => c.cell.v === text)
    t.ok(found, `the .ods holds ${JSON.stringify(text)} as written`)
    if (found) t.equal(found.cell.t, 's', `${found.ref} is a text cell`)
  }
})
