/**
 * The yardstick, in its own process like the app: bare Fastify and raw better-sqlite3 on the app's own
 * database file. `/` answers `ok`; each `/floor/<page>` does what a page cannot do with less: the reads
 * of the rows that page shows (the logged-in user's web session, user and centres included), by primary
 * key or index, with prepared statements, answered as JSON. A page's cost over its floor is what our
 * layers (plugins, Kysely, templates, HTML) add on top of reading the data it shows.
 */
import Database from 'better-sqlite3'
import Fastify from 'fastify'

const db = new Database(process.env.DATABASE_FILE!, { readonly: true, fileMustExist: true })
const WEB_SESSION_ID = process.env.WEB_SESSION_ID!
const SESSION_ID = Number(process.env.SESSION_ID)
const LIST_CENTRES = (process.env.LIST_CENTRES ?? '').split(',').map(Number)

const sql = {
  webSession: db.prepare('select * from user_session where id = ?'),
  user: db.prepare('select id, email, first_name, last_name, cgu_accepted_at from user where id = ?'),
  centres: db.prepare(
    'select centre.id, centre.name, membership.role from membership join centre on centre.id = membership.centre_id where membership.user_id = ?',
  ),
  session: db.prepare('select * from certification_session where id = ? and centre_id = ?'),
  sessionPage: db.prepare(
    'select id, site_name, room, date, start_time, invigilators, finalised_at from certification_session where centre_id = ? order by date desc, start_time desc, id desc limit 50',
  ),
  sessionCount: db.prepare('select count(*) as n from certification_session where centre_id = ?'),
  enrolledBySession: db.prepare('select session_id, count(*) as n from candidate where session_id in (select value from json_each(?)) group by session_id'),
  joinedBySession: db.prepare(
    'select session_id, count(*) as n from certification_course where session_id in (select value from json_each(?)) group by session_id',
  ),
  candidateCount: db.prepare('select count(*) as n from candidate where session_id = ?'),
  joinedCount: db.prepare('select count(*) as n from certification_course where session_id = ?'),
  candidates: db.prepare(
    'select candidate.*, certification_course.id as course_id from candidate left join certification_course on certification_course.candidate_id = candidate.id where candidate.session_id = ?',
  ),
}

/** What every logged-in page reads first: the web session, its user and the user's centres. */
function whoIsThere() {
  const webSession = sql.webSession.get(WEB_SESSION_ID) as { user_id: number; centre_id: number | null }
  const user = sql.user.get(webSession.user_id)
  const centres = sql.centres.all(webSession.user_id) as Array<{ id: number }>
  return { webSession, user, centres, centreId: webSession.centre_id ?? centres[0]!.id }
}

function sessionList(centreId: number) {
  const sessions = sql.sessionPage.all(centreId) as Array<{ id: number }>
  const ids = JSON.stringify(sessions.map((s) => s.id))
  return { total: sql.sessionCount.get(centreId), sessions, enrolled: sql.enrolledBySession.all(ids), joined: sql.joinedBySession.all(ids) }
}

const server = Fastify({ logger: false })
server.get('/', async () => 'ok')
server.get('/floor/login', async () => 'ok')
server.get('/floor/session_list', async () => {
  const who = whoIsThere()
  return { who, ...sessionList(who.centreId) }
})
for (const centreId of LIST_CENTRES) {
  // The same reads on a given centre (the 20,000-session one is logged in as another user in the app).
  server.get(`/floor/session_list/${centreId}`, async () => ({ who: whoIsThere(), ...sessionList(centreId) }))
}
server.get('/floor/session_details', async () => {
  const who = whoIsThere()
  return { who, session: sql.session.get(SESSION_ID, who.centreId), candidates: sql.candidateCount.get(SESSION_ID), joined: sql.joinedCount.get(SESSION_ID) }
})
const candidatesFloor = async () => {
  const who = whoIsThere()
  return { who, session: sql.session.get(SESSION_ID, who.centreId), candidates: sql.candidates.all(SESSION_ID) }
}
server.get('/floor/candidates_tab', candidatesFloor)
server.get('/floor/attendance_sheet', candidatesFloor)
server.get('/floor/invigilator_list', candidatesFloor)
await server.listen({ port: Number(process.env.PORT), host: '127.0.0.1' })
