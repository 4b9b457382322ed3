/** The rulebook (PRODUCT.md) and the rubric dimensions, kept as data in scenarios/rulebook/. */
import { z } from 'zod';
import { localisedSchema } from './schema';

export const dimensionSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z-]*$/),
    name: localisedSchema,
    description: localisedSchema,
  })
  .strict();
export type Dimension = z.infer<typeof dimensionSchema>;

export const ruleSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z-]*$/),
    dimension: z.string(),
    text: localisedSchema,
    sources: z.array(z.string().regex(/^\d{3}_[0-9a-f]+\.txt$/)).min(1).meta({ description: 'The training documents the rule comes from' }),
  })
  .strict();
export type Rule = z.infer<typeof ruleSchema>;

export const rulebookSchema = z
  .object({
    $schema: z.string().optional(),
    dimensions: z.array(dimensionSchema).min(1),
    rules: z.array(ruleSchema).min(1),
  })
  .strict();
export type Rulebook = z.infer<typeof rulebookSchema>;

/** Parses a rulebook and checks that every rule names a known dimension. */
export function parseRulebook(input: unknown): Rulebook {
  const rulebook = rulebookSchema.parse(input);
  const dimensionIds = new Set(rulebook.dimensions.map((d) => d.id));
  for (const rule of rulebook.rules) {
    if (!dimensionIds.has(rule.dimension)) {
      throw new Error(`rule "${rule.id}" names unknown dimension "${rule.dimension}"`);
    }
  }
  return rulebook;
}
