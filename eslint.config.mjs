// `npm run lint` (also run by `npm test`): typescript-eslint's recommended rules, and the house of
// DESIGN.md as import boundaries: which room may import which, who may use discord.js, no cycles.
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** The rooms of the house. The trainer's engines (src/trainer/webgpu, onnx, fused) are parts of the trainer. */
const ROOMS = {
  commands: 'commands',
  'command-kit': 'src/commands',
  i18n: 'src/i18n',
  experiments: 'src/experiments',
  protocol: 'src/protocol',
  trainer: 'src/trainer',
  jobs: 'src/jobs',
  charts: 'src/charts',
  images: 'src/images',
  store: 'src/store',
  discord: 'src/discord',
  console: 'src/console',
  bench: 'bench',
  test: 'test',
};

/** Files at the top of src/: the entry points, which wire rooms together and sit apart, and what they share. */
const FILES = {
  entry: ['src/main.ts', 'src/register-main.ts', 'src/train-class-model-main.ts', 'src/trainer-process.ts', 'src/worker-main.ts'],
  app: ['src/app.ts', 'src/worker-app.ts', 'src/logging.ts'],
  config: ['src/config.ts'],
  versions: ['src/versions.ts'],
  result: ['src/result.ts'],
  logger: ['src/logger.ts'],
};

/** A room or a top-level file, as the boundaries plugin selects it. */
function place(names) {
  const rooms = names.filter((name) => name in ROOMS);
  const files = names.filter((name) => name in FILES);
  return [
    ...(rooms.length > 0 ? [{ element: { types: { anyOf: rooms } } }] : []),
    ...(files.length > 0 ? [{ file: { categories: { anyOf: files } } }] : []),
  ];
}

/** What each room may import (besides itself). Leaves import only the domain, or nothing. */
const MAY_IMPORT = {
  experiments: [],
  i18n: [],
  result: [],
  logger: [],
  versions: [],
  protocol: ['experiments'],
  config: ['protocol'],
  charts: ['experiments'],
  images: [],
  store: ['experiments'],
  trainer: ['experiments', 'protocol'],
  jobs: ['experiments', 'protocol', 'store', 'result', 'logger'],
  'command-kit': ['experiments', 'protocol', 'i18n', 'jobs', 'store', 'charts', 'images', 'config', 'result', 'logger'],
  commands: ['command-kit', 'experiments', 'i18n', 'store', 'versions'],
  console: ['commands', 'command-kit', 'i18n', 'result', 'logger'],
  discord: ['commands', 'command-kit', 'app', 'config', 'experiments', 'i18n', 'jobs', 'store', 'result', 'logger'],
  app: ['command-kit', 'config', 'experiments', 'protocol', 'jobs', 'store', 'charts', 'trainer', 'logger'],
  entry: ['app', 'commands', 'config', 'console', 'discord', 'experiments', 'protocol', 'store', 'trainer', 'logger'],
  // The soak drives the real bot through the loopback Discord of the tests (test/support).
  bench: ['app', 'command-kit', 'config', 'experiments', 'i18n', 'jobs', 'store', 'trainer', 'test', 'logger'],
};

/** Only the Discord adapter (and the entries that start it) speak discord.js. */
const DISCORD_JS = { module: { origin: 'external', source: 'discord.js' } };

const policies = Object.entries(MAY_IMPORT).map(([from, to]) => ({
  from: place([from]),
  allow: { to: place([from, ...to]) },
  ...(from === 'discord' || from === 'entry' ? {} : { disallow: { to: DISCORD_JS } }),
}));

export default defineConfig(
  { ignores: ['node_modules/**', 'data/**', 'coverage/**', 'out/**', '.gpu/**'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  tseslint.configs.recommended,
  // jest.config.js is CommonJS, as jest reads it.
  { files: ['**/*.js', '**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', process: 'readonly', Buffer: 'readonly' } } },
  // A preload script (node --require) is CommonJS by nature.
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  {
    files: ['**/*.ts'],
    plugins: { boundaries, 'import-x': importX },
    settings: {
      'boundaries/elements': Object.entries(ROOMS).map(([type, pattern]) => ({ type, pattern, partialMatch: false })),
      'boundaries/files': Object.entries(FILES).map(([category, pattern]) => ({ category, pattern })),
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js'] })],
      // The boundaries plugin resolves imports with eslint-import-resolver-node.
      'import/resolver': { node: { extensions: ['.ts', '.js'] } },
    },
    rules: {
      // A name that starts with `_` is unused on purpose (a fixed signature, a left-out field).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          checkAllOrigins: true,
          policies: [
            // Packages and Node's own modules: anyone, except discord.js below.
            { allow: { to: { module: { origin: ['external', 'core'] } } } },
            ...policies,
            // The trainer is handed the configuration by its entry points; it reads only its type.
            { from: place(['trainer']), allow: { to: place(['config']), dependency: { kind: 'type' } } },
            { from: place(['test']), allow: { to: place([...Object.keys(ROOMS), ...Object.keys(FILES)]) } },
          ],
        },
      ],
      'boundaries/no-unknown-files': 'error',
      'boundaries/no-unknown-dependencies': 'error',
      'import-x/no-cycle': 'error',
    },
  },
);
