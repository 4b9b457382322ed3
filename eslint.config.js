import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'test-results/', 'coverage/', '.build/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['bin/**/*.mjs', 'scripts/**/*.mjs', '.ci/**/*.mjs', 'src/cli/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[property.name='innerHTML']", message: 'Insert text with textContent, never innerHTML.' },
        { selector: "MemberExpression[property.name='outerHTML']", message: 'Insert text with textContent, never outerHTML.' },
        { selector: "CallExpression[callee.property.name='insertAdjacentHTML']", message: 'Insert text with textContent, never insertAdjacentHTML.' },
      ],
    },
  },
  {
    // The engine runs unchanged in the browser, Node and tests: no Phaser, Howler or DOM.
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['phaser', 'phaser/*', 'howler', 'node:*', 'fs', 'path'], message: 'The engine must not depend on Phaser, Howler or Node built-ins.' },
            { group: ['../game/*', '../audio/*', '../server/*', '../cli/*', '../dashboard/*'], message: 'The engine must not import its adapters.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'localStorage', 'navigator', 'indexedDB', 'fetch'],
    },
  },
);
