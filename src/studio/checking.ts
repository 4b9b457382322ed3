/**
 * Live checking: the structure at once on every change (a few milliseconds), the whole check with
 * the play analysis and the audit in a worker once the trainer pauses. Only the newest version is
 * sent: an answer for an older one is dropped.
 */
import { checkScenario, defaultRulebook, type Diagnostic } from '../engine/index';
import type { Draft } from './doc';

export type CheckRequest = { id: number; type: 'check'; doc: Draft } | { id: number; type: 'simulate'; doc: Draft; runs: number };

export interface CheckAnswer {
  id: number;
  type: 'check' | 'simulate';
  diagnostics: Diagnostic[];
  /** The model call: the best play's choices. */
  model: { choices: string[]; outcome: string } | null;
  randomPass: { rate: number; plays: number } | null;
  simulation: { runs: number; passed: number } | null;
  failed?: string;
}

export interface CheckView {
  diagnostics: Diagnostic[];
  /** False while the whole check of the newest version is still running. */
  complete: boolean;
  model: CheckAnswer['model'];
  randomPass: CheckAnswer['randomPass'];
}

const DEBOUNCE_MS = 350;
const rulebook = defaultRulebook();

export class Checker {
  private worker: Worker | null = null;
  private version = 0;
  private busy = false;
  private pending: Draft | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private simulations = new Map<number, (answer: CheckAnswer) => void>();
  view: CheckView = { diagnostics: [], complete: true, model: null, randomPass: null };

  constructor(private readonly shown: (view: CheckView) => void) {}

  private ensureWorker(): Worker {
    if (!this.worker) {
      this.worker = new Worker(new URL('./check-worker.ts', import.meta.url), { type: 'module' });
      this.worker.onmessage = (event: MessageEvent<CheckAnswer>) => this.received(event.data);
    }
    return this.worker;
  }

  /** A new version: checked for structure now, in full after a pause. */
  changed(doc: Draft): void {
    this.version++;
    const quick = checkScenario(structuredClone(doc), { rulebook, structureOnly: true });
    this.view = { diagnostics: quick.diagnostics, complete: false, model: this.view.model, randomPass: this.view.randomPass };
    this.shown(this.view);
    if (this.timer) clearTimeout(this.timer);
    const snapshot = structuredClone(doc);
    this.timer = setTimeout(() => {
      this.pending = snapshot;
      this.flush();
    }, DEBOUNCE_MS);
  }

  private flush(): void {
    if (this.busy || !this.pending) return;
    this.busy = true;
    this.ensureWorker().postMessage({ id: this.version, type: 'check', doc: this.pending } satisfies CheckRequest);
    this.pending = null;
  }

  private received(answer: CheckAnswer): void {
    if (answer.type === 'simulate') {
      this.simulations.get(answer.id)?.(answer);
      this.simulations.delete(answer.id);
      return;
    }
    this.busy = false;
    if (answer.id === this.version && !answer.failed) {
      this.view = { diagnostics: answer.diagnostics, complete: true, model: answer.model, randomPass: answer.randomPass };
      this.shown(this.view);
    }
    this.flush();
  }

  /** Random plays of the caller as it is now. */
  simulate(doc: Draft, runs: number): Promise<CheckAnswer> {
    const id = -1 - this.simulations.size - Math.floor(Math.random() * 1e6);
    return new Promise((resolve) => {
      this.simulations.set(id, resolve);
      this.ensureWorker().postMessage({ id, type: 'simulate', doc: structuredClone(doc), runs } satisfies CheckRequest);
    });
  }
}
