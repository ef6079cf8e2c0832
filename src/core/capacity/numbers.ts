// Number formatting shared by the planner's messages and tables. Display only: results stay unrounded.

/** "$12,960.00", "$0.50", "$0.003", "$0.000105": cents above $1, four significant digits below. */
export function fmtUsd(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const sign = n < 0 ? '-' : '';
  const a = Math.abs(n);
  if (a === 0) return '$0.00';
  if (a >= 1) {
    return `${sign}$${a.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  }
  return `${sign}$${Number(a.toPrecision(4)).toLocaleString('en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 10,
  })}`;
}

/** "50,000", "3.5", "0.25": at most `digits` decimals, thousands separated. */
export function fmtNum(n: number, digits = 1): string {
  if (!Number.isFinite(n)) return String(n);
  return n.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** 0.0648 -> "6.5%"; null -> "-". */
export function fmtPct(n: number | null): string {
  if (n === null) return '-';
  if (!Number.isFinite(n)) return 'n/a';
  const p = n * 100;
  return `${p.toLocaleString('en-US', { maximumFractionDigits: p < 10 ? 1 : 0 })}%`;
}

/** A share as a percentage for prose: 0.7 -> "70 %". */
export function fmtShare(n: number): string {
  return `${fmtNum(n * 100, 1)} %`;
}
