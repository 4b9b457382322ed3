import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { publishedSchemas } from '../../src/engine/format/json-schema';

describe('the published JSON Schemas', () => {
  for (const [file, schema] of Object.entries(publishedSchemas())) {
    it(`${file} matches the zod definitions (run "npm run schema" after changing them)`, () => {
      const committed = JSON.parse(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8')) as unknown;
      expect(committed).toEqual(JSON.parse(JSON.stringify(schema)));
    });
  }

  it('lets an editor complete the fields of a choice', () => {
    const schema = publishedSchemas()['scenarios/scenario.schema.json'] as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['formatVersion', 'caller', 'timing', 'nodes', 'passMark']));
    expect(JSON.stringify(schema)).toContain('"holdSeconds"');
  });
});
