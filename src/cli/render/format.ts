/** 1536 → "1.5 KB". Binary units, as Windows Explorer shows them. */
export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}

/** Display width: CJK characters take two columns in a terminal. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

/** A plain text table; numbers right-aligned. */
export function table(headers: string[], rows: (string | number)[][], rightAlign: boolean[] = []): string {
  const cells = rows.map((r) => r.map(String));
  // A loop, not Math.max(...column): spreading a listing of 300 000 rows overflows the stack.
  const widths = headers.map(() => 0);
  for (const r of cells) for (const [c, cell] of r.entries()) widths[c] = Math.max(widths[c], displayWidth(cell));
  const { head, line } = tableLines(headers, widths, rightAlign);
  return [head, ...cells.map(line)].join('\n');
}

/**
 * A table printed a row at a time, for listings too long to hold: the caller gives each column's
 * width up front (a column is never narrower than its header), and a longer cell pushes its row
 * out of line rather than anything being cut.
 */
export function tableLines(headers: string[], widths: number[], rightAlign: boolean[] = []): { head: string; line(row: (string | number)[]): string } {
  const w = headers.map((h, c) => Math.max(displayWidth(h), widths[c] ?? 0));
  const line = (row: (string | number)[]) =>
    row
      .map((value, c) => {
        const cell = String(value);
        const pad = ' '.repeat(Math.max(0, w[c] - displayWidth(cell)));
        return rightAlign[c] ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  return { head: `${line(headers)}\n${w.map((n) => '-'.repeat(n)).join('  ')}`, line };
}
