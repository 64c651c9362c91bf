import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/** Folder boundaries of DESIGN.md, enforced: each entry says what a folder must never import. */
const boundary = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
})

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bin/**', 'scripts/**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Tests, configs and scripts cross every boundary; the src folders below narrow this.
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/consistent-type-definitions': ['error', 'type'],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'no-restricted-globals': [
        'error',
        ...['process', 'Buffer', 'global', '__dirname', 'require'].map((name) => ({
          name,
          message: 'The renderer is a sandboxed page: Node is reached only through the API contract.',
        })),
      ],
      ...reactHooks.configs.recommended.rules,
      ...boundary(
        ['**/main/**', 'electron', 'node:*'],
        'The renderer reaches the main side only through the API contract.',
      ),
    },
  },
  {
    // No `window`, `process` or `Buffer`: the domain runs unchanged in the page, in Node and in tests.
    files: ['src/shared/**/*.ts'],
    languageOptions: { globals: { ...globals.es2021 } },
    rules: {
      // typescript-eslint turns no-undef off (the compiler checks names), so name the Node and DOM globals.
      'no-restricted-globals': [
        'error',
        ...[
          'window',
          'document',
          'navigator',
          'localStorage',
          'process',
          'Buffer',
          'global',
          '__dirname',
          'require',
        ].map((name) => ({
          name,
          message: 'src/shared is pure domain: it runs unchanged in the page, in Node and in tests.',
        })),
      ],
      ...boundary(
        ['electron', 'node:*', '**/main/**', '**/renderer/**', '**/preload/**'],
        'src/shared is pure domain: no Electron, no Node I/O, no UI.',
      ),
    },
  },
  {
    files: ['src/main/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/electron/**', 'src/main/index.ts', 'src/main/services/**', 'src/main/cli/**'],
    rules: boundary(
      ['electron', '**/renderer/**'],
      'Only src/main/electron may import Electron; main never imports the UI.',
    ),
  },
  {
    files: ['src/main/services/**/*.ts'],
    rules: boundary(
      ['electron', '**/renderer/**', '**/hosts/**', '**/backend/**', '**/cli/**', '**/electron/**'],
      'Services are called by the hosts, the backend and the CLI; they never call them back.',
    ),
  },
  {
    files: ['src/main/cli/**/*.ts'],
    rules: boundary(
      ['electron', '**/renderer/**', '**/store/**'],
      'The CLI works through the services, as the hosts do; only they touch the store.',
    ),
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: boundary(['**/main/**', '**/renderer/**', 'node:*'], 'The preload exposes the contract and nothing else.'),
  },
)
