/**
 * Every chart of the dashboard is also a real table (a caption, column and row headers) that a
 * screen reader reads and a lead downloads as CSV. A column says how a row shows in the table and
 * what it is in the CSV.
 */
import { toCsv } from '../server/csv';
import { h, type Child } from './dom';

export interface Column<R> {
  label: string;
  /** What the cell shows. */
  cell: (row: R) => Child | Child[];
  /** The CSV value (plain: numbers unformatted, texts whole). */
  csv: (row: R) => string | number | null;
  /** The row's header cell (th scope=row). */
  rowHeader?: boolean;
  numeric?: boolean;
  /** In the CSV only (the table already says it another way). */
  csvOnly?: boolean;
}

function cellOf<R>(column: Column<R>, row: R): HTMLTableCellElement {
  const content = column.cell(row);
  const children = Array.isArray(content) ? content : [content];
  const attrs = { class: column.numeric ? 'num' : null };
  return column.rowHeader ? h('th', { ...attrs, scope: 'row' }, ...children) : h('td', attrs, ...children);
}

export function dataTable<R>(caption: string, all: readonly Column<R>[], rows: readonly R[], className = 'figures'): HTMLTableElement {
  const columns = all.filter((c) => !c.csvOnly);
  return h(
    'table',
    { class: className },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', { scope: 'col', class: c.numeric ? 'num' : null }, c.label)))),
    h('tbody', {}, ...rows.map((row) => h('tr', {}, ...columns.map((c) => cellOf(c, row))))),
  );
}

/** Starts a download of `text` as a file (a blob the browser saves; nothing leaves the page). */
export function download(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = h('a', { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function csvOf<R>(columns: readonly Column<R>[], rows: readonly R[]): string {
  return toCsv(
    columns.map((c) => c.label),
    rows.map((row) => columns.map((c) => c.csv(row))),
  );
}

/** A button that downloads the table's rows as CSV. */
export function csvButton<R>(label: string, filename: string, columns: readonly Column<R>[], rows: () => readonly R[]): HTMLButtonElement {
  return h('button', { type: 'button', class: 'csv', onclick: () => download(filename, csvOf(columns, rows())) }, label);
}

/** A share as a bar and a percentage, for a table cell (the bar is decoration: the number is the value). */
export function shareBar(share: number, text: string, colour = 'var(--accent)'): Child[] {
  const width = Math.max(0, Math.min(100, share * 100));
  return [h('span', { class: 'share-bar', 'aria-hidden': 'true' }, h('span', { style: `width:${width.toFixed(1)}%;background:${colour}` })), h('span', { class: 'share-value' }, text)];
}
