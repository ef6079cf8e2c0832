// A tiny element builder. No innerHTML (run data is text, never markup) and no style attributes (the
// webview CSP forbids inline styles; classes only).

export type Child = Node | string | number | null | undefined | false;
export type Attrs = Record<string, string | number | boolean | undefined | null>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: (Child | Child[])[]): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'number' ? String(c) : c);
  }
}

/** An element showing one number: data-metric names it, data-value holds it unformatted (for tests). */
export function metric<K extends 'td' | 'span' | 'dd'>(
  tag: K,
  key: string,
  value: number | null | undefined,
  format: (n: number | null | undefined) => string,
): HTMLElementTagNameMap[K] {
  return h(tag, { 'data-metric': key, 'data-value': value ?? '', class: 'num' }, format(value));
}

/** A chart's figure: caption, a fixed-height box for the canvas (Chart.js sizes it to its parent), a note. */
export function chartCard(
  id: string,
  title: string,
  note?: string,
): { card: HTMLElement; canvas: HTMLCanvasElement } {
  const canvas = h('canvas', { 'data-chart': id, role: 'img', 'aria-label': title });
  const card = h(
    'figure',
    { class: 'chart-card' },
    h('figcaption', null, title),
    h('div', { class: 'chart-box' }, canvas),
    note ? h('p', { class: 'muted small' }, note) : null,
  );
  return { card, canvas };
}
