import { createRequire } from 'node:module'
import type * as SheetJS from 'xlsx'

/**
 * Libraries that only some requests need (spreadsheets, file sniffing) are loaded at their first
 * use, not at start: together they weigh tens of megabytes a server that sits idle most of the week
 * does not need to hold. SheetJS is loaded synchronously (its callers are synchronous, and its
 * CommonJS build is the same code as its ES module).
 */
const require = createRequire(import.meta.url)

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
