/**
 * The yardstick, in its own process like the app: bare Fastify and the raw driver on the app's own
 * database (better-sqlite3 on its file, or `pg` when DATABASE_URL is set). `/` answers `ok`; each
 * `/floor/<page>` does what a page cannot do with less: the reads of the rows that page shows (the
 * logged-in user's web session, user and centres included), by primary key or index, with prepared
 * statements, answered as JSON. A page's cost over its floor is what our layers (plugins, Kysely,
 * templates, HTML) add on top of reading the data it shows.
 */
import Database from 'better-sqlite3'
import Fastify from 'fastify'
import pg from 'pg'

const WEB_SESSION_ID = process.env.WEB_SESSION_ID!
const SESSION_ID = Number(process.env.SESSION_ID)
const LIST_CENTRES = (process.env.LIST_CENTRES ?? '').split(',').map(Number)

/** The floor's reads, in SQLite's words; `ids` is a list of session ids. */
const QUERIES = {
  webSession: 'select * from user_session where id = ?',
  user: 'select id, email, first_name, last_name, cgu_accepted_at from user where id = ?',
  centres: 'select centre.id, centre.name, membership.role from membership join centre on centre.id = membership.centre_id where membership.user_id = ?',
  session: 'select * from certification_session where id = ? and centre_id = ?',
  sessionPage:
    'select id, site_name, room, date, start_time, invigilators, finalised_at from certification_session where centre_id = ? order by date desc, start_time desc, id desc limit 50',
  sessionCount: 'select count(*) as n from certification_session where centre_id = ?',
  enrolledBySession: 'select session_id, count(*) as n from candidate where session_id in (select value from json_each(?)) group by session_id',
  joinedBySession: 'select session_id, count(*) as n from certification_course where session_id in (select value from json_each(?)) group by session_id',
  candidateCount: 'select count(*) as n from candidate where session_id = ?',
  joinedCount: 'select count(*) as n from certification_course where session_id = ?',
  candidates:
    'select candidate.*, certification_course.id as course_id from candidate left join certification_course on certification_course.candidate_id = candidate.id where candidate.session_id = ?',
}
type Query = keyof typeof QUERIES
type Row = Record<string, unknown>

interface Reader {
  get(query: Query, ...params: unknown[]): Promise<Row | undefined>
  all(query: Query, ...params: unknown[]): Promise<Row[]>
}

function sqliteReader(file: string): Reader {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  const statements = Object.fromEntries(Object.entries(QUERIES).map(([name, text]) => [name, db.prepare(text)])) as Record<Query, Database.Statement>
  return {
    get: async (query, ...params) => statements[query].get(...params) as Row | undefined,
    all: async (query, ...params) => statements[query].all(...params) as Row[],
  }
}

/** The same reads in PostgreSQL's words ("user" is a reserved word; a list is an int array), as named prepared statements. */
function postgresReader(url: string): Reader {
  const pool = new pg.Pool({ connectionString: url, max: 10 })
  const text = (query: Query) => {
    let n = 0
    return QUERIES[query]
      .replace(/\bfrom user\b/, 'from "user"')
      .replace(/in \(select value from json_each\(\?\)\)/, '= any(?::int[])')
      .replace(/\?/g, () => `$${++n}`)
  }
  const run = async (query: Query, params: unknown[]) => (await pool.query({ name: query, text: text(query), values: params })).rows as Row[]
  return { get: async (query, ...params) => (await run(query, params))[0], all: (query, ...params) => run(query, params) }
}

const reader = process.env.DATABASE_URL ? postgresReader(process.env.DATABASE_URL) : sqliteReader(process.env.DATABASE_FILE!)
/** A list of ids as the query takes it: JSON text for SQLite's json_each, an array for PostgreSQL. */
const idList = (ids: number[]) => (process.env.DATABASE_URL ? ids : JSON.stringify(ids))

/** What every logged-in page reads first: the web session, its user and the user's centres. */
async function whoIsThere() {
  const webSession = (await reader.get('webSession', WEB_SESSION_ID)) as { user_id: number; centre_id: number | null }
  const user = await reader.get('user', webSession.user_id)
  const centres = (await reader.all('centres', webSession.user_id)) as Array<{ id: number }>
  return { webSession, user, centres, centreId: webSession.centre_id ?? centres[0]!.id }
}

async function sessionList(centreId: number) {
  const sessions = (await reader.all('sessionPage', centreId)) as Array<{ id: number }>
  const ids = idList(sessions.map((s) => s.id))
  return {
    total: await reader.get('sessionCount', centreId),
    sessions,
    enrolled: await reader.all('enrolledBySession', ids),
    joined: await reader.all('joinedBySession', ids),
  }
}

const server = Fastify({ logger: false })
server.get('/', async () => 'ok')
server.get('/floor/login', async () => 'ok')
server.get('/floor/session_list', async () => {
  const who = await whoIsThere()
  return { who, ...(await sessionList(who.centreId)) }
})
for (const centreId of LIST_CENTRES) {
  // The same reads on a given centre (the 20,000-session one is logged in as another user in the app).
  server.get(`/floor/session_list/${centreId}`, async () => ({ who: await whoIsThere(), ...(await sessionList(centreId)) }))
}
server.get('/floor/session_details', async () => {
  const who = await whoIsThere()
  return {
    who,
    session: await reader.get('session', SESSION_ID, who.centreId),
    candidates: await reader.get('candidateCount', SESSION_ID),
    joined: await reader.get('joinedCount', SESSION_ID),
  }
})
const candidatesFloor = async () => {
  const who = await whoIsThere()
  return { who, session: await reader.get('session', SESSION_ID, who.centreId), candidates: await reader.all('candidates', SESSION_ID) }
}
server.get('/floor/candidates_tab', candidatesFloor)
server.get('/floor/attendance_sheet', candidatesFloor)
server.get('/floor/invigilator_list', candidatesFloor)
await server.listen({ port: Number(process.env.PORT), host: '127.0.0.1' })
