/**
 * The desk records what the trainee did as attempt steps; replaying them (what the CLI and the
 * server do) must give exactly the result of the call as it was played live.
 */
import { readFileSync } from 'node:fs';
import { SimulatedClock } from 'xstate';
import { describe, expect, it } from 'vitest';
import { analysisOf, checkScenario, playSteps, scoreCall, type Scenario } from '../../src/engine/index';
import { CallSession } from '../../src/game/call/session';
import { score } from '../../src/game/call/score-core';

function load(id: string): { scenario: Scenario; text: string } {
  const text = readFileSync(new URL(`../../scenarios/${id}.json`, import.meta.url), 'utf8');
  return { scenario: checkScenario(text, { structureOnly: true }).scenario as Scenario, text };
}

/** Plays live on a simulated clock: `~` waits out the reply timer, a number is ms to think. */
function playLive(scenario: Scenario, ring: number, moves: (string | '~')[], thinkMs = 1500): CallSession {
  const clock = new SimulatedClock();
  const session = new CallSession({ scenario, clock, now: () => clock.now() }).start();
  const settle = () => {
    for (let i = 0; i < 1000 && (session.phase === 'speaking' || session.phase === 'hold'); i++) clock.increment(250);
  };
  while (session.snapshot.context.call.rings < ring) clock.increment(scenario.timing.ringSeconds * 1000);
  expect(session.answer()).toBe(true);
  settle();
  for (const move of moves) {
    expect(session.phase).toBe('awaiting');
    if (move === '~') {
      clock.increment(session.replyLimitMs());
    } else {
      clock.increment(thinkMs);
      expect(session.choose(move), `${move} at ${session.snapshot.context.node?.id}`).toBe(true);
    }
    settle();
  }
  return session;
}

describe('a call played at the desk', () => {
  it('records steps whose replay scores exactly as the live call, silences and all', () => {
    const { scenario } = load('practice-call');
    const session = playLive(scenario, 2, ['~', 'greet-standard', 'ask-confirm', '~', 'number-sms', 'close-ask-more', 'bye-standard']);
    expect(session.phase).toBe('ended');
    expect(session.steps.filter((s) => s.type === 'silence')).toHaveLength(2);
    expect(session.steps[0]).toEqual({ type: 'answer', ring: 2 });
    const live = scoreCall(scenario, analysisOf(scenario), session.snapshot.context.call);
    const { result } = playSteps(scenario, session.steps);
    expect(result).not.toBeNull();
    // Only the clock readings may differ (the live call moved in coarser ticks); every score agrees.
    const timeless = (r: typeof live) => ({ ...r, durationMs: 0, choices: r.choices.map((c) => ({ ...c, at: 0 })) });
    expect(timeless(result as typeof live)).toEqual(timeless(live));
  });

  it('records a hold and a late answer the same way', () => {
    const { scenario } = load('timetable-114');
    const plans = JSON.parse(readFileSync(new URL('../../scenarios/plans/timetable-114.plans.json', import.meta.url), 'utf8')) as { plans: { name: string; choices: string[] }[] };
    const worst = plans.plans.find((p) => p.name === 'worst');
    if (!worst) throw new Error('no worst plan');
    const session = playLive(scenario, 5, worst.choices);
    expect(session.phase).toBe('ended');
    const live = scoreCall(scenario, analysisOf(scenario), session.snapshot.context.call);
    const { result } = playSteps(scenario, session.steps);
    expect(result?.outcome).toBe(live.outcome);
    expect(result?.total).toBe(live.total);
    expect(result?.broken).toContain('answer-fast');
  });

  it('refuses what is not on offer, and keeps no step for it', () => {
    const { scenario } = load('practice-call');
    const session = playLive(scenario, 1, []);
    const before = session.steps.length;
    expect(session.choose('no-such-choice')).toBe(false);
    expect(session.steps).toHaveLength(before);
  });

  it('counts a reply that the timer nearly beat as in time, so the replay agrees', () => {
    const { scenario } = load('practice-call');
    const clock = new SimulatedClock();
    const session = new CallSession({ scenario, clock, now: () => clock.now() }).start();
    session.answer();
    while (session.phase === 'speaking') clock.increment(100);
    clock.increment(session.replyLimitMs() - 1);
    expect(session.choose('greet-standard')).toBe(true);
    const step = session.steps[1];
    expect(step?.type === 'choose' && step.ms).toBeLessThan(session.replyLimitMs());
  });
});

describe('scoring at the end of the call', () => {
  it('replays the steps from the file text, as the CLI does', () => {
    const { scenario, text } = load('practice-call');
    const session = playLive(scenario, 1, ['greet-standard', 'ask-confirm', 'number-sms', 'close-ask-more', 'bye-standard']);
    const scored = score(text, { steps: session.steps, live: session.snapshot.context.call, replay: true });
    expect(scored).toMatchObject({ replayed: true, problem: null });
    expect(scored.result.total).toBe(100);
  });

  it('scores the live call when the steps cannot be replayed (a preview from the middle)', () => {
    const { scenario, text } = load('practice-call');
    const session = playLive(scenario, 1, ['greet-standard']);
    const scored = score(text, { steps: [{ type: 'choose', choiceId: 'nonsense' }], live: session.snapshot.context.call, replay: true });
    expect(scored.replayed).toBe(false);
    expect(scored.problem).toMatch(/never answered|not/);
  });

  it('in an assessment, hears the caller out: skipping does nothing', () => {
    const { scenario } = load('practice-call');
    const clock = new SimulatedClock();
    const session = new CallSession({ scenario, clock, now: () => clock.now(), mode: 'assessment', seed: 'assessment-seed-1' }).start();
    expect(session.answer()).toBe(true);
    // The greeting is the agent's: the caller has nothing to say first, and the reply is awaited at once.
    expect(session.phase).toBe('awaiting');
    clock.increment(1000);
    expect(session.choose('greet-standard')).toBe(true);
    expect(session.phase).toBe('speaking');
    expect(session.replyLeftMs()).toBeNull();
    expect(session.choose('ask-confirm')).toBe(false);
    session.skip();
    expect(session.phase).toBe('speaking');
    for (let i = 0; i < 1000 && session.phase === 'speaking'; i++) clock.increment(250);
    expect(session.phase).toBe('awaiting');
  });

  it('records the place of each choice in the order its seed shows, which the seeded replay accepts', () => {
    const { scenario } = load('practice-call');
    const clock = new SimulatedClock();
    const seed = 'position-seed-7';
    const session = new CallSession({ scenario, clock, now: () => clock.now(), seed }).start();
    expect(session.answer()).toBe(true);
    const plan = ['greet-standard', 'ask-confirm', 'number-sms', 'close-ask-more', 'bye-standard'];
    const positions: number[] = [];
    for (const choice of plan) {
      for (let i = 0; i < 1000 && session.phase !== 'awaiting'; i++) clock.increment(250);
      positions.push(session.shown().findIndex((c) => c.id === choice) + 1);
      clock.increment(1000);
      expect(session.choose(choice)).toBe(true);
    }
    const chosen = session.steps.filter((s) => s.type === 'choose');
    expect(chosen.map((s) => s.position)).toEqual(positions);
    expect(playSteps(scenario, session.steps, { seed }).result).not.toBeNull();
  });
});
