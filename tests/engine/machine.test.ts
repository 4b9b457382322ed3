import { readFileSync } from 'node:fs';
import { createActor, SimulatedClock } from 'xstate';
import { describe, expect, it } from 'vitest';
import { callMachine, callPhase, scenarioSchema, type Scenario } from '../../src/engine/index';

const base = JSON.parse(readFileSync(new URL('../fixtures/sample-call.json', import.meta.url), 'utf8')) as Record<string, unknown>;
// Test fixtures are patched as loose JSON before the schema parses them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;
const load = (patch: (s: Loose) => void = () => {}): Scenario => {
  const copy = structuredClone(base) as Loose;
  patch(copy);
  return scenarioSchema.parse(copy);
};

function start(scenario: Scenario) {
  const clock = new SimulatedClock();
  const actor = createActor(callMachine, { input: { scenario, now: () => clock.now() }, clock });
  actor.start();
  return { clock, actor, snap: () => actor.getSnapshot(), phase: () => callPhase(actor.getSnapshot(), clock.now()) };
}

describe('the call machine', () => {
  it('counts rings on the clock and lets the agent answer', () => {
    const { clock, actor, snap } = start(load());
    expect(snap().matches('ringing')).toBe(true);
    expect(snap().context.call.rings).toBe(1);
    clock.increment(2500);
    expect(snap().context.call.rings).toBe(2);
    actor.send({ type: 'agent.answer' });
    expect(snap().matches({ connected: 'talking' })).toBe(true);
    expect(snap().context.node?.id).toBe('greet');
    expect(snap().context.call.kept).toContain('answer-fast');
  });

  it('ends unanswered when the caller gives up after the last ring', () => {
    const { clock, snap } = start(load());
    for (let ring = 1; ring < 8; ring++) clock.increment(2500);
    expect(snap().status).toBe('active');
    clock.increment(2500);
    expect(snap().status).toBe('done');
    expect(snap().context.call.transcript.at(-1)).toMatchObject({ kind: 'end', outcome: 'unanswered' });
  });

  it('applies the late-answer rule after the third ring', () => {
    const { clock, actor, snap } = start(load());
    for (let ring = 1; ring <= 3; ring++) clock.increment(2500);
    expect(snap().context.call.rings).toBe(4);
    actor.send({ type: 'agent.answer' });
    expect(snap().context.call.broken).toContain('answer-fast');
    expect(snap().context.call.mood).toBe(30);
    expect(snap().context.call.scores.courtesy).toBe(-2);
  });

  it('fires the reply timer: silence costs what the scenario says and the caller speaks into it', () => {
    const { clock, actor, snap, phase } = start(load());
    actor.send({ type: 'agent.answer' });
    actor.send({ type: 'agent.skip' });
    expect(phase()).toBe('awaiting');
    clock.increment(19_999);
    expect(snap().context.call.transcript.some((e) => e.kind === 'silence')).toBe(false);
    clock.increment(1);
    expect(snap().context.call.mood).toBe(35);
    expect(snap().context.call.scores.listening).toBe(-1);
    expect(snap().context.call.broken).toContain('no-dead-air');
    expect(snap().context.call.transcript.filter((e) => e.kind === 'caller').map((e) => (e as { lineId: string }).lineId)).toContain('practice.silence');
    expect(snap().context.node?.id).toBe('greet');
  });

  it('takes no reply while the caller speaks, and counts the reply time from the end of the speech', () => {
    const { clock, actor, snap, phase } = start(load());
    actor.send({ type: 'agent.answer' });
    // The greeting is the agent's: nothing to hear first.
    expect(phase()).toBe('awaiting');
    clock.increment(1000);
    actor.send({ type: 'agent.choose', choiceId: 'greet-standard' });
    // "ask" has one line of 24 characters: 4.32 s of speech, from 1 s.
    expect(snap().context.speechEndsAt).toBe(5320);
    clock.increment(4319);
    expect(phase()).toBe('speaking');
    actor.send({ type: 'agent.choose', choiceId: 'ask-confirm' });
    expect(snap().context.node?.id).toBe('ask');
    clock.increment(1);
    expect(phase()).toBe('awaiting');
    clock.increment(19_999);
    expect(snap().context.call.transcript.some((e) => e.kind === 'silence')).toBe(false);
    clock.increment(1);
    expect(snap().context.call.transcript.filter((e) => e.kind === 'silence')).toEqual([{ kind: 'silence', nodeId: 'ask', at: 25_320, moodAfter: 30 }]);
  });

  it('starts the reply time when the trainee skips the rest of the speech', () => {
    const { clock, actor, snap, phase } = start(load());
    actor.send({ type: 'agent.answer' });
    actor.send({ type: 'agent.choose', choiceId: 'greet-standard' });
    clock.increment(2000);
    actor.send({ type: 'agent.skip' });
    expect(phase()).toBe('awaiting');
    clock.increment(19_999);
    expect(snap().context.call.transcript.some((e) => e.kind === 'silence')).toBe(false);
    clock.increment(1);
    expect(snap().context.call.transcript.some((e) => e.kind === 'silence' && e.at === 22_000)).toBe(true);
  });

  it('takes one step per choice, the caller\'s speech included: the desk draws one snapshot for each', () => {
    const { clock, actor, snap } = start(load());
    actor.send({ type: 'agent.answer' });
    let snapshots = 0;
    const subscription = actor.subscribe(() => snapshots++);
    actor.send({ type: 'agent.choose', choiceId: 'greet-standard' });
    clock.increment(5000);
    actor.send({ type: 'agent.choose', choiceId: 'ask-confirm' });
    subscription.unsubscribe();
    expect(snap().context.node?.id).toBe('give-number');
    expect(snapshots).toBe(2);
  });

  it('goes to the mood-limit node when anger reaches the limit', () => {
    const { clock, actor, snap } = start(load());
    actor.send({ type: 'agent.answer' });
    for (let i = 0; i < 4; i++) {
      actor.send({ type: 'agent.skip' });
      clock.increment(20_000);
    }
    expect(snap().status).toBe('done');
    expect(snap().context.node?.id).toBe('end-hung-up');
    expect(snap().context.call.transcript.some((e) => e.kind === 'mood-limit')).toBe(true);
  });

  it('ignores a choice that is not on offer', () => {
    const { actor, snap } = start(load());
    actor.send({ type: 'agent.answer' });
    actor.send({ type: 'agent.skip' });
    actor.send({ type: 'agent.choose', choiceId: 'bye-standard' });
    expect(snap().context.node?.id).toBe('greet');
    expect(snap().context.call.transcript.some((e) => e.kind === 'agent')).toBe(false);
  });

  it('offers a choice only when its condition holds on flags and mood', () => {
    const scenario = load((s) => {
      const greet = s.nodes.find((n: { id: string }) => n.id === 'greet');
      greet.choices[0].set = ['greeted'];
      const ask = s.nodes.find((n: { id: string }) => n.id === 'ask');
      ask.choices[1].when = { flags: ['greeted'] };
      ask.choices[2].when = { moodMin: 50 };
    });
    const { actor, snap } = start(scenario);
    actor.send({ type: 'agent.answer' });
    actor.send({ type: 'agent.skip' });
    actor.send({ type: 'agent.choose', choiceId: 'greet-standard' });
    actor.send({ type: 'agent.skip' });
    expect(snap().context.call.flags).toEqual(['greeted']);
    actor.send({ type: 'agent.choose', choiceId: 'ask-rush' });
    expect(snap().context.node?.id).toBe('ask');
    actor.send({ type: 'agent.choose', choiceId: 'ask-lookup-silent' });
    expect(snap().context.node?.id).toBe('give-number');
  });

  it('holds the caller for the choice\'s hold time, then moves on', () => {
    const scenario = load((s) => {
      const ask = s.nodes.find((n: { id: string }) => n.id === 'ask');
      ask.choices[1].kind = 'hold';
      ask.choices[1].holdSeconds = 30;
    });
    const { clock, actor, snap } = start(scenario);
    actor.send({ type: 'agent.answer' });
    actor.send({ type: 'agent.skip' });
    actor.send({ type: 'agent.choose', choiceId: 'greet-standard' });
    actor.send({ type: 'agent.skip' });
    actor.send({ type: 'agent.choose', choiceId: 'ask-lookup-silent' });
    expect(snap().matches({ connected: 'onHold' })).toBe(true);
    clock.increment(29_999);
    expect(snap().matches({ connected: 'onHold' })).toBe(true);
    clock.increment(1);
    expect(snap().matches({ connected: 'onHold' })).toBe(false);
    expect(snap().context.node?.id).toBe('give-number');
    expect(snap().context.call.transcript.some((e) => e.kind === 'hold' && e.seconds === 30)).toBe(true);
  });

  it('records every line and choice with its time', () => {
    const { clock, actor, snap } = start(load());
    clock.increment(1000);
    actor.send({ type: 'agent.answer' });
    actor.send({ type: 'agent.skip' });
    clock.increment(4000);
    actor.send({ type: 'agent.choose', choiceId: 'greet-standard' });
    const agent = snap().context.call.transcript.find((e) => e.kind === 'agent');
    expect(agent).toMatchObject({ choiceId: 'greet-standard', at: 5000, moodBefore: 20, moodAfter: 15 });
    expect(snap().context.call.steps).toEqual(['greet']);
  });
});

describe('starting from another node', () => {
  it('goes to startAt after the answer, for trainers previewing part of a call', () => {
    const clock = new SimulatedClock();
    const actor = createActor(callMachine, { input: { scenario: load(), now: () => clock.now(), startAt: 'give-number' }, clock });
    actor.start();
    actor.send({ type: 'agent.answer' });
    expect(actor.getSnapshot().context.node?.id).toBe('give-number');
  });
});

describe('a silence line of its own', () => {
  it('lets a decision have the caller say something else into the silence', () => {
    const scenario = load((s) => {
      s.nodes.find((n: { id: string }) => n.id === 'greet').silenceLine = { id: 'practice.greet.silence', text: { 'zh-CN': '喂?是114吗?', en: 'Hello? Is this 114?' } };
    });
    const clock = new SimulatedClock();
    const actor = createActor(callMachine, { input: { scenario, now: () => clock.now() }, clock });
    actor.start();
    actor.send({ type: 'agent.answer' });
    actor.send({ type: 'agent.skip' });
    clock.increment(20_000);
    const said = actor.getSnapshot().context.call.transcript.flatMap((e) => (e.kind === 'caller' ? [e.lineId] : []));
    expect(said).toContain('practice.greet.silence');
    expect(said).not.toContain('practice.silence');
  });
});
