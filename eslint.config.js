// ESLint (flat config): typescript-eslint's recommended rules (not the type-checked set, to stay
// fast) and the layer rules of CONTRIBUTING.md. Formatting is Prettier's job (`prettier --check .`).
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const fastify = {
  group: ['fastify', 'fastify-plugin', '@fastify/*'],
  message: 'Pas de Fastify ici : les règles métier et les aides restent testables sans serveur (CONTRIBUTING.md).',
}
const database = {
  group: ['kysely', 'better-sqlite3', '**/db/*', '**/db/**'],
  message: 'Les routes font seulement le HTTP : passez par une fonction de src/features (CONTRIBUTING.md).',
}
const pluginDatabase = {
  group: ['kysely', 'better-sqlite3', 'pg', '**/db/*', '**/db/**'],
  message: 'Nos plugins ne font pas de requêtes : passez par un repository de src/features (CONTRIBUTING.md).',
}
// Queries written on `app.db` / `request.server.db` (no import needed) are as much out of place there.
const noQueryBuilder = {
  selector: 'MemberExpression[property.name=/^(selectFrom|selectNoFrom|updateTable|insertInto|deleteFrom|replaceInto|mergeInto|transaction|schema)$/]',
  message: 'Pas de requête ici : une fonction de repository ou de service dans src/features (CONTRIBUTING.md).',
}
// Every instant is written one way (CONTRIBUTING.md, "Timestamps"): by src/lib/timestamps.ts only.
const oneTimestamp = {
  selector: "CallExpression[callee.property.name='toISOString']",
  message: 'Un instant s’écrit avec toTimestamp() ou nowTimestamp() (src/lib/timestamps.ts, CONTRIBUTING.md « Timestamps »).',
}
// A feature meets another only through that feature's public entry, its index.ts (CONTRIBUTING.md,
// "Layout"): what it imports there is what the other feature offers, and the folders stay acyclic
// (test/feature-cycles.test.ts). `../x/` from a feature's own files, `../../x/` from a subfolder.
const otherFeature = (up) => ({
  regex: `^${up}(?!\\.\\.?/)[^/]+/(?!index\\.ts$)`,
  message: 'Une fonctionnalité n’importe une autre que par son index.ts (ajoutez-y ce qu’il faut, CONTRIBUTING.md « Layout »).',
})
const noFeature = {
  group: ['**/features/*', '**/features/**'],
  message: 'src/lib sert toutes les fonctionnalités et n’en importe aucune : ce qui lui manque vient en paramètre (CONTRIBUTING.md).',
}
// Services own the writes (CONTRIBUTING.md, "Write transactions", "History"): a repository only queries.
const repositoryRules = [
  {
    group: ['**/*.service', '**/*.service.ts'],
    message: 'Un repository ne fait que des requêtes : c’est le service qui l’appelle, pas l’inverse (CONTRIBUTING.md).',
  },
  {
    group: ['**/*rules*'],
    allowTypeImports: true,
    message: 'Un repository ne fait que des requêtes : la règle se vérifie dans le service, dans sa transaction (CONTRIBUTING.md).',
  },
  {
    group: ['**/history/history', '**/history/history.ts'],
    allowTypeImports: true,
    message: 'L’historique (recordHistory) s’écrit dans le service, dans la transaction de l’écriture (CONTRIBUTING.md « History »).',
  },
  // The same through the history feature's public entry.
  {
    group: ['**/history/index', '**/history/index.ts'],
    importNames: ['recordHistory'],
    message: 'L’historique (recordHistory) s’écrit dans le service, dans la transaction de l’écriture (CONTRIBUTING.md « History »).',
  },
]
const repositoryImport = {
  group: ['**/*.repository', '**/*.repository.ts'],
  message: 'Les routes font seulement le HTTP : appelez une fonction de service de src/features, pas un repository (CONTRIBUTING.md).',
}
// Routes tell answers apart by `result.ok` and a `switch` on `result.reason` (src/lib/result.ts).
const answerByProperty = {
  selector: "BinaryExpression[operator='in'][left.type='Literal']",
  message: 'Une réponse se distingue par result.ok puis un switch sur result.reason (src/lib/result.ts), pas par la présence d’une propriété.',
}
// A request never waits for SMTP: routes queue mail (`app.mail.enqueue`), CONTRIBUTING.md « Mail ».
const noMailInRequest = {
  selector: "MemberExpression[property.name='sendNow']",
  message: 'Une requête n’attend jamais SMTP : app.mail.enqueue (src/features/mail/mail-queue.ts), pas sendNow (CONTRIBUTING.md « Mail »).',
}
const appCode = { group: ['**/src/*', '**/src/**'], message: 'Une migration ne dépend jamais du code de l’application : il changera, elle non.' }

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.cache/', '.tap/', 'test-output/', 'coverage/', 'docs/screenshots/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      // `_name` marks a parameter kept for its position (Fastify hooks, proxy-addr's trust function).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Kysely's migrations and a few test helpers take `Kysely<any>` on purpose: the schema of a
      // migration is the one of its date, not today's `Database`.
      '@typescript-eslint/no-explicit-any': 'off',
      // `x!` after a check the compiler cannot follow (noUncheckedIndexedAccess on a regex match).
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Input checks match control characters on purpose (names, file names, redirects refuse them).
      'no-control-regex': 'off',
      // A reply decorator's `this` is the reply: it is named so for the closures it hands to the view.
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['reply'] }],
    },
  },
  { files: ['public/**/*.js'], languageOptions: { globals: globals.browser, sourceType: 'script' } },

  { files: ['src/**'], ignores: ['src/lib/timestamps.ts'], rules: { 'no-restricted-syntax': ['error', oneTimestamp] } },
  // Layers (CONTRIBUTING.md, "Layout"). A later block's no-restricted-syntax replaces the one above: each lists both.
  { files: ['src/features/**'], rules: { 'no-restricted-imports': ['error', { patterns: [fastify] }] } },
  { files: ['src/features/*/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [fastify, otherFeature('\\.\\./')] }] } },
  { files: ['src/features/*/*/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [fastify, otherFeature('\\.\\./\\.\\./')] }] } },
  {
    files: ['src/routes/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [database] }], 'no-restricted-syntax': ['error', noQueryBuilder, oneTimestamp] },
  },
  {
    files: ['src/plugins/app/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [pluginDatabase] }], 'no-restricted-syntax': ['error', noQueryBuilder, oneTimestamp] },
  },
  // Repositories: the same, plus only queries (no service, no rule module, no history writer).
  {
    files: ['src/features/*/*.repository.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [fastify, otherFeature('\\.\\./'), ...repositoryRules] }] },
  },
  {
    files: ['src/features/*/*/*.repository.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [fastify, otherFeature('\\.\\./\\.\\./'), ...repositoryRules] }] },
  },
  {
    files: ['src/routes/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [database, repositoryImport] }],
      'no-restricted-syntax': ['error', noQueryBuilder, oneTimestamp, answerByProperty, noMailInRequest],
    },
  },
  { files: ['migrations/**'], rules: { 'no-restricted-imports': ['error', { patterns: [appCode] }] } },
  {
    files: ['src/lib/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [fastify, noFeature] }] },
  },
)
