import t, { type Test } from 'tap'
import type { Db } from '../../src/db/database.ts'
import { createCandidate, createSession, joinCandidate } from '../factories.ts'
import { documentCorpus, type HostileFile, importCorpus, manyCellsSheet } from '../lib/hostile.ts'
import { HEADER, ods } from '../lib/ods.ts'
import { buildWithRoutes } from '../lib/routes.ts'
import { errorMessages, HttpClient, looksFrench, prepareDataDir, type ServerProcess, startServer } from '../lib/server-process.ts'

const IMPORT = '/sessions/:sessionId/candidats/import'
const DOWNLOAD = '/sessions/:sessionId/candidats/feuille-emargement.ods'
const DOCUMENTS = '/sessions/:sessionId/finalisation/documents'
/** A refusal takes well under a second; a server that has not answered by then is stuck. */
const ANSWER_WITHIN_MS = 20_000
/** Peak memory the server may reach while refusing the whole corpus (it idles around 100–150 MB). */
const MAX_RSS_MB = 600
/** Peak memory of the sheet reader (its own process: 256 MB of heap, plus the ≤ 40 MB of entries it inflates and their copies). */
const MAX_READER_RSS_MB = 500

const candidateRows = (db: Db, sessionId: number) => db.selectFrom('candidate').selectAll().where('session_id', '=', sessionId).orderBy('id').execute()
const documentRows = (db: Db, sessionId: number) => db.selectFrom('session_document').selectAll().where('session_id', '=', sessionId).orderBy('id').execute()

async function postFile(client: HttpClient, url: string, file: HostileFile, extra: Record<string, string> = {}) {
  const form = new FormData()
  form.append('_csrf', client.csrf)
  for (const [k, v] of Object.entries(extra)) form.append(k, v)
  form.append('fichier', new Blob([new Uint8Array(file.bytes)], { type: file.type ?? 'application/vnd.oasis.opendocument.spreadsheet' }), file.filename)
  try {
    return await client.postMultipart(url, form, AbortSignal.timeout(ANSWER_WITHIN_MS))
  } catch (err) {
    return { status: 0, text: `no answer: ${(err as Error).message}`, headers: new Headers() }
  }
}

/** Checks the answer; returns false when the server is dead or stuck (the caller restarts it to go on with the corpus). */
async function checkRefused(t: Test, server: ServerProcess, file: HostileFile, response: { status: number; text: string }): Promise<boolean> {
  t.ok(response.status >= 400 && response.status < 500, `${file.name}: refused with a 4xx (got ${response.status})`)
  const messages = errorMessages(response.text)
  t.ok(messages.some(looksFrench), `${file.name}: a French message is shown (${messages.join(' | ').slice(0, 160) || 'none'})`)
  t.notMatch(response.text, /root:x:0:0/, `${file.name}: no file of the server leaks`)
  t.ok(server.alive(), `${file.name}: the server is still running`)
  const health = await fetch(`${server.baseUrl}/sante`, { signal: AbortSignal.timeout(ANSWER_WITHIN_MS) }).catch(() => null)
  t.equal(health?.status, 200, `${file.name}: the server still answers`)
  return server.alive() && health?.status === 200
}

/** The server and a logged-in client, restartable when a file kills or blocks the server. */
async function serve(t: Test, dataDir: string, email: string, page: string) {
  const server = await startServer(t, dataDir)
  const client = new HttpClient(server.baseUrl)
  await client.login(email)
  await client.get(page)
  return { server, client }
}

// Issue 7, item 10: the import route refuses every hostile file, stays up, stays small, changes nothing.
t.test('hostile .ods corpus posted to the import route', async (t) => {
  const { routes } = await buildWithRoutes(t)
  if (!routes.some((r) => r.method === 'POST' && r.url === IMPORT)) {
    t.fail(`import route not registered yet: POST ${IMPORT}`)
    return
  }
  const env = await prepareDataDir(t)
  const session = await createSession(env.db, env.centreId)
  for (const lastName of ['Dupont', 'Durand', 'Martin']) await createCandidate(env.db, session.id, { last_name: lastName })
  let { server, client } = await serve(t, env.dataDir, env.email, `/sessions/${session.id}/candidats`)
  let peak = server.peakRssMb()
  let readerPeak = 0
  const heavy: string[] = []

  let template: Buffer | undefined
  if (routes.some((r) => r.method === 'GET' && r.url === DOWNLOAD)) {
    const response = await fetch(`${server.baseUrl}/sessions/${session.id}/candidats/feuille-emargement.ods`, {
      headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    })
    if (response.ok) template = Buffer.from(await response.arrayBuffer())
  }
  t.comment(
    template
      ? 'almost-valid files follow the layout of the app’s own download'
      : 'the app’s download is not available: almost-valid files use the seed’s layout',
  )

  const corpus = importCorpus(template)
  t.ok(corpus.length >= 30, `${corpus.length} hostile files`)
  const url = IMPORT.replace(':sessionId', String(session.id))
  for (const file of corpus) {
    // Compared with the list just before each file, so one accepted file does not fail the ones after it.
    const before = await candidateRows(env.db, session.id)
    const response = await postFile(client, url, file)
    const healthy = await checkRefused(t, server, file, response)
    t.same(await candidateRows(env.db, session.id), before, `${file.name}: the candidate list is unchanged`)
    const now = server.peakRssMb()
    if (now > peak + 100) heavy.push(`${file.name}: ${now} MB`)
    peak = Math.max(peak, now)
    readerPeak = Math.max(readerPeak, server.childPeakRssMb())
    if (!healthy) {
      t.comment(`${file.name}: restarting the stuck or dead server to go on with the corpus`)
      await server.kill('SIGKILL')
      ;({ server, client } = await serve(t, env.dataDir, env.email, `/sessions/${session.id}/candidats`))
    }
  }
  peak = Math.max(peak, server.peakRssMb())
  t.ok(
    peak > 0 && peak < MAX_RSS_MB,
    `the server's peak memory stayed bounded: ${peak} MB (limit ${MAX_RSS_MB} MB)${heavy.length ? `; memory jumps: ${heavy.join(', ')}` : ''}`,
  )
  t.ok(readerPeak > 0 && readerPeak < MAX_READER_RSS_MB, `the sheet reader's peak memory stayed bounded: ${readerPeak} MB (limit ${MAX_READER_RSS_MB} MB)`)
  // A good file still goes through afterwards: the refusals above were about the files, not a broken route.
  if (template) {
    const { participantsSheet, candidateRow } = await import('../lib/ods.ts')
    const good = await postFile(client, url, {
      name: 'good file',
      filename: 'liste.ods',
      bytes: participantsSheet([candidateRow(0), candidateRow(1)], template),
    })
    t.equal(good.status, 303, 'a good file made from the app’s download is accepted')
    t.equal((await candidateRows(env.db, session.id)).length, 2, 'and replaces the list')
  }
})

// Issue 10, item 1: uploads are read by another process, so a file that keeps SheetJS busy for
// seconds does not stop the server: /sante answers, several times, before the import's refusal.
t.test('the server keeps answering /sante while a heavy hostile file is being refused', async (t) => {
  const env = await prepareDataDir(t)
  const session = await createSession(env.db, env.centreId)
  const { server, client } = await serve(t, env.dataDir, env.email, `/sessions/${session.id}/candidats`)
  const url = IMPORT.replace(':sessionId', String(session.id))
  // The reader process starts with the first import: started here, so that what follows is about reading the file.
  const warmUp = await postFile(client, url, { name: 'header only', filename: 'liste.ods', bytes: ods([{ name: 'A', rows: [HEADER] }]) })
  t.equal(warmUp.status, 400, 'a first file (header only) is refused')
  const file: HostileFile = { name: '198,000 filled cells, no header', filename: 'liste.ods', bytes: manyCellsSheet() }
  let importAnswered = false
  const importAnswer = postFile(client, url, file).then((response) => {
    importAnswered = true
    return response
  })
  const healthBefore: number[] = []
  while (!importAnswered && healthBefore.length < 50) {
    const health = await fetch(`${server.baseUrl}/sante`, { signal: AbortSignal.timeout(ANSWER_WITHIN_MS) }).catch(() => null)
    if (importAnswered) break
    healthBefore.push(health?.status ?? 0)
  }
  const response = await importAnswer
  t.ok(healthBefore.length >= 5, `/sante answered ${healthBefore.length} times before the import's answer`)
  t.ok(
    healthBefore.every((status) => status === 200),
    'each time with 200',
  )
  await checkRefused(t, server, file, response)
})

t.test('hostile documents posted to the finalisation upload', async (t) => {
  const { routes } = await buildWithRoutes(t)
  if (!routes.some((r) => r.method === 'POST' && r.url === DOCUMENTS)) {
    t.fail(`document upload route not registered yet: POST ${DOCUMENTS}`)
    return
  }
  const env = await prepareDataDir(t)
  const session = await createSession(env.db, env.centreId)
  await joinCandidate(env.db, await createCandidate(env.db, session.id))
  let { server, client } = await serve(t, env.dataDir, env.email, `/sessions/${session.id}/finalisation`)
  let peak = 0
  const corpus = documentCorpus()
  const url = DOCUMENTS.replace(':sessionId', String(session.id))
  for (const file of corpus) {
    const before = await documentRows(env.db, session.id)
    const response = await postFile(client, url, file, { commentaire: file.comment ?? 'Capture d’écran' })
    const healthy = await checkRefused(t, server, file, response)
    t.same(await documentRows(env.db, session.id), before, `${file.name}: no document stored`)
    peak = Math.max(peak, server.peakRssMb())
    if (!healthy) {
      await server.kill('SIGKILL')
      ;({ server, client } = await serve(t, env.dataDir, env.email, `/sessions/${session.id}/finalisation`))
    }
  }
  peak = Math.max(peak, server.peakRssMb())
  t.ok(peak > 0 && peak < MAX_RSS_MB, `the server's peak memory stayed bounded: ${peak} MB (limit ${MAX_RSS_MB} MB)`)
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')
  const good = await postFile(
    client,
    url,
    { name: 'good PDF', filename: 'rapport.pdf', bytes: pdf, type: 'application/pdf' },
    { commentaire: 'Rapport de fraude' },
  )
  t.equal(good.status, 303, 'a real PDF is accepted afterwards (the refusals were about the files)')
  t.equal((await documentRows(env.db, session.id)).length, 1, 'and stored')
})

// Issue 16: "Créer/éditer plusieurs sessions" reads .ods files with the same reader, and CSV within bounds.
t.test('hostile .ods and CSV files posted to the batch import', async (t) => {
  const BATCH = '/sessions/import-multiple/import'
  const { routes } = await buildWithRoutes(t)
  if (!routes.some((r) => r.method === 'POST' && r.url === BATCH)) {
    t.fail(`batch import route not registered yet: POST ${BATCH}`)
    return
  }
  const env = await prepareDataDir(t)
  let { server, client } = await serve(t, env.dataDir, env.email, '/sessions/import-multiple')
  const written = async () => {
    const sessions = await env.db.selectFrom('certification_session').select('id').execute()
    const plans = await env.db.selectFrom('batch_plan').select('id').execute()
    return sessions.length + plans.length
  }
  const csv = (text: string): HostileFile => ({ name: '', filename: 'sessions.csv', bytes: Buffer.from(text), type: 'text/csv' })
  const corpus: HostileFile[] = [
    ...importCorpus(),
    { ...csv(`a;${'b;'.repeat(5000)}\n`), name: 'CSV with 5,000 fields' },
    { ...csv(`${'x'.repeat(1_000_000)}\n`), name: 'CSV line of a million characters' },
    { ...csv(`"${'y'.repeat(3_000_000)}`), name: 'CSV quote never closed' },
    { ...csv('a\n'.repeat(2_000_000)), name: 'CSV of two million lines (4 MB)' },
    { name: 'UTF-16 CSV', filename: 'sessions.csv', bytes: Buffer.from('\ufeffa;b\r\n', 'utf16le'), type: 'text/csv' },
  ]
  for (const file of corpus) {
    const before = await written()
    const response = await postFile(client, BATCH, file)
    const healthy = await checkRefused(t, server, file, response)
    t.equal(await written(), before, `${file.name}: nothing written`)
    if (!healthy) {
      await server.kill('SIGKILL')
      ;({ server, client } = await serve(t, env.dataDir, env.email, '/sessions/import-multiple'))
    }
  }
})
