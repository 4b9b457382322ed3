/**
 * Options in the order each attempt's seed draws, in Chromium on the production build: two
 * attempts at one caller show the options in different orders, a number key picks the option
 * shown at that place, the stored attempt (format 2: seed, positions) replays on the server to
 * the debrief's result, and an assessment call keeps its options until the caller has finished,
 * cannot be skipped and debriefs without the model call.
 */
import { readFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Attempt } from '../../src/engine/index';
import type { Service } from '../../src/server/service';
import { addLead, call as request, join, login, newCohort, testService } from '../server/helpers';
import { ROOT, serveStatic, type StaticServer } from './support/build';
import { debriefView, openDesk, playCall, shoot, tap, waitForCall, waitForScene, type Desk } from './support/desk';

function plan(id: string, name: string): { ring: number; choices: string[] } {
  const file = JSON.parse(readFileSync(joinPath(ROOT, 'scenarios', 'plans', `${id}.plans.json`), 'utf8')) as { plans: { name: string; ring: number; choices: string[] }[] };
  const found = file.plans.find((p) => p.name === name);
  if (!found) throw new Error(`no plan ${name} for ${id}`);
  return found;
}

type Stored = { records: { attempt: Attempt | null; summary: { outcome: string; passed: boolean; total: number; dimensions: Record<string, number> } }[] };
const storedAttempts = (desk: Desk) => desk.page.evaluate(() => JSON.parse(localStorage.getItem('hold-the-line.attempts') ?? 'null') as Stored | null);

/** Plays the plan by number keys; returns the options as shown at each decision. */
async function playByNumber(desk: Desk, ring: number, choices: readonly string[]): Promise<string[][]> {
  const shown: string[][] = [];
  await playCall(desk.page, ring, choices.map((choice) => ({ choice, by: 'number' as const })), {
    onDecision: async (_n, call) => {
      shown.push([...call.offered]);
    },
  });
  return shown;
}

let server: StaticServer;
let desk: Desk | null = null;
let service: Service | null = null;

beforeAll(async () => {
  server = await serveStatic(inject('deskDist'));
});

afterAll(async () => {
  await server?.close();
  await service?.close();
});

afterEach(async () => {
  const errors = desk?.errors ?? [];
  await desk?.close();
  desk = null;
  expect(errors, 'console errors').toEqual([]);
});

describe('options in the order the seed draws', () => {
  it('shows two attempts at one caller in different orders; a number key picks the option shown at that place; the server replays the stored attempt to the same result', { timeout: 240_000 }, async () => {
    desk = await openDesk(server.url);
    const { ring, choices } = plan('practice-call', 'best');
    await tap(desk.page, 'card:practice-call');
    await waitForScene(desk.page, 'Call');
    const first = await playByNumber(desk, ring, choices);
    await waitForScene(desk.page, 'Debrief', 30_000);
    const firstDebrief = await debriefView(desk.page);
    await desk.page.waitForTimeout(600);
    await shoot(desk.page, '40-debrief-shown-order');
    await tap(desk.page, 'retry');
    await waitForScene(desk.page, 'Call');
    const second = await playByNumber(desk, ring, choices);
    await waitForScene(desk.page, 'Debrief', 30_000);
    const secondDebrief = await debriefView(desk.page);

    // Every decision showed the same options; the seeds put them in other orders.
    expect(first.map((o) => [...o].sort())).toEqual(second.map((o) => [...o].sort()));
    expect(first).not.toEqual(second);

    const stored = (await storedAttempts(desk))?.records ?? [];
    const attempts = stored.map((r) => r.attempt).filter((a): a is Attempt => a !== null);
    expect(attempts).toHaveLength(2);
    // Newest first: the second attempt, then the first.
    const [secondAttempt, firstAttempt] = attempts as [Attempt, Attempt];
    for (const [attempt, shown] of [[firstAttempt, first], [secondAttempt, second]] as const) {
      expect(attempt.format).toBe(2);
      if (attempt.format !== 2) continue;
      expect(attempt.seed).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
      expect(attempt.mode).toBe('practice');
      const chosen = attempt.steps.filter((s) => s.type === 'choose');
      // The key pressed was the option's place in the list shown, and the attempt says so.
      expect(chosen.map((s) => s.choiceId)).toEqual(choices);
      expect(chosen.map((s) => s.position)).toEqual(choices.map((c, i) => (shown[i] ?? []).indexOf(c) + 1));
    }
    expect(firstAttempt.format === 2 && secondAttempt.format === 2 && firstAttempt.seed !== secondAttempt.seed).toBe(true);
    // The debrief showed each step's options as seen and the place chosen.
    expect(secondDebrief?.shown?.map((s) => s.shown)).toEqual(second);

    // The server replays each stored attempt with its seed and reaches the debrief's result.
    service = await testService({ limits: { login: { burst: 100, perSecond: 100 }, join: { burst: 100, perSecond: 100 }, submit: { burst: 100, perSecond: 100 } } });
    await addLead(service, 'Lead');
    const cookie = await login(service, 'Lead');
    const cohort = await newCohort(service, cookie, 'Desk e2e');
    const { token } = await join(service, cohort.code, 'Trainee');
    for (const [attempt, debrief] of [[firstAttempt, firstDebrief], [secondAttempt, secondDebrief]] as const) {
      const answer = await request(service.app, 'POST', '/api/attempts', { body: attempt, token });
      expect(answer.status, answer.text).toBe(201);
      expect(answer.json.result).toEqual({ outcome: debrief?.outcome, passed: debrief?.passed, total: debrief?.total, dimensions: debrief?.dimensions });
    }
    // A position that does not match the seed's order is refused by the replay.
    if (secondAttempt.format === 2) {
      const steps = secondAttempt.steps.map((s) => (s.type === 'choose' && s.position !== undefined ? { ...s, position: (s.position % 3) + 1 } : s));
      const forged = await request(service.app, 'POST', '/api/attempts', { body: { ...secondAttempt, attemptId: crypto.randomUUID(), steps }, token });
      expect(forged.status).toBeGreaterThanOrEqual(400);
      expect(forged.text).toMatch(/position/);
    }
  });

  it('in an assessment: a badge, no options while the caller speaks, no skipping, and a debrief without the model call', { timeout: 240_000 }, async () => {
    desk = await openDesk(server.url);
    await tap(desk.page, 'card:practice-call');
    await waitForScene(desk.page, 'Call');
    await desk.page.waitForFunction(() => (window as unknown as { __holdTheLine: { drive: unknown } }).__holdTheLine.drive !== null);
    await desk.page.evaluate(() => (window as unknown as { __holdTheLine: { drive: { startCall(o: object): Promise<void> } } }).__holdTheLine.drive.startCall({ scenarioId: 'practice-call', language: 'en', mode: 'assessment', ringing: true }));
    const ringing = await waitForCall(desk.page, (c) => c.phase === 'ringing');
    expect(ringing.mode).toBe('assessment');
    const targets = await desk.page.evaluate(() => (window as unknown as { __holdTheLine: { targets(): Record<string, unknown> } }).__holdTheLine.targets());
    expect(targets['assessment'], 'the assessment badge').toBeTruthy();
    await desk.page.keyboard.press('Enter');
    const { choices } = plan('practice-call', 'best');
    let checkedSpeech = false;
    for (const choice of choices) {
      const call = await waitForCall(desk.page, (c) => c.phase === 'awaiting' && c.offered.length > 0, 60_000);
      expect(call.offered).toContain(choice);
      await desk.page.keyboard.press(String(call.offered.indexOf(choice) + 1));
      const next = await waitForCall(desk.page, (c) => c.phase !== 'awaiting' || c.nodeId !== call.nodeId);
      if (!checkedSpeech && next.phase === 'speaking') {
        checkedSpeech = true;
        expect(next.offered, 'no options while the caller speaks').toEqual([]);
        // No skip button while the caller speaks (Space does nothing either: tests/game/session.test.ts).
        const duringSpeech = await desk.page.evaluate(() => (window as unknown as { __holdTheLine: { targets(): Record<string, unknown> } }).__holdTheLine.targets());
        expect(duringSpeech['skip'], 'a skip button in an assessment').toBeUndefined();
        await shoot(desk.page, '41-assessment-speaking');
      }
    }
    expect(checkedSpeech, 'the caller spoke between two decisions').toBe(true);
    await waitForScene(desk.page, 'Debrief', 60_000);
    const debrief = await debriefView(desk.page);
    expect(debrief?.mode).toBe('assessment');
    expect(debrief?.modelCallShown).toBe(false);
    expect(debrief?.choices).toEqual(choices);
    await desk.page.waitForTimeout(600);
    await shoot(desk.page, '42-assessment-debrief');
    const stored = (await storedAttempts(desk))?.records[0]?.attempt;
    expect(stored?.format === 2 && stored.mode).toBe('assessment');
  });
});
