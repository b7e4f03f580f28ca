import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Locale } from '../../i18n/index.ts'

/** The two pages a public body publishes, by their file name in DATA_DIR/pages. */
export type LegalPage = 'donnees-personnelles' | 'accessibilite'

/**
 * The installation's own text of a page, when the operator wrote one: DATA_DIR/pages/<page>.<fr|en>.html
 * (HTML written by the operator, shown as is inside the page; the French file serves English too
 * when there is no English one). null: our text (views/privacy/*).
 */
export async function readInstallationPage(pagesDir: string, page: LegalPage, locale: Locale): Promise<string | null> {
  for (const language of locale === 'en' ? ['en', 'fr'] : ['fr']) {
    try {
      return await readFile(path.join(pagesDir, `${page}.${language}.html`), 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
  }
  return null
}
