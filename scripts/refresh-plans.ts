/**
 * Re-records the expectations of golden test plans after an intended change to a scenario or to
 * scoring: each plan's choices are replayed and its outcome, scores and transcript written anew.
 * A plan whose choices no longer play is reported and left as it was. Read the diff before you
 * commit it: a golden plan exists to show what changed.
 *
 *   npm run plans:refresh                 every scenarios/plans/*.plans.json
 *   npm run plans:refresh -- wrong-charge  one scenario's plans
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkScenario, defaultRulebook, playSteps, planFromResult, readPlans, stepsFromChoiceList } from '../src/engine/index';

const root = join(import.meta.dirname, '..');
const wanted = new Set(process.argv.slice(2));
let failed = 0;
for (const name of readdirSync(join(root, 'scenarios/plans')).filter((f) => f.endsWith('.plans.json')).sort()) {
  const id = name.replace(/\.plans\.json$/, '');
  if (wanted.size > 0 && !wanted.has(id)) continue;
  const file = join(root, 'scenarios/plans', name);
  const plans = readPlans(JSON.parse(readFileSync(file, 'utf8')));
  const { scenario, diagnostics } = checkScenario(readFileSync(join(root, 'scenarios', `${id}.json`), 'utf8'), { rulebook: defaultRulebook(), structureOnly: true });
  if (!scenario) {
    console.error(`${id}: the scenario has errors (${diagnostics[0]?.message ?? '?'}); plans left as they were`);
    failed++;
    continue;
  }
  plans.plans = plans.plans.map((plan) => {
    const { replay, result } = playSteps(scenario, stepsFromChoiceList(plan.choices, plan.ring));
    if (!result) {
      console.error(`${id} / ${plan.name}: ${replay.problem?.message ?? 'the call does not end'}; plan left as it was`);
      failed++;
      return plan;
    }
    const fresh = planFromResult(plan.name, plan.ring, plan.choices, result, replay.context.call.transcript);
    const changed = JSON.stringify(fresh.expect) !== JSON.stringify(plan.expect);
    console.log(`${id} / ${plan.name}: ${changed ? `now ${result.outcome}, ${result.total}%, ${result.passed ? 'passes' : 'fails'}` : 'unchanged'}`);
    return fresh;
  });
  writeFileSync(file, `${JSON.stringify(plans, null, 2)}\n`);
}
process.exitCode = failed > 0 ? 1 : 0;
