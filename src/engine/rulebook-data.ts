/** The rulebook that ships with the product, read from scenarios/rulebook/ at build time. */
import dimensions from '../../scenarios/rulebook/dimensions.json';
import rules from '../../scenarios/rulebook/rules.json';
import { parseRulebook, type Rulebook } from './format/rulebook';

let cached: Rulebook | null = null;

export function defaultRulebook(): Rulebook {
  cached ??= parseRulebook({ dimensions: dimensions.dimensions, rules: rules.rules, stockPhrases: rules.stockPhrases });
  return cached;
}
