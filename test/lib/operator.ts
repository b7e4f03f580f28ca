import type { FastifyInstance } from 'fastify'
import { createOperator } from '../../src/features/operations/operations.service.ts'
import { acceptCgu, findUserByEmail } from '../../src/features/accounts/accounts.service.ts'
import { Client, PASSWORD } from '../helper.ts'

/** A logged-in operator (issue 30: `create-user … --operator`), member of no centre, on the console (its CSRF token read). */
export async function operatorClient(server: FastifyInstance, email = 'dsi@ac-test.fr') {
  await createOperator(server.db, { email, password: PASSWORD, firstName: 'Dora', lastName: 'Dsi' })
  const user = (await findUserByEmail(server.db, email))!
  await acceptCgu(server.db, user.id)
  const client = new Client(server)
  await client.get('/connexion')
  const response = await client.post('/connexion', { email, password: PASSWORD })
  if (response.statusCode !== 303) throw new Error(`operator login failed: ${response.statusCode}`)
  await client.get('/exploitation')
  return { client, userId: user.id }
}
