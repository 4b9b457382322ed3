/** Turns a scenario file into a playable scenario, or the checker's reasons why it is not. */
import { checkScenario, hasErrors, type Diagnostic, type Scenario } from '../../engine/index';

export type Loaded = { ok: true; scenario: Scenario } | { ok: false; diagnostics: Diagnostic[] };

export function loadScenario(source: unknown): Loaded {
  // The trainers' checks (reachability, pass mark) ran when the file was written; the desk needs structure.
  const { scenario, diagnostics } = checkScenario(source, { structureOnly: true });
  if (!scenario || hasErrors(diagnostics)) return { ok: false, diagnostics: diagnostics.filter((d) => d.severity === 'error') };
  return { ok: true, scenario };
}

export function describe(diagnostic: Diagnostic): string {
  const where = diagnostic.line !== undefined ? `:${diagnostic.line}:${diagnostic.column ?? 1}` : '';
  return `${diagnostic.code}${where} ${diagnostic.path}: ${diagnostic.message}`;
}
