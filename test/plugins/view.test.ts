import t from 'tap'
import { createCandidate, createSession, joinCandidate } from '../factories.ts'
import { build, loggedIn } from '../helper.ts'

/** A page without what differs from one request to the next (the CSRF token, the clock of the Espace surveillant). */
const comparable = (html: string) => html.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf"').replace(/\b\d{1,2}:\d{2}(:\d{2})?\b/g, 'HH:MM')

// In production Eta caches the templates and view.ts remembers each include's path: the pages must be
// the very ones rendered without any cache (includes from pages, partials and layouts alike).
t.test('production pages (templates and include paths cached) are the pages rendered without cache', async (t) => {
  const pages: Record<string, string[]> = {}
  for (const production of [false, true]) {
    const server = await build(t, { production })
    const { client, centreId } = await loggedIn(server)
    // The same codes in both apps (the factory draws a new one each time), on the same database ids.
    const session = await createSession(server.db, centreId, { access_code: 'GMPB26', invigilator_password: 'BCDFGH' })
    for (let i = 0; i < 3; i++) await createCandidate(server.db, session.id, { last_name: `Nom${i}` })
    await joinCandidate(server.db, await createCandidate(server.db, session.id, { last_name: 'Rejoint' }))
    const urls = ['/sessions', `/sessions/${session.id}`, `/sessions/${session.id}/candidats`, `/sessions/${session.id}/surveillance`, '/nexiste-pas']
    // Twice: the second rendering comes from the caches.
    for (const round of [1, 2]) {
      for (const url of urls) {
        const response = await client.get(url)
        t.ok(response.statusCode === 200 || url === '/nexiste-pas', `${url} (production ${production}, round ${round})`)
        ;(pages[`${url}#${round}`] ??= []).push(comparable(response.body))
      }
    }
  }
  for (const [page, [plain, cached]] of Object.entries(pages)) t.equal(cached, plain, page)
})

t.test('a large page is sent as its UTF-8 bytes, a small one as a string; the text is the same', async (t) => {
  const { encodePage } = await import('../../src/plugins/app/render.ts')
  const small = '<p>Aucun candidat n’attend de convocation.</p>'
  t.equal(encodePage(small), small)
  const large = `<ol>${'<li>Élodie d’Amico — 1 200 €</li>'.repeat(1000)}</ol>`
  const sent = encodePage(large)
  t.ok(Buffer.isBuffer(sent), 'bytes')
  t.equal((sent as Buffer).toString('utf8'), large, 'the same text')

  const server = await build(t)
  const { client, centreId } = await loggedIn(server)
  const session = await createSession(server.db, centreId)
  for (let i = 0; i < 150; i++) await createCandidate(server.db, session.id, { last_name: `D’Amico-${i}` })
  const response = await client.get(`/sessions/${session.id}/candidats`)
  t.equal(response.statusCode, 200)
  t.ok(response.body.length >= 16 * 1024, `a large page (${response.body.length} characters)`)
  t.equal(response.headers['content-type'], 'text/html; charset=utf-8')
  t.equal(Number(response.headers['content-length']), Buffer.byteLength(response.body), 'Content-Length counts the bytes')
  t.ok(response.body.includes('D’Amico-149'), 'accents and apostrophes arrive intact')
})
