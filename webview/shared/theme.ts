// Theme colours for canvases, which cannot use CSS variables directly. VS Code sets --vscode-* on <html>;
// the standalone report has none, so fallbacks follow the body class or the OS colour scheme.

export type ColorKey = 'red' | 'blue' | 'yellow' | 'orange' | 'green' | 'purple' | 'muted';

export interface Theme {
  dark: boolean;
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

function isDark(): boolean {
  const c = document.body?.classList;
  if (c?.contains('vscode-light') || c?.contains('vscode-high-contrast-light')) return false;
  if (c?.contains('vscode-dark') || c?.contains('vscode-high-contrast')) return true;
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
}

export function readTheme(): Theme {
  const dark = isDark();
  const fb = dark ? fallbacks.dark : fallbacks.light;
  const root = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => root.getPropertyValue(name).trim() || fallback;
  const foreground = v('--vscode-foreground', fb.foreground);
  return {
    dark,
    colors: {
      red: v('--vscode-charts-red', fb.red),
      blue: v('--vscode-charts-blue', fb.blue),
      yellow: v('--vscode-charts-yellow', fb.yellow),
      orange: v('--vscode-charts-orange', fb.orange),
      green: v('--vscode-charts-green', fb.green),
      purple: v('--vscode-charts-purple', fb.purple),
      muted: v('--vscode-descriptionForeground', foreground),
    },
    foreground,
    background: v('--vscode-editor-background', fb.background),
    grid: v('--vscode-panel-border', fb.border),
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
