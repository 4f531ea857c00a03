/** The building blocks of `report.html`'s sections: a table with column floors, a headline card, a chart figure. */
import { escapeHtml as h } from '../format/escape.ts';
import { int } from '../format/figures.ts';

export interface Col<T> {
  head: string;
  cell: (r: T) => string;
  /** n: number (right-aligned), x: remote text (monospace, wraps), w: no wrap (times) */
  cls?: 'n' | 'x' | 'w';
}

/**
 * Narrowest a column may get, px, by kind (a cell wraps inside it and never goes below): remote texts
 * stay readable lines, not a letter per line. `data-floor` carries it for the browser test.
 */
export const COLUMN_FLOOR_PX = { x: 300, n: 48, w: 84, t: 110 } as const;

/** A long list shown as its first rows: the total and where the whole list is. */
export interface More {
  total: number;
  /** file name of the full list, beside the report */
  csv?: string;
  /** full page width (always for a table with a remote-text column) */
  wide?: boolean;
}

export function table<T>(title: string, rows: T[], cols: Col<T>[], id: string, more?: More): string {
  const floor = (c: Col<T>) => COLUMN_FLOOR_PX[c.cls ?? 't'];
  const body =
    rows.length === 0
      ? '<p class="none">none</p>'
      : `<table><thead><tr>${cols.map((c) => `<th${c.cls === 'n' ? ' class="n"' : ''}>${h(c.head)}</th>`).join('')}</tr></thead><tbody>${rows
          .map(
            (r) =>
              `<tr>${cols
                .map(
                  (c) =>
                    `<td${c.cls ? ` class="${c.cls}"` : ''} data-floor="${floor(c)}"><div class="f" style="--floor:${floor(c)}px">${c.cell(r)}</div></td>`,
                )
                .join('')}</tr>`,
          )
          .join('')}</tbody></table>`;
  const tail =
    more && more.total > rows.length
      ? `<p class="more">first ${int(rows.length)} of ${int(more.total)}${more.csv ? ` · all in <a href="${h(more.csv)}">${h(more.csv)}</a>` : ''}</p>`
      : '';
  // a table with a remote-text column takes the full width: its text gets room to read as lines
  const wide = more?.wide || cols.some((c) => c.cls === 'x');
  return `<section class="t${wide ? ' wide' : ''}" id="${id}"><h3>${h(title)}</h3>${body}${tail}</section>`;
}

export function card(k: string, v: string, tone = ''): string {
  return `<div class="card ${tone}"><div class="v">${v}</div><div class="k">${h(k)}</div></div>`;
}

/** Non-zero values of a chart's series: `data-points` tells a reader (the browser test) it drew something. */
export function nonZero(...series: readonly (readonly number[])[]): number {
  let n = 0;
  for (const xs of series) for (const x of xs) if (x !== 0) n++;
  return n;
}

export function figure(id: string, svg: string, caption: string, points: number): string {
  return `<figure class="chart" id="${id}" data-points="${points}">${svg}<figcaption>${h(caption)}</figcaption></figure>`;
}
