import { isIP } from 'node:net'

/**
 * True when `url`'s host is a loopback address (localhost, 127.x, [::1]): an address printed on a
 * convocation or sent by e-mail with it would send the candidate to their own machine.
 */
export function isLoopbackUrl(url: string): boolean {
  let host: string
  try {
    host = new URL(url).hostname.toLowerCase()
  } catch {
    return false
  }
  const bare = host.replace(/^\[|\]$/g, '')
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true
  if (isIP(bare) === 4) return bare.startsWith('127.')
  // WHATWG URL writes ::ffff:127.0.0.1 as ::ffff:7f00:1.
  if (isIP(bare) === 6) return bare === '::1' || bare === '0:0:0:0:0:0:0:1' || /^::ffff:(127\.|7f[0-9a-f]{2}:)/.test(bare)
  return false
}

/**
 * The address given to candidates and colleagues: PUBLIC_URL when set; otherwise the origin the
 * staff member is browsing (the request's own host, the one the same-origin check trusts).
 */
export function publicUrlFor(
  config: { publicUrl: string; publicUrlSet: boolean; secureCookies: boolean },
  request: { protocol: string; host: string },
): string {
  if (config.publicUrlSet) return config.publicUrl
  const scheme = config.secureCookies || request.protocol === 'https' ? 'https' : 'http'
  return `${scheme}://${request.host}`.replace(/\/+$/, '')
}
