import t from 'tap'
import { buildWithRoutes, isScoped, SCOPED_PARAMS, paramsOf, URL_MAP, USER_SCOPED_PARAMS } from '../lib/routes.ts'

// The sweeps are generated from the route table; this says plainly which routes of the URL map
// (CONTRIBUTING.md) are not registered yet, so a sweep that checked fewer routes is visible.
t.test('every route of the URL map is registered', async (t) => {
  const { routes } = await buildWithRoutes(t)
  const registered = new Set(routes.map((r) => `${r.method} ${r.url}`))
  const missing = URL_MAP.filter(([method, url]) => !registered.has(`${method} ${url}`)).map(([m, u]) => `${m} ${u}`)
  t.same(missing, [], missing.length ? `not registered yet:\n  ${missing.join('\n  ')}` : 'all registered')
})

t.test('owned data is only ever addressed through the parameters scope.ts loads', async (t) => {
  const { routes } = await buildWithRoutes(t)
  const userScoped = (url: string) => paramsOf(url).some((p) => (USER_SCOPED_PARAMS as readonly string[]).includes(p))
  for (const route of routes.filter((r) => r.url.startsWith('/sessions/') && paramsOf(r.url).length > 0 && !userScoped(r.url))) {
    const params = paramsOf(route.url)
    t.ok(
      isScoped(route) && params.every((p) => (SCOPED_PARAMS as readonly string[]).includes(p)),
      `${route.method} ${route.url} names its parameters ${SCOPED_PARAMS.join('/')}`,
    )
    if (params.some((p) => p !== 'sessionId')) t.ok(params.includes('sessionId'), `${route.method} ${route.url}: a child id always comes with its :sessionId`)
  }
})
