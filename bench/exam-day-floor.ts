/**
 * The exam-day floor (`npm run bench -- --exam-day`): bare Fastify and the raw driver (better-sqlite3
 * on the app's file, or `pg` when DATABASE_URL is set), answering the same URLs as the app with the
 * reads and writes each request cannot do with less: the candidate's step 2 finds the session and its
 * list and marks the arrival, a retry reads the candidate's state and starts the course once the
 * presence is confirmed, the invigilator's list reads the session's candidates with their course, each
 * action is one update and one event. No templates, no CSRF, no signed cookies, no history: what is
 * left is the physical cost of the exam day's data on this machine, which the app's figure is set
 * against (as bench/floor.ts does for pages).
 */
import Database from 'better-sqlite3'
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify'
import pg from 'pg'

type Row = Record<string, unknown>
interface Store {
  get(sql: string, params: unknown[]): Promise<Row | undefined>
  all(sql: string, params: unknown[]): Promise<Row[]>
  run(sql: string, params: unknown[]): Promise<void>
}

function sqliteStore(file: string): Store {
  const db = new Database(file, { fileMustExist: true })
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('busy_timeout = 5000')
  const statements = new Map<string, Database.Statement>()
  const prepared = (text: string) => {
    let statement = statements.get(text)
    if (!statement) statements.set(text, (statement = db.prepare(text)))
    return statement
  }
  return {
    get: async (text, params) => prepared(text).get(...params) as Row | undefined,
    all: async (text, params) => prepared(text).all(...params) as Row[],
    run: async (text, params) => {
      prepared(text).run(...params)
    },
  }
}

function postgresStore(url: string): Store {
  const pool = new pg.Pool({ connectionString: url, max: 10 })
  const names = new Map<string, string>()
  const query = async (text: string, params: unknown[]) => {
    let name = names.get(text)
    if (!name) names.set(text, (name = `q${names.size}`))
    let n = 0
    return (await pool.query({ name, text: text.replace(/\?/g, () => `$${++n}`), values: params })).rows as Row[]
  }
  return {
    get: async (text, params) => (await query(text, params))[0],
    all: query,
    run: async (text, params) => {
      await query(text, params)
    },
  }
}

const store = process.env.DATABASE_URL ? postgresStore(process.env.DATABASE_URL) : sqliteStore(process.env.DATABASE_FILE!)
const now = () => new Date().toISOString()
const cookie = (request: FastifyRequest, name: string) => new RegExp(`(?:^|; )${name}=([^;]*)`).exec(request.headers.cookie ?? '')?.[1]
const field = (request: FastifyRequest, name: string) => String((request.body as Record<string, string> | undefined)?.[name] ?? '')

const app = Fastify({ logger: false })
app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
  done(null, Object.fromEntries(new URLSearchParams(body as string))),
)

// --- The candidate --------------------------------------------------------------------------
app.get('/rejoindre', async (request) => {
  const course = cookie(request, 'started')
  if (course) return store.get('select id, ended_at from certification_course where id = ?', [Number(course)])
  return 'identity form'
})
app.post('/rejoindre', async (request, reply) => {
  const identity = [
    field(request, 'sessionNumber'),
    field(request, 'lastName'),
    field(request, 'firstName'),
    field(request, 'birthYear'),
    field(request, 'birthMonth'),
    field(request, 'birthDay'),
  ]
  reply.header('set-cookie', `identity=${encodeURIComponent(identity.join('|'))}; Path=/rejoindre`)
  return 'code form'
})
app.post('/rejoindre/code', async (request, reply) => {
  const [sessionNumber, lastName, firstName, year, month, day] = decodeURIComponent(cookie(request, 'identity') ?? '').split('|')
  const session = await store.get('select id, access_code, finalised_at from certification_session where id = ?', [Number(sessionNumber)])
  if (!session || session.access_code !== field(request, 'accessCode').replace(/\W/g, '').toUpperCase()) return reply.code(400).send('miss')
  const list = await store.all('select id, last_name, first_name, birthdate from candidate where session_id = ?', [session.id])
  const candidate = list.find((c) => c.last_name === lastName && c.first_name === firstName && c.birthdate === `${year}-${month}-${day}`)
  if (!candidate) return reply.code(400).send('miss')
  return admit(reply, Number(session.id), Number(candidate.id))
})
app.post('/rejoindre/reessayer', async (request, reply) => {
  const [sessionId, candidateId] = (cookie(request, 'waiting') ?? '').split('.').map(Number)
  return admit(reply, sessionId!, candidateId!)
})
async function admit(reply: FastifyReply, sessionId: number, candidateId: number) {
  await store.run('update candidate set arrived_at = coalesce(arrived_at, ?) where id = ? and session_id = ?', [now(), candidateId, sessionId])
  const state = await store.get(
    'select candidate.presence_confirmed_at, certification_course.id as course_id from candidate left join certification_course on certification_course.candidate_id = candidate.id where candidate.id = ?',
    [candidateId],
  )
  let courseId = state?.course_id
  if (!courseId && state?.presence_confirmed_at) {
    courseId = (await store.get('insert into certification_course (session_id, candidate_id, joined_at) values (?, ?, ?) returning id', [
      sessionId,
      candidateId,
      now(),
    ]))!.id
  }
  if (!courseId) return reply.header('set-cookie', `waiting=${sessionId}.${candidateId}; Path=/rejoindre`).send('waiting')
  return reply.header('set-cookie', `started=${courseId}; Path=/rejoindre`).code(303).header('location', '/rejoindre').send()
}

// --- The invigilator ------------------------------------------------------------------------
app.get('/surveillance', async () => 'login form')
app.post('/surveillance', async (request, reply) => {
  const session = await store.get('select id, invigilator_password from certification_session where id = ?', [Number(field(request, 'sessionNumber'))])
  if (!session || session.invigilator_password !== field(request, 'password').replace(/^C-/, '')) return reply.code(400).send('wrong')
  await store.run('insert into invigilator_access (id, session_id, created_at, expires_at) values (?, ?, ?, ?)', [
    `${session.id}-${Math.random()}`,
    session.id,
    now(),
    now(),
  ])
  return reply.code(303).header('location', `/sessions/${session.id}/surveillance`).send()
})
const list = (request: FastifyRequest) =>
  store.all(
    'select candidate.id, last_name, first_name, arrived_at, presence_confirmed_at, extra_time_percentage, certification_course.id as course_id, joined_at, ended_at from candidate left join certification_course on certification_course.candidate_id = candidate.id where candidate.session_id = ?',
    [Number((request.params as { sessionId: string }).sessionId)],
  )
app.get('/sessions/:sessionId/surveillance', list)
app.get('/sessions/:sessionId/surveillance/liste', list)
const event = (sessionId: number, candidateId: number, action: string) =>
  store.run('insert into supervision_event (session_id, candidate_id, action, at) values (?, ?, ?, ?)', [sessionId, candidateId, action, now()])
const ids = (request: FastifyRequest) => {
  const params = request.params as { sessionId: string; candidateId: string }
  return [Number(params.sessionId), Number(params.candidateId)] as const
}
const back = (reply: FastifyReply, sessionId: number) => reply.code(303).header('location', `/sessions/${sessionId}/surveillance`).send()
app.post('/sessions/:sessionId/surveillance/candidats/:candidateId/presence', async (request, reply) => {
  const [sessionId, candidateId] = ids(request)
  await store.run('update candidate set presence_confirmed_at = ? where id = ? and session_id = ? and presence_confirmed_at is null', [
    now(),
    candidateId,
    sessionId,
  ])
  await event(sessionId, candidateId, 'confirm')
  return back(reply, sessionId)
})
app.post('/sessions/:sessionId/surveillance/candidats/:candidateId/terminer', async (request, reply) => {
  const [sessionId, candidateId] = ids(request)
  await store.run('update certification_course set ended_at = ? where candidate_id = ? and session_id = ? and ended_at is null', [
    now(),
    candidateId,
    sessionId,
  ])
  await event(sessionId, candidateId, 'end')
  return back(reply, sessionId)
})
app.post('/sessions/:sessionId/surveillance/candidats/:candidateId/signalement', async (request, reply) => {
  const [sessionId, candidateId] = ids(request)
  await event(sessionId, candidateId, 'incident')
  return back(reply, sessionId)
})

// --- The office (the rows each page shows) ---------------------------------------------------
app.get('/sessions', async () =>
  store.all('select id, site_name, room, date, start_time, finalised_at from certification_session order by date desc, start_time desc, id desc limit 50', []),
)
app.get('/sessions/:sessionId', async (request) =>
  store.get('select * from certification_session where id = ?', [Number((request.params as { sessionId: string }).sessionId)]),
)
app.get('/sessions/:sessionId/candidats', list)
app.get('/sessions/:sessionId/impression/convocations', list)

await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' })
