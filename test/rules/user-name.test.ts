import t from 'tap'
import { writeTransaction } from '../../src/db/transaction.ts'
import { findUserName } from '../../src/features/accounts/accounts.repository.ts'
import { addUserToCentre } from '../../src/features/accounts/accounts.service.ts'
import { updateName } from '../../src/features/accounts/my-account.ts'
import { loadFinalisation, refusalOf } from '../../src/features/finalisation/finalisation.service.ts'
import { findSessionForCentre } from '../../src/features/sessions/sessions.repository.ts'
import { historyActor } from '../../src/features/supervision/supervision-changes.service.ts'
import { createSession, finaliseSession } from '../factories.ts'
import { build, createMember, PASSWORD } from '../helper.ts'

// findUserName (accounts.repository.ts) is the one look-up of a user's name: the history's entry
// when the CLI adds a member, a staff member's actions in the Espace surveillant, who finalised a
// session (its summary and the refusal page), and the former name of a renamed account.

t.test('findUserName: the display name and the address; null for no user', async (t) => {
  const server = await build(t)
  const { userId, email } = await createMember(server, { firstName: 'Zoë', lastName: 'N’Diaye' })
  t.same(await findUserName(server.db, userId), { name: 'Zoë N’Diaye', email })
  t.equal(await findUserName(server.db, null), null)
  t.equal(await findUserName(server.db, userId + 1000), null, 'an account deleted since')
})

t.test('every caller names the same user alike', async (t) => {
  const server = await build(t)
  const { centreId } = await createMember(server, { centre: 'Centre Testix' })
  const added = await addUserToCentre(
    server.db,
    { email: 'zoe@example.org', password: PASSWORD, firstName: 'Zoë', lastName: 'N’Diaye' },
    'Centre Testix',
    'member',
  )
  if ('error' in added) throw new Error('not added')
  const user = (await findUserName(server.db, added.userId))!
  t.equal(user.name, 'Zoë N’Diaye')

  const joined = await server.db.selectFrom('history').select('subject').where('action', '=', 'member_joined').orderBy('id', 'desc').executeTakeFirstOrThrow()
  t.equal(joined.subject, user.name, 'the CLI’s history entry')

  t.same(
    await writeTransaction(server.db, (trx) => historyActor(trx, { kind: 'staff', userId: added.userId })),
    { kind: 'user', userId: added.userId, name: user.name, email: user.email },
    'the Espace surveillant’s history actor',
  )

  const created = await createSession(server.db, centreId)
  await finaliseSession(server.db, created.id, added.userId)
  const session = (await findSessionForCentre(server.db, centreId, created.id))!
  t.equal((await loadFinalisation(server.db, session)).finalisedByName, user.name, 'the finalisation summary')
  t.match((await refusalOf(server.db, session)).message, { key: 'finalisation.finalised_by', params: { name: user.name } }, 'the refusal page')

  await updateName(server.db, added.userId, 'Zoé', 'Ndiaye')
  const renamed = await server.db.selectFrom('history').select(['actor_name', 'subject']).where('action', '=', 'account_renamed').executeTakeFirstOrThrow()
  t.same(renamed, { actor_name: user.name, subject: `${user.name} → Zoé Ndiaye` }, 'a rename: by the former name')
  t.equal((await loadFinalisation(server.db, session)).finalisedByName, 'Zoé Ndiaye', 'then the new name everywhere')
})
