// Theme colours for canvases, which cannot use CSS variables directly. VS Code sets --vscode-* on <html>;
// the standalone report has none, so fallbacks follow the body class or the OS colour scheme.

export type ColorKey = 'red' | 'blue' | 'yellow' | 'orange' | 'green' | 'purple' | 'muted';

export interface Theme {
  dark: boolean;
  /** High Contrast (dark or light): thicker lines, no translucent fills. */
  highContrast: boolean;
  colors: Record<ColorKey, string>;
  foreground: string;
  background: string;
  grid: string;
}

const fallbacks = {
  dark: {
    red: '#f14c4c',
    blue: '#3794ff',
    yellow: '#cca700',
    orange: '#d18616',
    green: '#89d185',
    purple: '#b180d7',
    foreground: '#cccccc',
    background: '#1e1e1e',
    border: '#454545',
  },
  light: {
    red: '#e51400',
    blue: '#1a85ff',
    yellow: '#bf8803',
    orange: '#d18616',
    green: '#388a34',
    purple: '#652d90',
    foreground: '#616161',
    background: '#ffffff',
    border: '#d4d4d4',
  },
};

/** The theme kind VS Code puts on <body>; without one (the standalone report) the OS colour scheme. */
function themeKind(): 'light' | 'dark' | 'hc-dark' | 'hc-light' {
  const c = document.body?.classList;
  if (c?.contains('vscode-high-contrast-light')) return 'hc-light';
  if (c?.contains('vscode-high-contrast')) return 'hc-dark';
  if (c?.contains('vscode-light')) return 'light';
  if (c?.contains('vscode-dark')) return 'dark';
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches
    ? 'dark'
    : 'light';
}

type Rgba = [number, number, number, number];

/** Parses #rgb, #rgba, #rrggbb, #rrggbbaa, rgb() and rgba(); null for anything else (named colours). */
export function parseColor(color: string): Rgba | null {
  const c = color.trim();
  const hex = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(c);
  if (hex) {
    let h = hex[1]!;
    if (h.length <= 4) h = [...h].map((x) => x + x).join('');
    const n = (i: number) => parseInt(h.slice(i, i + 2), 16);
    return [n(0), n(2), n(4), h.length === 8 ? n(6) / 255 : 1];
  }
  const rgb = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+)(%?))?\s*\)$/i.exec(c);
  if (rgb) {
    const a = rgb[4] === undefined ? 1 : Number(rgb[4]) / (rgb[5] ? 100 : 1);
    return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3]), Math.min(1, Math.max(0, a))];
  }
  return null;
}

const hex2 = (v: number) =>
  Math.round(Math.min(255, Math.max(0, v)))
    .toString(16)
    .padStart(2, '0');

/**
 * An opaque colour: a translucent one is blended onto the background. Dark/Light Modern define
 * --vscode-charts-orange as rgba(234, 92, 0, 0.33), which drew p95 at a third of its strength.
 */
export function solidColor(color: string, background: string): string {
  const fg = parseColor(color);
  if (!fg) return color;
  const bg = parseColor(background) ?? [255, 255, 255, 1];
  const [r, g, b, a] = fg;
  const mix = (f: number, k: number) => f * a + k * (1 - a);
  return `#${hex2(mix(r, bg[0]))}${hex2(mix(g, bg[1]))}${hex2(mix(b, bg[2]))}`;
}

/** The colour at full opacity (alpha dropped); named colours are returned as they are. */
export function opaqueColor(color: string): string {
  const c = parseColor(color);
  return c ? `#${hex2(c[0])}${hex2(c[1])}${hex2(c[2])}` : color;
}

export function readTheme(): Theme {
  const kind = themeKind();
  const dark = kind === 'dark' || kind === 'hc-dark';
  const fb = dark ? fallbacks.dark : fallbacks.light;
  const root = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => root.getPropertyValue(name).trim() || fallback;
  const background = solidColor(v('--vscode-editor-background', fb.background), fb.background);
  const solid = (name: string, fallback: string) => solidColor(v(name, fallback), background);
  // Series colours drop their alpha: the themes' translucent chart colours are meant as tints, and a
  // line blended to a third of its strength is what made p95 invisible.
  const series = (name: string, fallback: string) => opaqueColor(v(name, fallback));
  const foreground = solid('--vscode-foreground', fb.foreground);
  return {
    dark,
    highContrast: kind === 'hc-dark' || kind === 'hc-light',
    colors: {
      red: series('--vscode-charts-red', fb.red),
      blue: series('--vscode-charts-blue', fb.blue),
      yellow: series('--vscode-charts-yellow', fb.yellow),
      orange: series('--vscode-charts-orange', fb.orange),
      green: series('--vscode-charts-green', fb.green),
      purple: series('--vscode-charts-purple', fb.purple),
      muted: solid('--vscode-descriptionForeground', foreground),
    },
    foreground,
    background,
    grid: solid('--vscode-panel-border', fb.border),
  };
}

/**
 * One distinct colour per outcome class, from the Okabe-Ito colour-blind-safe palette (with a lighter
 * blue and wine on dark backgrounds); aborted stays grey. Independent of the theme's chart colours, which
 * reuse red/orange/yellow for several classes and are hard to tell apart with red-green colour blindness.
 */
export function outcomePalette(
  theme: Theme,
): Record<
  | 'ok'
  | 'rate_limited'
  | 'overloaded'
  | 'server_error'
  | 'client_error'
  | 'timeout'
  | 'network'
  | 'stream_error'
  | 'aborted',
  string
> {
  return {
    ok: '#009e73',
    rate_limited: '#e69f00',
    overloaded: theme.dark ? '#f0e442' : '#b8a900',
    server_error: '#d55e00',
    client_error: '#cc79a7',
    timeout: theme.dark ? '#3a9ad9' : '#0072b2',
    network: theme.dark ? '#b5b54a' : '#999933',
    stream_error: theme.dark ? '#aa4499' : '#882255',
    aborted: theme.dark ? '#8c8c8c' : '#9a9a9a',
  };
}

/** Colour with alpha for fills; CSS colours other than #hex/rgb() are returned as they are. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (hex) {
    const h = hex[1]!.length === 3 ? [...hex[1]!].map((c) => c + c).join('') : hex[1]!;
    const n = parseInt(h, 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  const rgb = /^rgba?\(([^,]+),([^,]+),([^,)]+)/.exec(color.trim());
  return rgb ? `rgba(${rgb[1]},${rgb[2]},${rgb[3]}, ${alpha})` : color;
}
