/**
 * Which sets of options each decision can put on screen at once: every state a call can reach
 * (node, mood, flags; answered on time or late, any choice or a silence at every decision) walked
 * with the engine's own step functions, and for each decision the offered sets that no other
 * offered set there contains. A layout test shows exactly these, so it sees every option in the
 * company it can really appear in.
 */
import { answer, initialState, moveOnChoice, moveOnSilence, nodeIndex, offeredChoices, route } from '../../../src/engine/call/logic';
import type { Scenario } from '../../../src/engine/format/schema';

export interface Offer {
  node: string;
  /** Choice ids in the file's order. */
  choices: string[];
}

export function reachableOffers(scenario: Scenario, stateLimit = 200_000): Offer[] {
  const index = nodeIndex(scenario);
  const seen = new Set<string>();
  const sets = new Map<string, Map<string, string[]>>();
  const stack: { nodeId: string; mood: number; flags: string[] }[] = [];
  const push = (nodeId: string, mood: number, flags: readonly string[]) => {
    const stop = route(index, { mood, flags: [...flags] }, nodeId).stop;
    if (!stop || stop.kind !== 'decision') return;
    const sorted = [...new Set(flags)].sort();
    const key = `${stop.id}|${mood}|${sorted.join(',')}`;
    if (seen.has(key)) return;
    seen.add(key);
    stack.push({ nodeId: stop.id, mood, flags: sorted });
  };
  const start = initialState(scenario);
  for (const ring of [1, scenario.timing.answerWithinRings + 1]) {
    const answered = answer(scenario, start, ring, 0);
    push(scenario.start, answered.mood, answered.flags);
  }
  while (stack.length > 0) {
    if (seen.size > stateLimit) throw new Error(`${scenario.id}: more than ${stateLimit} states`);
    const state = stack.pop() as { nodeId: string; mood: number; flags: string[] };
    const node = index.get(state.nodeId);
    if (node?.kind !== 'decision') continue;
    const offered = offeredChoices(node, state);
    const ids = offered.map((c) => c.id);
    const byNode = sets.get(node.id) ?? new Map<string, string[]>();
    byNode.set(ids.join('|'), ids);
    sets.set(node.id, byNode);
    for (const choice of offered) {
      const move = moveOnChoice(scenario, state, choice);
      push(move.next, move.mood, move.flags);
    }
    const quiet = moveOnSilence(scenario, state, node);
    push(quiet.next, quiet.mood, quiet.flags);
  }
  const offers: Offer[] = [];
  for (const [node, byNode] of sets) {
    const all = [...byNode.values()];
    const maximal = all.filter((set) => !all.some((other) => other !== set && other.length > set.length && set.every((id) => other.includes(id))));
    for (const choices of maximal) offers.push({ node, choices });
  }
  return offers;
}
