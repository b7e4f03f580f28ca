import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { fillWithLibreOffice } from '../../lib/lo-fill.ts'
import { build, loggedIn } from '../../helper.ts'

const BASE = '/sessions/import-multiple'

/** Columns of the template: A number, B site, C room, D date, E time, F invigilators, G observations, H… candidate. */
const typed = (r: number, values: string[]) => values.flatMap((v, i) => (v === '' ? [] : [{ cell: `${String.fromCharCode(65 + i)}${r}`, type: v }]))

t.test('the .ods template filled in LibreOffice: typed dates and times become cells, formulas are refused, text stays text', async (t) => {
  const server = await build(t)
  const { client, centreId } = await loggedIn(server)
  const dir = mkdtempSync(path.join(tmpdir(), 'batch-ods-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const template = await client.get(`${BASE}/modele.ods`)
  writeFileSync(path.join(dir, 'template.ods'), template.rawPayload)
  const cells = [
    ...typed(2, [
      '',
      'Lycée A',
      'Salle 1',
      '15/06/2030',
      '09:00',
      'Eric Martin',
      '',
      'Dupont',
      'Julie',
      '13/03/1996',
      'Le Havre',
      '76',
      'France',
      '',
      '',
      '33 %',
    ]),
    { cell: 'G2', text: '=HYPERLINK("http://x")' },
    ...typed(3, ['', 'Lycée A', 'Salle 1', '15/06/2030', '09:00', 'Eric Martin', '', 'Martin', 'Paul', '2/5/2001', 'Rouen', '76', 'France']),
    { cell: 'G3', text: '=HYPERLINK("http://x")' },
    ...typed(4, ['', 'Lycée B', 'Salle 2', '16/06/2030', '14:30', 'Anne Dubois']),
  ]
  writeFileSync(path.join(dir, 'spec.json'), JSON.stringify({ input: 'template.ods', output: 'filled.ods', cells }))
  fillWithLibreOffice(path.join(dir, 'spec.json'))
  // The same file with a formula typed in a candidate's cell.
  writeFileSync(path.join(dir, 'spec2.json'), JSON.stringify({ input: 'filled.ods', output: 'formula.ods', cells: [{ cell: 'H3', type: '=1+1' }] }))
  fillWithLibreOffice(path.join(dir, 'spec2.json'))

  const upload = async (name: string) => {
    await client.get(BASE)
    const data = new FormData()
    data.append('fichier', new Blob([new Uint8Array(readFileSync(path.join(dir, name)))]), name)
    return client.postMultipart(`${BASE}/import`, data)
  }
  const withFormula = await upload('formula.ods')
  t.equal(withFormula.statusCode, 303)
  const report = await client.get(withFormula.headers.location as string)
  t.ok(
    report.body.includes('Ligne 3 : colonne « * Nom de naissance » — la cellule contient une formule : tapez la valeur elle-même.'),
    'formula refused for its line',
  )
  t.notOk(report.body.includes('Créer/éditer les sessions'))

  const ok = await upload('filled.ods')
  t.equal(ok.statusCode, 303)
  const recap = await client.get(ok.headers.location as string)
  t.ok(recap.body.includes('2 sessions dont 1 sans candidat, 2 candidats'), 'counts')
  t.notOk(recap.body.includes('Erreurs bloquantes'))
  const done = await client.post(`${ok.headers.location}/confirmation`)
  t.equal(done.statusCode, 303)
  const rows = await server.db.selectFrom('certification_session').selectAll().where('centre_id', '=', centreId).orderBy('id').execute()
  t.same(
    rows.map((r) => [r.site_name, r.date, r.start_time, r.observations]),
    [
      ['Lycée A', '2030-06-15', '09:00', '=HYPERLINK("http://x")'],
      ['Lycée B', '2030-06-16', '14:30', null],
    ],
  )
  const candidates = await server.db
    .selectFrom('candidate')
    .select(['last_name', 'birthdate', 'extra_time_percentage'])
    .where('session_id', '=', rows[0]!.id)
    .orderBy('id')
    .execute()
  t.same(candidates, [
    { last_name: 'Dupont', birthdate: '1996-03-13', extra_time_percentage: 33 },
    { last_name: 'Martin', birthdate: '2001-05-02', extra_time_percentage: null },
  ])
})
