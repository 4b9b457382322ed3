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
    critical: z.boolean().optional().meta({ description: 'A cardinal rule: a call that breaks it fails, whatever its points' }),
  })
  .strict();
export type Rule = z.infer<typeof ruleSchema>;

/** The rulebook's stock phrases per language: what the guessability audit counts in an option. */
export const stockPhrasesSchema = z
  .object({ 'zh-CN': z.array(z.string().min(1)), en: z.array(z.string().min(1)) })
  .strict()
  .meta({ description: 'Stock phrases of the rulebook per language; the guessability audit counts them in each option' });
export type StockPhrases = z.infer<typeof stockPhrasesSchema>;

export const rulebookSchema = z
  .object({
    $schema: z.string().optional(),
    dimensions: z.array(dimensionSchema).min(1),
    rules: z.array(ruleSchema).min(1),
    stockPhrases: stockPhrasesSchema.optional(),
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

/** The ids of the rules whose breach fails a call. */
export function criticalRules(rulebook: Rulebook): Set<string> {
  return new Set(rulebook.rules.filter((r) => r.critical === true).map((r) => r.id));
}
