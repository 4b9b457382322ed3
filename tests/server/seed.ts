/**
 * Demo data through the real API: a lead, a cohort, trainees who play each caller a few times and
 * get better (random plays early, the best path more often later). Used by the browser test and
 * for screenshots.
 */
import { randomUUID } from 'node:crypto';
import { analysisOf, playSteps, randomPlay, scenarioHash, seededRandom, stepsFromChoiceList, type Attempt } from '../../src/engine/index';
import type { Service } from '../../src/server/service';
import { addLead, call, join, login, newCohort } from './helpers';

export interface Seeded {
  cookie: string;
  cohortId: number;
  code: string;
  trainees: { id: number; name: string; token: string }[];
  attempts: Attempt[];
}

export const DEMO_TRAINEES = ['王芳 Wang Fang', 'Li Wei', '张伟', 'Chen Jing', '<img src=x onerror=alert(1)>', 'Zhao Lei'];

export async function seedDemo(service: Service, options: { lead?: string; seed?: number; callers?: number; tries?: number } = {}): Promise<Seeded> {
  const random = seededRandom(options.seed ?? 7);
  const lead = options.lead ?? 'Demo Lead';
  await addLead(service, lead);
  const cookie = await login(service, lead);
  const { id: cohortId, code } = await newCohort(service, cookie, 'November intake');
  const trainees = [];
  for (const name of DEMO_TRAINEES) trainees.push({ name, ...(await join(service, code, name)) });
  const scenarios = [...service.catalogue.current.values()].slice(0, options.callers ?? 5);
  const attempts: Attempt[] = [];
  const day0 = Date.UTC(2026, 10, 2, 1, 0, 0);
  for (const [ti, trainee] of trainees.entries()) {
    for (const entry of scenarios) {
      const analysis = analysisOf(entry.scenario);
      const tries = 1 + Math.floor(random() * (options.tries ?? 5));
      for (let k = 0; k < tries; k++) {
        const skill = (k + 1) / (tries + 1) + ti * 0.04;
        let choices = random() < skill ? (analysis.bestPath?.choices ?? []) : randomPlay(entry.scenario, analysis, random, 0.05, 0).choices;
        let steps = stepsFromChoiceList(choices);
        if (!playSteps(entry.scenario, steps).result) {
          choices = analysis.bestPath?.choices ?? [];
          steps = stepsFromChoiceList(choices);
        }
        const attempt: Attempt = {
          format: 1,
          attemptId: randomUUID(),
          scenarioId: entry.scenario.id,
          scenarioRevision: entry.scenario.revision,
          scenarioHash: scenarioHash(entry.scenario),
          startedAt: new Date(day0 + (k * 3 + ti) * 86_400_000 + Math.floor(random() * 8) * 3600_000).toISOString(),
          language: ti % 2 ? 'en' : 'zh-CN',
          steps: steps.map((s) => (s.type === 'choose' ? { ...s, ms: 800 + Math.floor(random() * 5000) } : s)) as Attempt['steps'],
        };
        const r = await call(service.app, 'POST', '/api/attempts', { body: attempt, token: trainee.token });
        if (r.status !== 201) throw new Error(`seeding failed: ${r.status} ${r.text}`);
        attempts.push(attempt);
      }
    }
  }
  return { cookie, cohortId, code, trainees, attempts };
}
