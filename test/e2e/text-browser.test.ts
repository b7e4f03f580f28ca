import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { createCandidate, createSession, joinCandidate } from '../factories.ts'
import { build, createMember } from '../helper.ts'
import { type HtmlForm, parseForms } from '../lib/html-form.ts'
import { HttpClient } from '../lib/server-process.ts'

/*
 * Issue 25, item 5: the real w3m (Debian's package, installed by scripts/ensure-test-tools.sh) does
 * the finalisation — a report removed, a document uploaded, Valider, Finaliser — and an invigilator
 * action. w3m ignores HTML5 form association (form=, formaction), so each request is what w3m
 * sends for the button pressed: the fields of the form the button sits in, read from the page w3m
 * received (-dump_source), posted by w3m itself (-post, with the session's cookie); the answer is
 * w3m's own rendering (-dump), which is what its user reads.
 */
const run = promisify(execFile)
const PDF = Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')

t.test('w3m: finalisation with a report removed and a document uploaded, then an invigilator action', async (t) => {
  const server = await build(t)
  const baseUrl = await server.listen({ port: 0, host: '127.0.0.1' })
  server.config.publicUrl = baseUrl
  const member = await createMember(server)
  const session = await createSession(server.db, member.centreId, { invigilator_password: 'K7QB2M' })
  const julie = await createCandidate(server.db, session.id)
  const michel = await createCandidate(server.db, session.id, { last_name: 'Durand', first_name: 'Michel', birthdate: '2001-05-06' })
  await joinCandidate(server.db, julie)
  await joinCandidate(server.db, michel)
  await server.db
    .insertInto('report')
    .values({ session_id: session.id, candidate_id: julie.id, category: 'fraud', code: 'C6', question_number: null, details: null })
    .execute()
  const dir = mkdtempSync(path.join(tmpdir(), 'certisalle-w3m-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))

  // The login itself is not the point here: a cookie from a plain HTTP client, handed to w3m.
  const staff = new HttpClient(baseUrl)
  await staff.login(member.email)
  const cookieOf = (client: HttpClient) => [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ')

  // w3m runs as a child process, asynchronously: the server answering it lives in this very process.
  const w3m = async (client: HttpClient, url: string, options: { dump?: 'dump' | 'dump_source'; post?: { body: Buffer; type: string } } = {}) => {
    const args = [
      '-T',
      'text/html',
      '-I',
      'UTF-8',
      '-O',
      'UTF-8',
      '-cols',
      '100',
      '-o',
      'accept_cookie=0',
      '-o',
      'accept_language=fr-FR',
      '-header',
      `Cookie: ${cookieOf(client)}`,
    ]
    if (options.post) {
      const file = path.join(dir, 'body')
      writeFileSync(file, options.post.body)
      args.push('-post', file, '-header', `Content-Type: ${options.post.type}`)
    }
    args.push(`-${options.dump ?? 'dump'}`, baseUrl + url)
    const { stdout } = await run('w3m', args, { encoding: 'utf8', env: { ...process.env, HOME: dir, LANG: 'C.UTF-8' }, timeout: 30_000 })
    return stdout
  }
  /** w3m posts and follows the 303; its -dump after a POST is empty, so the page it lands on is read again (a GET, as its user reloads). */
  const press = async (client: HttpClient, action: string, post: { body: Buffer; type: string }, landing: string) => {
    await w3m(client, action, { post })
    return w3m(client, landing)
  }
  /** The form a button sits in (its name and value), as w3m would submit it: form association attributes ignored. */
  const formOf = (html: string, button: { name: string; value: string }): HtmlForm => {
    const form = parseForms(html).find((f) => f.buttons.some((b) => b.name === button.name && b.value === button.value))
    if (!form) throw new Error(`no form holds the button ${button.name}=${button.value}`)
    return form
  }
  const urlencoded = (form: HtmlForm, extra: Record<string, string>) => {
    const body = new URLSearchParams()
    for (const f of form.fields) if ((f.type !== 'checkbox' && f.type !== 'radio') || f.checked) body.append(f.name, f.value)
    for (const [k, v] of Object.entries(extra)) body.append(k, v)
    return { body: Buffer.from(body.toString()), type: 'application/x-www-form-urlencoded' }
  }
  const wizard = `/sessions/${session.id}/finalisation`

  // The page reads right without CSS: the limit of the comment once, no dead "Copier" button.
  const text = await w3m(staff, wizard)
  t.match(text, /Étape 1/)
  t.notMatch(text, /500500/, 'the character limit is not printed twice')
  t.notMatch(await w3m(staff, `/sessions/${session.id}`), /Copier/, 'no copy button without the script')

  // "Supprimer" the report: the button of the wizard's form, with the tick for Michel typed meanwhile.
  let source = await w3m(staff, wizard, { dump: 'dump_source' })
  const report = await server.db.selectFrom('report').select('id').executeTakeFirstOrThrow()
  const remove = { name: 'action', value: `supprimer-signalement-${report.id}` }
  let answer = await press(
    staff,
    formOf(source, remove).action,
    urlencoded(formOf(source, remove), { ecran_fin: String(michel.id), [remove.name]: remove.value }),
    wizard,
  )
  // (w3m follows the 303 itself, so the one-time confirmation message is spent before the page is read again.)
  t.match(answer, /Étape 1/)
  t.notMatch(answer, /\bC6\b/, 'the report is no longer listed')
  t.equal((await server.db.selectFrom('report').select('id').execute()).length, 0)

  // "Ajouter un document" saves the draft and opens the upload page; w3m sends the file there.
  source = await w3m(staff, wizard, { dump: 'dump_source' })
  const add = { name: 'action', value: 'document' }
  answer = await press(
    staff,
    formOf(source, add).action,
    urlencoded(formOf(source, add), { ecran_fin: String(michel.id), [add.name]: add.value }),
    `${wizard}/documents`,
  )
  t.match(answer, /Ajouter un document/)
  t.match(answer, /Fichier/)
  source = await w3m(staff, `${wizard}/documents`, { dump: 'dump_source' })
  const [upload] = parseForms(source).filter((f) => f.enctype === 'multipart/form-data')
  t.ok(upload, 'the upload page has a multipart form')
  const boundary = 'w3mBoundary7MA4YWxkTrZu0gW'
  const parts = upload!.fields
    .filter((f) => f.type === 'hidden')
    .map((f) => `--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"\r\n\r\n${f.value}\r\n`)
  const multipart = Buffer.concat([
    Buffer.from(parts.join('')),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="commentaire"\r\n\r\nPV signé\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="pv.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
    PDF,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ])
  answer = await press(staff, upload!.action, { body: multipart, type: `multipart/form-data; boundary=${boundary}` }, wizard)
  t.match(answer, /pv\.pdf/)

  // Valider, then Finaliser.
  source = await w3m(staff, wizard, { dump: 'dump_source' })
  const validate = { name: 'action', value: 'valider' }
  const draft = formOf(source, validate)
  answer = await press(staff, draft.action, urlencoded(draft, { choix_commentaire: 'none', [validate.name]: validate.value }), `${wizard}/confirmation`)
  t.match(answer, /Vous êtes sur le point de finaliser cette session\./)
  source = await w3m(staff, `${wizard}/confirmation`, { dump: 'dump_source' })
  const confirm = parseForms(source).find((f) => f.action === `${wizard}/confirmation`)!
  answer = await press(staff, confirm.action, urlencoded(confirm, {}), `/sessions/${session.id}`)
  t.match(answer, /finalisée/)
  const finalised = await server.db.selectFrom('certification_session').select('finalised_at').where('id', '=', session.id).executeTakeFirstOrThrow()
  t.ok(finalised.finalised_at, 'the session is finalised')
  t.equal((await server.db.selectFrom('session_document').select('id').execute()).length, 1)
  t.equal(
    (await server.db.selectFrom('candidate').select('has_seen_end_screen').where('id', '=', michel.id).executeTakeFirstOrThrow()).has_seen_end_screen,
    1,
    'the tick typed before the removal was kept',
  )

  // An invigilator, in w3m, ticks "Écran de fin du test vu" on another session.
  const other = await createSession(server.db, member.centreId, { invigilator_password: 'K7QB2M' })
  const lea = await createCandidate(server.db, other.id, { last_name: 'Petit', first_name: 'Léa' })
  await joinCandidate(server.db, lea)
  const invigilator = new HttpClient(baseUrl)
  await invigilator.get('/surveillance')
  const login = await invigilator.post('/surveillance', { sessionNumber: String(other.id), password: 'C-K7QB2M' })
  t.equal(login.status, 303, `logged in as the invigilator: ${login.status} ${login.text.slice(0, 300)}`)
  source = await w3m(invigilator, `/sessions/${other.id}/surveillance`, { dump: 'dump_source' })
  const endScreen = parseForms(source).find((f) => f.action.endsWith(`/candidats/${lea.id}/ecran-de-fin`))
  t.ok(endScreen, 'the end-screen button has a form of its own')
  answer = await press(invigilator, endScreen!.action, urlencoded(endScreen!, {}), `/sessions/${other.id}/surveillance`)
  t.match(answer, /Léa/)
  t.equal(
    (await server.db.selectFrom('candidate').select('has_seen_end_screen').where('id', '=', lea.id).executeTakeFirstOrThrow()).has_seen_end_screen,
    1,
    'the invigilator’s tick is recorded',
  )
})
