/**
 * Everything a call needs from the engine, in one chunk the menu fetches when a caller is picked:
 * the start-up page carries Phaser and the menu, not the checker, the machine or the rulebook.
 */
export { loadScenario, describe, type Loaded } from './load';
export { CallSession, type CallSnapshot } from './session';
export { createScorer, type Scorer, type Scored } from './scoring';
export { defaultRulebook } from '../../engine/rulebook-data';
export { analysisOf } from '../../engine/index';
export { newSeed, optionOrder } from '../../engine/call/variation';
