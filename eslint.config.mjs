import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

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
  // shared/ is the contract every side imports: it imports none of them.
  {
    files: ['shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '^(\\.\\./)+(bff|miniprogram|console|tests|bench|scripts|fake-[a-z]+)(/|$)|^@/', message: 'shared/ is imported by the BFF and the clients; it imports none of them' }] }] },
  },
  // The kernel (what several features share) builds on platform/ and shared/ only: features import it, never the reverse (issue 27).
  {
    files: ['bff/src/kernel/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '^\\.\\./(?!platform(/|$)|\\.\\./)', message: 'kernel/ may import platform/ and shared/, never a feature' }] }] },
  },
  {
    files: ['bff/src/kernel/*/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '^\\.\\./\\.\\./(?!platform(/|$)|\\.\\./)', message: 'kernel/ may import platform/ and shared/, never a feature' }] }] },
  },
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
