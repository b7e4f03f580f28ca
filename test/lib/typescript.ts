/**
 * How a child process runs the TypeScript sources (the server, the CLI): with Node's own type
 * stripping where Node has it (24, the runtime we test; `erasableSyntaxOnly` in tsconfig.json keeps
 * the sources strippable), else through the tsx loader. Stripping starts a process in a tenth of
 * the time, and the crash and CLI tests start dozens.
 */
export const RUN_TYPESCRIPT: readonly string[] = (process.features as { typescript?: string | false }).typescript ? [] : ['--import', 'tsx']

/**
 * The environment of such a child: the test's own, with coverage off. Under coverage, tap's
 * processinfo (through NODE_OPTIONS) records every child too. `npm test` on Node 24 has the test
 * process strip types in place as the child does (TAP_TYPE_STRIP_ONLY=1), but on Node 20, or run
 * by `npx tap`, the test process loads the sources through tap's ts-node (compiled, with a source
 * map): two byte layouts of one file:// URL, which c8 merges range by range before mapping, so the
 * child's counts would land on the wrong lines and hide lines the test process ran
 * (docs/quality.md, « Couverture »). `_TAPJS_PROCESSINFO_COVERAGE_=0` is processinfo's own switch
 * (register-coverage.js); NODE_V8_COVERAGE goes too. What only a child runs (src/server.ts's start
 * and stop) is not measured.
 */
export function childEnv(): NodeJS.ProcessEnv {
  const { NODE_V8_COVERAGE: _, ...env } = process.env
  return { ...env, _TAPJS_PROCESSINFO_COVERAGE_: '0' }
}
