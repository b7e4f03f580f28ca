import t from 'tap'
import * as XLSX from 'xlsx'
import { createCandidate, createSession, joinCandidate } from '../../factories.ts'
import { build, loggedIn } from '../../helper.ts'

// Inserted in byte order, which is the order SQLite would give back: "Zoé" would come before "de Gaulle" and "Élodie".
const LAST_NAMES = ['Zoé', 'de Gaulle', 'Ébert', 'Élodie', 'émile']
const FRENCH_ORDER = ['de Gaulle', 'Ébert', 'Élodie', 'émile', 'Zoé']

/** The listed names in the order they appear in the page. */
function order(body: string): string[] {
  const positions = LAST_NAMES.map((name) => ({ name, at: body.indexOf(`${name}<`) }))
  for (const p of positions) if (p.at < 0) throw new Error(`${p.name} is not on the page`)
  return positions.sort((a, b) => a.at - b.at).map((p) => p.name)
}

t.test('the Candidats tab, finalisation step 1 and the attendance sheet (print and .ods) list people in one French order', async (t) => {
  const server = await build(t)
  const { client, centreId } = await loggedIn(server)
  const session = await createSession(server.db, centreId)
  for (const [i, last_name] of LAST_NAMES.entries()) {
    const candidate = await createCandidate(server.db, session.id, { last_name, first_name: 'Anne', birthdate: `1990-01-0${i + 1}` })
    await joinCandidate(server.db, candidate)
  }
  const base = `/sessions/${session.id}`
  t.same(order((await client.get(`${base}/candidats`)).body), FRENCH_ORDER, 'Candidats tab')
  t.same(order((await client.get(`${base}/finalisation`)).body), FRENCH_ORDER, 'finalisation step 1')
  t.same(order((await client.get(`${base}/impression/feuille-emargement`)).body), FRENCH_ORDER, 'printed attendance sheet')

  const ods = await client.get(`${base}/candidats/feuille-emargement.ods`)
  t.equal(ods.statusCode, 200)
  const wb = XLSX.read(ods.rawPayload, { type: 'buffer' })
  const rows = XLSX.utils.sheet_to_json<string[]>(wb.Sheets[wb.SheetNames[0]!]!, { header: 1, raw: false, defval: '' })
  const listed = rows.map((r) => r[1]).filter((v): v is string => LAST_NAMES.includes(v ?? ''))
  t.same(listed, FRENCH_ORDER, '.ods attendance sheet')
})
