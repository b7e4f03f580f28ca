import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import helmet from 'helmet'
import t from 'tap'
import { helmetOptions, securityHeaders } from '../../src/plugins/external/helmet.ts'
import { build } from '../helper.ts'

/** What helmet's own middleware sets on a real response, per request, as the library is meant to be used. */
async function helmetOnARealResponse(secureCookies: boolean): Promise<Record<string, string>> {
  const middleware = helmet(helmetOptions(secureCookies))
  const server = createServer((request, response) => middleware(request, response, () => response.end()))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
    await response.arrayBuffer()
    const skip = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'])
    return Object.fromEntries([...response.headers].filter(([name]) => !skip.has(name)))
  } finally {
    server.close()
  }
}

for (const secureCookies of [false, true]) {
  t.test(`the headers asked of helmet once are those its middleware sets on each response (SECURE_COOKIES=${secureCookies})`, async (t) => {
    const once = securityHeaders(helmetOptions(secureCookies))
    t.same(once, await helmetOnARealResponse(secureCookies))
    t.match(once['content-security-policy'], /script-src 'self'/)
    t.equal('strict-transport-security' in once, secureCookies, 'HSTS only behind HTTPS')
    t.equal(/upgrade-insecure-requests/.test(once['content-security-policy'] ?? ''), secureCookies, 'upgrade-insecure-requests only behind HTTPS')

    const server = await build(t, { secureCookies })
    for (const url of ['/connexion', '/css/app.css', '/nexiste-pas']) {
      const response = await server.inject({ url })
      for (const [name, value] of Object.entries(once)) t.equal(response.headers[name], value, `${url}: ${name}`)
    }
  })
}
