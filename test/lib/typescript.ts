/**
 * How a child process runs the TypeScript sources (the server, the CLI): with Node's own type
 * stripping where Node has it (24, the runtime we test; `erasableSyntaxOnly` in tsconfig.json keeps
 * the sources strippable), else through the tsx loader. Stripping starts a process in a tenth of
 * the time, and the crash and CLI tests start dozens.
 */
export const RUN_TYPESCRIPT: readonly string[] = (process.features as { typescript?: string | false }).typescript ? [] : ['--import', 'tsx']
