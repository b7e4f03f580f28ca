import t from 'tap'
import { validateSetup } from '../../../src/features/accounts/account-form.ts'
import { type CandidateInput, validateCandidate } from '../../../src/features/candidates/candidate-rules.ts'
import { isValidEmail } from '../../../src/lib/email.ts'

const accepted = ['julie.dupont@example.org', 'j+certif@lycee-exemple.fr', 'Jean.Neige@Gmail.COM', 'a@b.co', 'élève@école.fr']
const refused = [
  'julie.dupont@',
  'julie.dupont@example',
  'julie dupont@example.org',
  'julie@dupont@example.org',
  'Julie <julie@example.org>',
  'julie;paul@example.org',
  'julie@example..org',
  'julie@.example.org',
  'julie@example.org.',
  `${'a'.repeat(250)}@b.fr`,
  // Invisible characters (issue 23, item 7): bidi overrides and isolates, marks, zero-width, controls.
  'julie\u202e@example.org',
  'julie@exa\u202emple.org',
  '\u2066julie@example.org\u2069',
  'julie\u200e@example.org',
  'ju\u200blie@example.org',
  'julie@example.org\u0000',
  'ju\u0085lie@example.org',
  'julie@exam\u00a0ple.org',
]

t.test('one e-mail rule', async (t) => {
  for (const email of accepted) t.ok(isValidEmail(email), email)
  for (const email of refused) t.notOk(isValidEmail(email), JSON.stringify(email))
})

const candidate = (email: string): CandidateInput => ({
  lastName: 'Dupont',
  firstName: 'Julie',
  birthdate: '13/03/1996',
  birthCity: 'Le Havre',
  birthDepartment: '76',
  birthCountry: 'France',
  email,
  externalId: '',
  extraTime: '',
})
const account = (email: string) => ({
  centreName: 'Lycée',
  firstName: 'Anne',
  lastName: 'Martin',
  email,
  password: 'un mot de passe long',
  confirmation: 'un mot de passe long',
})

t.test('accounts and candidates accept and refuse the same addresses', async (t) => {
  for (const email of [...accepted, ...refused.slice(0, -1)]) {
    const setup = validateSetup(account(email))
    const asAccount = setup.ok || setup.errors.email === undefined
    const asCandidate = validateCandidate(candidate(email), { y: 2026, m: 12, d: 1 }).ok
    t.equal(asCandidate, asAccount, `${email}: ${asAccount ? 'accepted' : 'refused'} by both`)
    t.equal(asAccount, isValidEmail(email), email)
  }
})
