/** The JSON Schemas editors use, generated from the zod definitions (never edited by hand). */
import { z } from 'zod';
import { dimensionSchema, ruleSchema, stockPhrasesSchema } from './rulebook';
import { scenarioSchema } from './schema';

export function publishedSchemas(): Record<string, unknown> {
  const options = { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' } as const;
  return {
    'scenarios/scenario.schema.json': z.toJSONSchema(scenarioSchema, options),
    'scenarios/rulebook/rules.schema.json': z.toJSONSchema(z.object({ $schema: z.string().optional(), rules: z.array(ruleSchema), stockPhrases: stockPhrasesSchema.optional() }).strict(), options),
    'scenarios/rulebook/dimensions.schema.json': z.toJSONSchema(z.object({ $schema: z.string().optional(), dimensions: z.array(dimensionSchema) }).strict(), options),
  };
}
