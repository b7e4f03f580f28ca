import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The project folder (the one with package.json, views/ and public/), found from this file so that
 * it is the same under tsx (src/paths.ts) and compiled (dist/src/paths.js).
 */
function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir
    if (path.dirname(dir) === dir) throw new Error(`package.json introuvable au-dessus de ${from}`)
  }
}

export const ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)))
export const VIEWS_DIR = path.join(ROOT, 'views')
export const PUBLIC_DIR = path.join(ROOT, 'public')
