/** The cookies the app sets, by what they hold. */
export interface CookieNames {
  /** Login session token (src/plugins/app/auth.ts). */
  session: string
  /** Secret of the CSRF tokens (src/plugins/external/csrf.ts). */
  csrf: string
  /** One-time message shown on the next page (src/plugins/app/render.ts). */
  flash: string
  /** Candidate identified at step 1 of /rejoindre (src/routes/joining/join.ts). */
  join: string
  /** Candidate whose test started, to show the result again (src/routes/joining/join.ts); the cookie keeps its older name. */
  started: string
  /** Candidate who passed the access code and waits for the invigilator (src/routes/joining/join.ts). */
  waiting: string
  /** Invigilator access token, Espace surveillant (src/plugins/app/auth.ts). */
  invigilator: string
  /** Language chosen with "Français / English", kept a year (src/plugins/app/locale.ts). */
  locale: string
  /** A sign-in through the OpenID provider under way: its state (and invitation), src/routes/oidc/sign-in.ts. */
  oidc: string
}

/**
 * The one place that names cookies. Behind HTTPS (SECURE_COOKIES=true) the names carry a prefix
 * the browser enforces, so that a cookie planted by a sibling sub-domain or over plain HTTP
 * (`Domain=.lycee.fr`, or no `Secure`) never reaches the app under a name it reads — the login
 * CSRF where a victim is silently logged into the attacker's account:
 * - `__Host-`: the browser accepts it only with `Secure`, `Path=/` and no `Domain`, i.e. set by
 *   this exact host over HTTPS. Used for every cookie on `/`.
 * - `__Secure-`: only with `Secure` (a sub-domain served over HTTPS could still set it). The two
 *   /rejoindre cookies keep `Path=/rejoindre`, which `__Host-` forbids; they are signed by the
 *   server, so a planted one must be a value the server signed anyway.
 * Over plain HTTP (development, tests) no prefix is possible: the plain names are used.
 */
export function cookieNames(secure: boolean): CookieNames {
  const host = secure ? '__Host-' : ''
  const securePrefix = secure ? '__Secure-' : ''
  return {
    session: `${host}certisalle_session`,
    csrf: `${host}certisalle_csrf`,
    flash: `${host}certisalle_flash`,
    join: `${securePrefix}certisalle_join`,
    started: `${securePrefix}certisalle_joined`,
    waiting: `${securePrefix}certisalle_waiting`,
    invigilator: `${host}certisalle_surveillance`,
    locale: `${host}certisalle_langue`,
    oidc: `${securePrefix}certisalle_oidc`,
  }
}
