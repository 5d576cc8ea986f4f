// ESLint: typescript-eslint's type-checked recommendations over the TypeScript sources, specs and
// benches. The few rules turned down say why; everything else is the preset as published.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'snapshots/**', 'specs/fixtures/**', 'bin/**', '**/*.mjs', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // `_`-prefixed parameters are there for a signature (a callback's position), not forgotten.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Template literals print numbers and booleans on purpose (durations, counts, flags).
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true, allowNullish: true }],
      // A terminal harness matches escape sequences and control bytes on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    // Specs assert on loosely typed JSON (run.json, traffic logs) and on thrown values.
    files: ['specs/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Stubs fill async slots of the real interfaces (writeScreen, readTranscript) with no work to await.
      '@typescript-eslint/require-await': 'off',
    },
  },
);
