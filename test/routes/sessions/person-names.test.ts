import t from 'tap'
import { createSession } from '../../factories.ts'
import { sheetWith } from '../../features/candidates/fixtures/sheets.ts'
import { build, Client, loggedIn, type Teardown } from '../../helper.ts'

/** A session, the member's import and the candidate page, to check that both use the one name rule. */
async function setup(t: Teardown) {
  const server = await build(t)
  const member = await loggedIn(server)
  const session = await createSession(server.db, member.centreId, { access_code: 'GMPB26' })
  const url = `/sessions/${session.id}/candidats`
  await member.client.get(url)
  const upload = (bytes: Buffer) => {
    const data = new FormData()
    data.append('fichier', new Blob([new Uint8Array(bytes)]), 'feuille-emargement.ods')
    return member.client.postMultipart(`${url}/import`, data)
  }
  const join = async (lastName: string) => {
    const candidate = new Client(server)
    await candidate.get('/rejoindre')
    return candidate.post('/rejoindre', {
      sessionNumber: String(session.id),
      firstName: 'Julie',
      lastName,
      birthDay: '13',
      birthMonth: '03',
      birthYear: '1996',
    })
  }
  const names = async () =>
    (await server.db.selectFrom('candidate').select('last_name').where('session_id', '=', session.id).orderBy('id').execute()).map((r) => r.last_name)
  return { server, session, upload, join, names }
}

t.test('"D\'Amico" and "Damico" born the same day are one person: the import refuses the second line', async (t) => {
  const { upload, names, join } = await setup(t)
  const response = await upload(sheetWith([{ last_name: "D'Amico" }, { last_name: 'Damico' }]))
  t.equal(response.statusCode, 400)
  t.ok(response.body.includes('Ligne 12 : ce candidat figure déjà ligne 11'))
  t.same(await names(), [])
  // Once the list holds one of them, the candidate finds it typing either spelling.
  t.equal((await upload(sheetWith([{ last_name: "D'Amico" }]))).statusCode, 303)
  for (const typed of ['Damico', 'D’Amico', 'd amico']) {
    const page = await join(typed)
    t.equal(page.statusCode, 200, typed)
    t.ok(page.body.includes('Code d’accès'), `${typed} matches the listed D'Amico`)
  }
})

t.test('"St Pierre" and "Saint-Pierre" are two people: both import, and each one joins with their own name', async (t) => {
  const { upload, names, join } = await setup(t)
  const response = await upload(sheetWith([{ last_name: 'St Pierre' }, { last_name: 'Saint-Pierre' }]))
  t.equal(response.statusCode, 303)
  t.same(await names(), ['St Pierre', 'Saint-Pierre'])
  for (const typed of ['St Pierre', 'saint pierre', 'SAINT-PIERRE', 'st-pierre']) {
    const page = await join(typed)
    t.equal(page.statusCode, 200, typed)
    t.notOk(page.body.includes('plusieurs inscriptions'), `${typed}: not "several matches"`)
    t.ok(page.body.includes('Code d’accès'), `${typed}: one match`)
  }
})
