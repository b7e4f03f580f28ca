import { createRequire } from 'node:module'
import type * as SheetJS from 'xlsx'
import type * as OpenIdClient from 'openid-client'
import type * as Argon2 from '@node-rs/argon2'

/**
 * Libraries that only some requests need (spreadsheets, file sniffing) are loaded at their first
 * use, not at start: together they weigh tens of megabytes a server that sits idle most of the week
 * does not need to hold. SheetJS is loaded synchronously (its callers are synchronous, and its
 * CommonJS build is the same code as its ES module).
 */
const require = createRequire(import.meta.url)

/**
 * A value made on first use, then kept: what a server idle since its start never needs (the
 * Intl formatters: each one pulls ICU's locale and time-zone data into memory) is not made at start.
 */
export function onFirstUse<T>(make: () => T): () => T {
  let value: T | undefined
  return () => (value ??= make())
}

let sheetjs: typeof SheetJS | undefined
/** SheetJS (`xlsx`), loaded on first use. */
export function loadSheetJS(): typeof SheetJS {
  return (sheetjs ??= require('xlsx') as typeof SheetJS)
}

/** The type file-type reads from the first bytes (`{ ext, mime }`), or undefined; never throws. */
export async function sniffFileType(buffer: Uint8Array): Promise<{ ext: string; mime: string } | undefined> {
  const { fileTypeFromBuffer } = await import('file-type')
  return fileTypeFromBuffer(buffer).catch(() => undefined)
}

/** openid-client (with oauth4webapi and jose), loaded at the first OpenID Connect sign-in: most centres never set OIDC_ISSUER. */
export const loadOpenIdClient: () => Promise<typeof OpenIdClient> = onFirstUse(() => import('openid-client'))

/** @node-rs/argon2 (a native addon), loaded at the first password hashed or checked: staff sessions and candidates' pages never need it. */
export const loadArgon2: () => Promise<typeof Argon2> = onFirstUse(() => import('@node-rs/argon2'))
