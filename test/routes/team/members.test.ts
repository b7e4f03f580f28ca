import t from 'tap'
import { removeMember } from '../../../src/features/team/team.service.ts'
import { build, Client, createMember, loggedIn } from '../../helper.ts'

function decode(html: string): string {
  return html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
}

const by = (centreId: number, userId: number) => ({ centreId, actor: { kind: 'user' as const, userId, name: 'Test' } })

async function flashAfter(client: Client, response: { statusCode: number; headers: Record<string, unknown> }) {
  return decode((await client.get(String(response.headers.location))).body)
}

t.test('changing a role: confirmation, success, nobody changes their own, the last admin stays one', async (t) => {
  const server = await build(t)
  const { client: admin, userId: adminId } = await loggedIn(server, { centre: 'Centre A' })
  const colleague = await createMember(server, { centre: 'Centre A', role: 'member', firstName: 'Chloé', lastName: 'Collègue' })

  const form = await admin.get(`/equipe/membres/${colleague.userId}/role`)
  t.equal(form.statusCode, 200)
  t.ok(decode(form.body).includes('Vous vous apprêtez à changer le rôle de Chloé Collègue.'))
  const bad = await admin.post(`/equipe/membres/${colleague.userId}/role`, { role: 'chef' })
  t.equal(bad.statusCode, 400)
  const done = await admin.post(`/equipe/membres/${colleague.userId}/role`, { role: 'admin' })
  t.equal(done.statusCode, 303)
  t.ok((await flashAfter(admin, done)).includes('Le rôle a bien été changé.'))
  t.equal((await server.db.selectFrom('membership').select('role').where('user_id', '=', colleague.userId).executeTakeFirstOrThrow()).role, 'admin')

  await admin.get('/equipe')
  const self = await admin.post(`/equipe/membres/${adminId}/role`, { role: 'member' })
  t.ok((await flashAfter(admin, self)).includes('Vous ne pouvez pas changer votre propre rôle.'))
  t.equal(
    (await server.db.selectFrom('membership').select('role').where('user_id', '=', adminId).executeTakeFirstOrThrow()).role,
    'admin',
    'own role unchanged',
  )

  // The colleague, now admin, demotes the first admin; then nobody can demote the colleague, the last admin.
  const colleagueClient = new Client(server)
  await colleagueClient.login(colleague.email)
  await colleagueClient.get('/equipe')
  t.equal((await colleagueClient.post(`/equipe/membres/${adminId}/role`, { role: 'member' })).statusCode, 303)
  t.equal((await server.db.selectFrom('membership').select('role').where('user_id', '=', adminId).executeTakeFirstOrThrow()).role, 'member')
  const third = await loggedIn(server, { centre: 'Centre A', role: 'member' })
  const refused = await third.client.post(`/equipe/membres/${colleague.userId}/role`, { role: 'member' })
  t.equal(refused.statusCode, 403, 'a member cannot change roles')
  t.equal(
    (await server.db.selectFrom('membership').select('role').where('user_id', '=', colleague.userId).executeTakeFirstOrThrow()).role,
    'admin',
    'still the admin',
  )
})

t.test('the last administrator can be neither demoted nor removed, nor leave', async (t) => {
  const server = await build(t)
  const { client: admin, userId: adminId, centreId } = await loggedIn(server, { centre: 'Centre A' })
  await createMember(server, { centre: 'Centre A', role: 'member' })
  // Demoting or removing oneself is refused before the last-admin rule; the rule itself holds in the service too.
  t.match(
    await removeMember(server.db, { centreId, actor: { kind: 'operator', userId: null, name: 'Test' } }, adminId),
    { ok: false, reason: 'refused', refused: { key: 'team.remove.last_admin' } },
    'removal of the last admin is refused',
  )
  await admin.get('/equipe/quitter')
  const leave = await admin.post('/equipe/quitter')
  t.ok((await flashAfter(admin, leave)).includes('Vous êtes le dernier administrateur de ce centre'))
  t.equal((await server.db.selectFrom('membership').selectAll().where('user_id', '=', adminId).execute()).length, 1, 'still a member')
})

t.test('removing a member: confirmation, their web sessions in this centre end, not the admin’s own', async (t) => {
  const server = await build(t)
  const { client: admin, userId: adminId } = await loggedIn(server, { centre: 'Centre A' })
  const victim = await loggedIn(server, { centre: 'Centre A', role: 'member', firstName: 'Rémi', lastName: 'Retiré' })
  await victim.client.get('/sessions')
  const page = await admin.get(`/equipe/membres/${victim.userId}/retirer`)
  t.equal(page.statusCode, 200)
  t.ok(decode(page.body).includes('Rémi Retiré n’aura plus accès à ce centre.'))
  const done = await admin.post(`/equipe/membres/${victim.userId}/retirer`)
  t.equal(done.statusCode, 303)
  t.ok((await flashAfter(admin, done)).includes('Rémi Retiré a été retiré(e) du centre.'))
  t.equal((await server.db.selectFrom('membership').selectAll().where('user_id', '=', victim.userId).execute()).length, 0)
  t.equal((await server.db.selectFrom('user_session').selectAll().where('user_id', '=', victim.userId).execute()).length, 0, 'their web sessions ended')
  const after = await victim.client.get('/sessions')
  t.equal(after.statusCode, 303, 'the removed member has lost access at once')
  t.match(after.headers.location, /^\/connexion/)

  await admin.get('/equipe')
  const self = await admin.post(`/equipe/membres/${adminId}/retirer`)
  t.ok((await flashAfter(admin, self)).includes('Vous ne pouvez pas vous retirer vous-même'))
  t.equal((await admin.get('/equipe')).statusCode, 200, 'the admin keeps access')
})

t.test('a member leaves the centre and lands on the no-centre page', async (t) => {
  const server = await build(t)
  await createMember(server, { centre: 'Centre A' })
  const { client, userId } = await loggedIn(server, { centre: 'Centre A', role: 'member' })
  const page = await client.get('/equipe/quitter')
  t.ok(decode(page.body).includes('Vous n’aurez plus accès au centre Centre A.'))
  const left = await client.post('/equipe/quitter')
  t.equal(left.statusCode, 303)
  const next = await client.get('/sessions')
  t.equal(next.headers.location, '/aucun-centre', 'still logged in, no centre left')
  t.ok(decode((await client.get('/aucun-centre')).body).includes('Vous avez quitté le centre Centre A.'))
  t.equal((await server.db.selectFrom('membership').selectAll().where('user_id', '=', userId).execute()).length, 0)
})

t.test('two last admins removing each other at the same time: one admin is left', async (t) => {
  const server = await build(t)
  const first = await loggedIn(server, { centre: 'Centre A' })
  const second = await loggedIn(server, { centre: 'Centre A' })
  await first.client.get('/equipe')
  await second.client.get('/equipe')
  const [a, b] = await Promise.all([
    first.client.post(`/equipe/membres/${second.userId}/retirer`),
    second.client.post(`/equipe/membres/${first.userId}/retirer`),
  ])
  t.ok(
    [a, b].every((r) => r.statusCode === 303),
    'both answered',
  )
  const admins = await server.db.selectFrom('membership').selectAll().where('centre_id', '=', first.centreId).where('role', '=', 'admin').execute()
  t.equal(admins.length, 1, 'exactly one admin left')
  // The same race straight through the service, many times, with no HTTP in between.
  for (let i = 0; i < 5; i++) {
    const x = await createMember(server, { centre: `Centre ${i}` })
    const y = await createMember(server, { centre: `Centre ${i}` })
    await Promise.all([removeMember(server.db, by(x.centreId, x.userId), y.userId), removeMember(server.db, by(x.centreId, y.userId), x.userId)])
    const left = await server.db.selectFrom('membership').selectAll().where('centre_id', '=', x.centreId).where('role', '=', 'admin').execute()
    t.equal(left.length, 1, `round ${i}: one admin left`)
  }
  // And demotions racing each other.
  const p = await createMember(server, { centre: 'Centre R' })
  const q = await createMember(server, { centre: 'Centre R' })
  const { changeMemberRole } = await import('../../../src/features/team/team.service.ts')
  await Promise.all([
    changeMemberRole(server.db, by(p.centreId, p.userId), q.userId, 'member'),
    changeMemberRole(server.db, by(p.centreId, q.userId), p.userId, 'member'),
  ])
  t.equal(
    (await server.db.selectFrom('membership').selectAll().where('centre_id', '=', p.centreId).where('role', '=', 'admin').execute()).length,
    1,
    'demotions too',
  )
})

t.test('members keep every session right', async (t) => {
  const server = await build(t)
  const { client } = await loggedIn(server, { centre: 'Centre A', role: 'member' })
  await client.get('/sessions/nouvelle')
  const created = await client.post('/sessions/nouvelle', { siteName: 'Lycée', room: '12', date: '2030-01-12', startTime: '10:00', invigilators: 'Eric' })
  t.equal(created.statusCode, 303, 'a member creates sessions')
})
