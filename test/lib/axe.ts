import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
export const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

export interface Violation {
  id: string
  impact: string | null
  help: string
  nodes: string[]
}

/**
 * axe-core on the page as it is now, WCAG 2.1 AA rules only, once it has loaded. The page's context must have JavaScript
 * on and bypassCSP (STACK-NOTES: axe cannot be injected with JavaScript off, and the CSP forbids inline scripts).
 */
export async function runAxe(page: Page): Promise<Violation[]> {
  // After a click that navigates, Playwright returns once the new page has started loading: axe
  // reads the new page whole, whoever clicked (test/e2e/browser.ts's clickAndWait waits too).
  await page.waitForLoadState('load')
  await page.addScriptTag({ content: axeSource })
  const result = await page.evaluate(async (tags) => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run: (
            ctx: unknown,
            opts: unknown,
          ) => Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }> }>
        }
      }
    ).axe
    const { violations } = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
    return violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}${n.failureSummary ? ` — ${n.failureSummary.split('\n').slice(1).join(' ').trim()}` : ''}`),
    }))
  }, WCAG_21_AA)
  return result
}
