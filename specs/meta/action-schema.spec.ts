import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { tempDir } from '../setup/temp.js';

// action.yml and every example workflow against SchemaStore's published schemas for GitHub
// actions and workflows (vendored in specs/fixtures/schemastore/, never fetched), and the examples'
// `with:` against the action's own inputs.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCHEMAS = join(ROOT, 'specs/fixtures/schemastore');
const EXAMPLES = join(ROOT, 'examples');

// strict: false — SchemaStore's schemas use keywords Ajv's strict mode refuses (`$comment` beside
// `$ref`, unknown formats); validation itself is the same.
const ajv = new Ajv({ strict: false, allErrors: true });
const compile = (file: string): ValidateFunction => ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')) as object);
const actionSchema = compile('github-action.json');
const workflowSchema = compile('github-workflow.json');

const errorsOf = (validate: ValidateFunction, text: string): string[] =>
  validate(parse(text)) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);

const action = readFileSync(join(ROOT, 'action.yml'), 'utf8');
const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yml'));

describe('the GitHub Action', () => {
  it('action.yml is a valid action by SchemaStore', () => {
    expect(errorsOf(actionSchema, action)).toEqual([]);
  });

  it('a planted error in a copy of action.yml fails the validation', () => {
    const copy = join(tempDir('wg-e2e-action-'), 'action.yml');
    // A composite step that runs a script must name its shell.
    writeFileSync(copy, action.replace(/\n {6}shell: bash\n( {6}working-directory: .*\n)? {6}run: npm ci/, '\n$1      run: npm ci'));
    expect(readFileSync(copy, 'utf8')).not.toEqual(action);
    expect(errorsOf(actionSchema, readFileSync(copy, 'utf8')).join('\n')).toMatch(/^\/runs\/steps\/1 must match exactly one schema/m);
    // And a misspelt top-level key.
    expect(errorsOf(actionSchema, action.replace(/^inputs:/m, 'input:'))).not.toEqual([]);
  });

  it('uses only the inputs it declares', () => {
    const declared = Object.keys((parse(action) as { inputs: Record<string, unknown> }).inputs);
    const used = [...new Set([...action.matchAll(/inputs\.([\w-]+)/g)].map((m) => m[1]))];
    expect(used.filter((name) => !declared.includes(name as string))).toEqual([]);
    expect(used.length).toBeGreaterThan(5);
  });
});

describe('the example workflows', () => {
  it('are there', () => {
    expect(examples).toEqual(expect.arrayContaining(['wg-smoke.yml', 'wg-matrix.yml']));
  });

  it.each(examples)('%s is a valid workflow by SchemaStore', (file) => {
    expect(errorsOf(workflowSchema, readFileSync(join(EXAMPLES, file), 'utf8'))).toEqual([]);
  });

  it('a planted error in a workflow fails the validation', () => {
    const text = readFileSync(join(EXAMPLES, 'wg-smoke.yml'), 'utf8');
    expect(errorsOf(workflowSchema, text.replace('runs-on: ubuntu-latest', 'runs_on: ubuntu-latest'))).not.toEqual([]);
  });

  it.each(examples)('%s gives the action only inputs it has, and uses it as `uses: …/wg-tui-e2e@v1`', (file) => {
    const declared = Object.keys((parse(action) as { inputs: Record<string, unknown> }).inputs);
    const workflow = parse(readFileSync(join(EXAMPLES, file), 'utf8')) as { jobs: Record<string, { steps: Array<{ uses?: string; with?: object }> }> };
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps.filter((s) => s.uses?.endsWith('/wg-tui-e2e@v1')));
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) expect(Object.keys(step.with ?? {}).filter((k) => !declared.includes(k))).toEqual([]);
  });
});
