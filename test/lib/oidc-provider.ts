import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
// @ts-expect-error oidc-provider ships no types; the few calls below are checked by the tests themselves.
import Provider from 'oidc-provider'
import type { Config } from '../../src/config.ts'
import type { Teardown } from '../helper.ts'

/** A person known to the test provider; `sub` is what is typed in its login form's "login" field. */
export interface TestIdentity {
  sub: string
  email?: string
  email_verified?: boolean
  given_name?: string
  family_name?: string
}

export const OIDC_CLIENT_ID = 'certisalle-test'
export const OIDC_CLIENT_SECRET = 'certisalle-test-secret-certisalle-test-secret'

/**
 * A real OpenID provider on loopback (oidc-provider, the certified Node implementation), for the
 * app's sign-in tests (issue 30): one confidential client for the app at `appUrl`, the people in
 * `identities` (changed at will by the test: `identities.set(...)`), its own development login and
 * logout pages (`features.devInteractions`: plain HTML forms, usable with JavaScript off; any
 * password is accepted for a known login). Consent is granted at once (a first-party client).
 */
export async function startOidcProvider(t: Teardown, appUrl: string, identities: TestIdentity[] = []) {
  const people = new Map(identities.map((identity) => [identity.sub, identity]))
  const server: Server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: OIDC_CLIENT_ID,
        client_secret: OIDC_CLIENT_SECRET,
        redirect_uris: [`${appUrl}/connexion/oidc/retour`],
        post_logout_redirect_uris: [`${appUrl}/connexion`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    async findAccount(_ctx: unknown, sub: string) {
      const person = people.get(sub)
      if (!person) return undefined
      return { accountId: sub, claims: async () => ({ ...people.get(sub), sub }) }
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['given_name', 'family_name'] },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ['oidc-test-cookie-key-oidc-test-cookie-key'] },
    // A first-party client: the grant is given at sign-in, no consent page.
    async loadExistingGrant(ctx: { oidc: { client: { clientId: string }; session: { accountId: string }; provider: { Grant: new (init: object) => Grant } } }) {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId })
      grant.addOIDCScope('openid email profile')
      await grant.save()
      return grant
    },
  })
  server.on('request', provider.callback())
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  server.closeIdleConnections()

  return {
    issuer,
    identities: people,
    /** The app's settings for this provider. */
    oidcConfig(overrides: Partial<NonNullable<Config['oidc']>> = {}): NonNullable<Config['oidc']> {
      return {
        issuer,
        clientId: OIDC_CLIENT_ID,
        clientSecret: OIDC_CLIENT_SECRET,
        label: 'Compte académique',
        scopes: 'openid email profile',
        authorizationParams: {},
        allowInsecure: true,
        ...overrides,
      }
    },
    /** Stops the provider now (the "provider down" cases). */
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

interface Grant {
  addOIDCScope(scope: string): void
  save(): Promise<string>
}

/**
 * A browser at the provider without JavaScript, as the tests' HTTP client: follows the provider's
 * redirects, fills its login form (`login` = the sub), and stops at the first redirect back to the
 * app, whose URL it returns (`…/connexion/oidc/retour?code=…&state=…&iss=…`).
 */
export async function signInAtProvider(authorizationUrl: string, login: string): Promise<string> {
  const cookies = new Map<string, string>()
  const providerOrigin = new URL(authorizationUrl).origin
  async function go(url: string, init: RequestInit = {}): Promise<Response> {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    })
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';')
      const index = pair.indexOf('=')
      cookies.set(pair.slice(0, index), pair.slice(index + 1))
    }
    return response
  }
  let url = authorizationUrl
  let init: RequestInit = {}
  for (let step = 0; step < 10; step++) {
    const response = await go(url, init)
    init = {}
    const location = response.headers.get('location')
    if (location) {
      const next = new URL(location, url).href
      if (!next.startsWith(providerOrigin)) return next
      url = next
      continue
    }
    const html = await response.text()
    const action = /<form[^>]*action="([^"]+)"[^>]*method="post"/.exec(html)?.[1]
    if (!action || !html.includes('name="login"')) throw new Error(`The provider's page is not its login form (${response.status}):\n${html.slice(0, 500)}`)
    url = new URL(action, url).href
    init = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ prompt: 'login', login, password: 'any' }).toString(),
    }
  }
  throw new Error('Too many redirects at the provider')
}
