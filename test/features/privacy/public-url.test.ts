import t from 'tap'
import { isLoopbackUrl, publicUrlFor } from '../../../src/lib/public-url.ts'

t.test('isLoopbackUrl: localhost, 127.x and [::1] are loopback; a school’s address is not', async (t) => {
  for (const url of [
    'http://localhost:3000',
    'http://LOCALHOST',
    'http://certif.localhost',
    'http://127.0.0.1:8080',
    'http://127.1.2.3',
    'http://[::1]:3000',
    'http://[::ffff:127.0.0.1]',
  ])
    t.ok(isLoopbackUrl(url), url)
  for (const url of [
    'https://certif.lycee.fr',
    'http://10.0.0.5:3000',
    'http://192.168.1.20',
    'http://[2001:db8::1]',
    'http://localhost.lycee.fr',
    'pas une adresse',
  ])
    t.notOk(isLoopbackUrl(url), url)
})

t.test('publicUrlFor: PUBLIC_URL first; else the origin browsed (https when cookies are Secure)', async (t) => {
  const request = { protocol: 'http', host: 'certif.ecole.test:3000' }
  t.equal(publicUrlFor({ publicUrl: 'https://certif.lycee.fr', publicUrlSet: true, secureCookies: false }, request), 'https://certif.lycee.fr')
  t.equal(publicUrlFor({ publicUrl: 'http://localhost:3000', publicUrlSet: false, secureCookies: false }, request), 'http://certif.ecole.test:3000')
  t.equal(publicUrlFor({ publicUrl: 'http://localhost:3000', publicUrlSet: false, secureCookies: true }, request), 'https://certif.ecole.test:3000')
  t.equal(
    publicUrlFor({ publicUrl: 'http://localhost:3000', publicUrlSet: false, secureCookies: false }, { protocol: 'https', host: 'x.test' }),
    'https://x.test',
  )
})
