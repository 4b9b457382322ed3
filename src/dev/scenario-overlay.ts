/**
 * In the dev server only: lists the checker's diagnostics for any scenario file with a problem, over
 * the game, so a trainer who saves a broken file sees what is wrong and where instead of a blank page.
 * Saving the file again reloads the page.
 */
import type { Diagnostic } from '../engine/check/diagnostics';

interface FileProblems {
  file: string;
  diagnostics: Diagnostic[];
}

export async function showScenarioProblems(): Promise<void> {
  let problems: FileProblems[];
  try {
    const response = await fetch('/__trainer/diagnostics');
    problems = (await response.json()) as FileProblems[];
  } catch {
    return;
  }
  const errors = problems.filter((p) => p.diagnostics.some((d) => d.severity === 'error'));
  if (errors.length === 0) return;
  const panel = document.createElement('section');
  panel.id = 'scenario-problems';
  panel.setAttribute('role', 'alert');
  Object.assign(panel.style, {
    position: 'fixed', left: '16px', right: '16px', top: '16px', maxHeight: '60vh', overflow: 'auto', zIndex: '20',
    background: '#fff8f7', color: '#3b1110', border: '2px solid #b3261e', borderRadius: '8px', padding: '12px 16px',
    font: '15px/1.45 system-ui, "Noto Sans CJK SC", sans-serif', boxShadow: '0 8px 30px rgba(0,0,0,.4)',
  });
  const title = document.createElement('h2');
  title.textContent = 'A scenario file has problems: fix it and save, and the page reloads.';
  title.style.margin = '0 0 8px';
  title.style.fontSize = '17px';
  panel.append(title);
  for (const { file, diagnostics } of errors) {
    const list = document.createElement('ul');
    list.style.margin = '0 0 8px';
    for (const d of diagnostics) {
      const item = document.createElement('li');
      const where = document.createElement('code');
      where.textContent = `${file}:${d.line ?? 1}:${d.column ?? 1}  ${d.code}  ${d.path}`;
      const text = document.createElement('div');
      text.textContent = `${d.severity}: ${d.message}. Hint: ${d.hint}`;
      item.append(where, text);
      list.append(item);
    }
    panel.append(list);
  }
  const close = document.createElement('button');
  close.type = 'button';
  close.textContent = 'Hide';
  close.addEventListener('click', () => panel.remove());
  panel.append(close);
  document.body.append(panel);
}
