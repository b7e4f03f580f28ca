import type * as OpenId from 'openid-client'
import type { Config } from '../../config.ts'
import type { Db } from '../../db/database.ts'
import { timestampMs, toTimestamp } from '../../lib/timestamps.ts'
import { hashToken } from '../accounts/index.ts'
import { loadOpenIdClient } from '../../lib/lazy-modules.ts'

/** A sign-in started at the provider must come back within this time. */
export const OIDC_ATTEMPT_DURATION_MS = 10 * 60 * 1000

export type OidcSettings = NonNullable<Config['oidc']>

/** What the provider says about the person, once the code is exchanged and the ID token checked. */
export interface OidcIdentity {
  sub: string
  email: string | null
  emailVerified: boolean
  firstName: string
  lastName: string
  idToken: string
}

/** Why a callback gives no identity: the French message is the route's choice. */
export type OidcFailure = 'unavailable' | 'cancelled' | 'state' | 'failed'

/** The provider did not answer (discovery, token endpoint): the page says so, never a stack trace. */
export class OidcUnavailable extends Error {
  constructor(cause: unknown) {
    super('OpenID provider unavailable', { cause })
    this.name = 'OidcUnavailable'
  }
}

/**
 * The app's side of OpenID Connect, with openid-client (certified): discovery from the
 * issuer, authorization code flow with PKCE, `state` and `nonce`, RP-initiated logout when the
 * provider advertises `end_session_endpoint`. No Fastify here: the routes hand in the URLs.
 */
export class OidcClient {
  readonly settings: OidcSettings
  readonly redirectUri: string
  private discovered: Promise<OpenId.Configuration> | null = null

  constructor(settings: OidcSettings, publicUrl: string) {
    this.settings = settings
    this.redirectUri = `${publicUrl}/connexion/oidc/retour`
  }

  /** The provider's metadata, discovered once; a failed discovery is tried again next time. */
  async configuration(): Promise<OpenId.Configuration> {
    if (!this.discovered) {
      const { issuer, clientId, clientSecret, allowInsecure } = this.settings
      this.discovered = loadOpenIdClient()
        .then((client) =>
          client.discovery(new URL(issuer), clientId, clientSecret, client.ClientSecretBasic(clientSecret), {
            execute: allowInsecure ? [client.allowInsecureRequests] : [],
            timeout: 10,
          }),
        )
        .catch((error: unknown) => {
          this.discovered = null
          throw new OidcUnavailable(error)
        })
    }
    return this.discovered
  }

  /**
   * Starts a sign-in: the attempt (hash of the state, nonce, PKCE verifier, where to go next) is
   * stored; the state goes in the browser's cookie; the browser is sent to the returned URL.
   */
  async start(db: Db, nextPath: string | null, now = Date.now()): Promise<{ url: string; state: string }> {
    const config = await this.configuration()
    const client = await loadOpenIdClient()
    const state = client.randomState()
    const nonce = client.randomNonce()
    const codeVerifier = client.randomPKCECodeVerifier()
    const codeChallenge = await client.calculatePKCECodeChallenge(codeVerifier)
    await db
      .insertInto('oidc_attempt')
      .values({
        id: hashToken(state),
        nonce,
        code_verifier: codeVerifier,
        next_path: nextPath,
        expires_at: toTimestamp(now + OIDC_ATTEMPT_DURATION_MS),
        used_at: null,
      })
      .execute()
    const url = client.buildAuthorizationUrl(config, {
      ...this.settings.authorizationParams,
      redirect_uri: this.redirectUri,
      scope: this.settings.scopes,
      response_type: 'code',
      state,
      nonce,
      code_challenge: codeChallenge,
      code_challenge_method: 'S256',
    })
    return { url: url.href, state }
  }

  /**
   * The callback: `cookieState` is the state this browser was given. A missing, foreign, expired or
   * already spent state is refused before anything is sent to the provider; the attempt is spent
   * in the same statement that finds it, so only one of two replays can go on.
   */
  async finish(
    db: Db,
    currentUrl: URL,
    cookieState: string | null,
    now = Date.now(),
  ): Promise<{ ok: true; identity: OidcIdentity; nextPath: string | null } | { ok: false; failure: OidcFailure }> {
    const state = currentUrl.searchParams.get('state')
    if (!state || !cookieState || state !== cookieState) return { ok: false, failure: 'state' }
    const attempt = await db
      .updateTable('oidc_attempt')
      .set({ used_at: toTimestamp(now) })
      .where('id', '=', hashToken(state))
      .where('used_at', 'is', null)
      .returning(['nonce', 'code_verifier', 'next_path', 'expires_at'])
      .executeTakeFirst()
    if (!attempt || timestampMs(attempt.expires_at) <= now) return { ok: false, failure: 'state' }
    if (currentUrl.searchParams.has('error')) return { ok: false, failure: 'cancelled' }
    const config = await this.configuration()
    const client = await loadOpenIdClient()
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>
    try {
      tokens = await client.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: attempt.code_verifier,
        expectedState: state,
        expectedNonce: attempt.nonce,
        idTokenExpected: true,
      })
    } catch (error) {
      if (isNetworkError(error)) throw new OidcUnavailable(error)
      return { ok: false, failure: 'failed' }
    }
    const claims = tokens.claims()
    if (!claims || !tokens.id_token) return { ok: false, failure: 'failed' }
    let info: Record<string, unknown> = { ...claims }
    // Many providers (ProConnect among them) give the e-mail and names at the userinfo endpoint only.
    if (config.serverMetadata().userinfo_endpoint) {
      try {
        info = { ...info, ...(await client.fetchUserInfo(config, tokens.access_token, claims.sub)) }
      } catch (error) {
        if (isNetworkError(error)) throw new OidcUnavailable(error)
        return { ok: false, failure: 'failed' }
      }
    }
    const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '')
    return {
      ok: true,
      nextPath: attempt.next_path,
      identity: {
        sub: claims.sub,
        email: text(info.email) || null,
        // ProConnect vouches for its agents' addresses without the claim; others must say true.
        emailVerified: info.email_verified === true || info.email_verified === 'true',
        firstName: text(info.given_name) || text(info.name),
        lastName: text(info.family_name) || text(info.usual_name),
        idToken: tokens.id_token,
      },
    }
  }

  /** Where to send the browser at logout (RP-initiated logout), or null when the provider does not advertise it. */
  async endSessionUrl(idToken: string, postLogoutRedirectUri: string): Promise<string | null> {
    let config: OpenId.Configuration
    try {
      config = await this.configuration()
    } catch {
      return null
    }
    if (!config.serverMetadata().end_session_endpoint) return null
    const client = await loadOpenIdClient()
    return client.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: postLogoutRedirectUri }).href
  }
}

function isNetworkError(error: unknown): boolean {
  const seen = new Set<unknown>()
  for (let e: unknown = error; e && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e)
    const name = (e as { name?: string }).name
    const code = (e as { code?: string }).code
    if (name === 'TimeoutError' || name === 'AbortError' || (e instanceof TypeError && e.message === 'fetch failed')) return true
    if (code && /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|UND_ERR)/.test(code)) return true
  }
  return false
}
