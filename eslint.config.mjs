import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { readdirSync } from 'node:fs';

/**
 * The BFF's boundaries (issue 27), from bff/src's own folders: platform/ (infrastructure) and
 * kernel/ (what several features share) stand under the features and import none of them
 * (the kernel builds on platform/ only); every other folder is a feature, and another feature
 * or the composition root (app.ts, main.ts) takes from it only through its index.ts. An import
 * that leaves its folder is written `@/<folder>` (relative paths stay inside one), so one pattern
 * per folder says what it may take. Demo data (bff/demo/) is loaded by seeding alone.
 */
function boundaries() {
  const folders = readdirSync('bff/src', { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  const leaves = (depth) => ({ regex: `^(\\.\\./){${depth}}`, message: 'an import that leaves its folder is written @/<folder> (or @shared/)' });
  const blocks = [
    {
      files: ['bff/src/*.ts'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              { regex: '^(\\./|@/)(?!platform/|kernel/)[^/]+/', message: 'take a feature through its index.ts' },
              { regex: '^\\.\\./', message: 'production code does not import bff/demo or the tests' },
            ],
          },
        ],
      },
    },
    {
      files: ['bff/demo/*.ts'],
      rules: {
        'no-restricted-imports': ['error', { patterns: [{ regex: '^(\\.\\./src/|@/)(?!platform/|kernel/)[^/]+/', message: 'demo data takes a feature through its index.ts' }] }],
      },
    },
  ];
  for (const folder of folders) {
    const taken =
      folder === 'platform'
        ? { regex: '^@/(?!platform(/|$))', message: 'platform/ imports neither the kernel nor a feature' }
        : folder === 'kernel'
          ? { regex: '^@/(?!platform(/|$)|kernel(/|$))', message: 'kernel/ may import platform/ and shared/, never a feature' }
          : { regex: `^@/(?!platform/|kernel/|${folder}(/|$))[^/]+/`, message: 'another feature is taken through its index.ts (`@/mall`, not `@/mall/stock`)' };
    for (let depth = 1; depth <= 4; depth++) {
      blocks.push({ files: [`bff/src/${folder}/${'*/'.repeat(depth - 1)}*.ts`], rules: { 'no-restricted-imports': ['error', { patterns: [taken, leaves(depth)] }] } });
    }
  }
  return blocks;
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'miniprogram/dist/**', 'console/dist/**', '.cache/**', 'reports/**', 'coverage/**', '.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['miniprogram/src/**/*.{ts,tsx}', 'console/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  // The mini-program ships to customers: it calls through their table of operations, never the whole API's (admin paths, schemas).
  {
    files: ['miniprogram/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(@shared|(\\.\\./)+shared)/api/(client|operations|all)$',
              message: "the mini-program calls through @shared/api/wire with the customers' (or managers') table of operations",
            },
          ],
        },
      ],
    },
  },
  // shared/ is the contract every side imports: it imports none of them.
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(bff|miniprogram|console|tests|bench|scripts|fake-[a-z]+)(/|$)|^@/',
              message: 'shared/ is imported by the BFF and the clients; it imports none of them',
            },
          ],
        },
      ],
    },
  },
  ...boundaries(),
  {
    // Response bodies in tests are loosely typed JSON, checked by the assertions themselves.
    files: ['tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
    languageOptions: { globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly' } },
  },
);
