import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'url', 'stream', 'worker_threads'];

/** Layering (checked, not hoped for): see STYLE.md. */
function restrict(patterns, message) {
  return { 'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }] };
}

export default tseslint.config(
  // tests/fixtures holds suite files as users write them (promptfoo transforms etc.), not our code.
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bin/**', 'tests/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Error'] > Literal[value='failed']", message: 'Throw an AppError with a code and an actionable message.' },
      ],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: restrict([...nodeBuiltins, 'electron', 'react', 'react-dom', '**/main/**', '**/renderer/**', '**/preload/**', 'better-sqlite3', 'node-llama-cpp'], 'src/shared is pure TypeScript: no platform imports.'),
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // We do not run the React Compiler, so its memoization warnings do not apply.
      'react-hooks/incompatible-library': 'off',
      ...restrict([...nodeBuiltins, 'electron', '**/main/**', '**/preload/**', 'better-sqlite3', 'node-llama-cpp', 'ws'], 'The renderer imports only shared (types) and itself.'),
    },
  },
  {
    files: ['src/main/core/**/*.ts'],
    rules: restrict(['electron', '**/shell/**', '**/ipc/**', '**/renderer/**', 'react'], 'core is plain Node: never electron, never the transports.'),
  },
  {
    files: ['src/main/ipc/**/*.ts', 'src/main/cli/**/*.ts', 'src/main/app.ts'],
    rules: restrict(['electron', '**/shell/**', '**/renderer/**'], 'Only src/main/shell imports electron.'),
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: restrict([...nodeBuiltins, '**/main/**', '**/renderer/**'], 'The preload exposes request/on only.'),
  },
);
