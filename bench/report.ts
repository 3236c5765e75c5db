import { pvRow, ratio, type Row, type Target } from './suite.js';

const fixed = (n: number | null | undefined, d = 2) => (n === null || n === undefined ? '–' : n.toFixed(d));

/** One shape: every tool's row (each run's time too: on a shared VM one run can be far off the others), then the targets. */
export function formatShape(header: string, rows: Row[], targets: Target[]): string {
  const lines = [header, '', '| step | tool | median s | runs s | peak MB | bytes written | picvault ÷ tool |', '|---|---|---:|---:|---:|---:|---:|'];
  for (const r of rows) {
    const pv = pvRow(rows, r.group);
    const vs = r.tool.startsWith('picvault') || !pv ? '' : fixed(pv.seconds / r.seconds);
    lines.push(`| ${r.group} | ${r.tool} | ${fixed(r.seconds)} | ${r.runs.map((x) => x.toFixed(1)).join(', ')} | ${r.peakMB.toFixed(0)} | ${(r.bytes / 1e6).toFixed(0)} MB | ${vs} |`);
  }
  const notes = rows.flatMap((r) => r.notes.map((n) => `- ${r.tool}: ${n}`));
  if (notes.length > 0) lines.push('', ...notes);
  lines.push('', '| target | measured | met |', '|---|---:|---|');
  for (const t of targets) {
    if (t.text !== undefined) lines.push(`| ${t.name} | ${t.text} | ${t.met ? 'yes' : 'NO'} |`);
    else if (t.value !== null) lines.push(`| ${t.name} | ${fixed(t.value)} | ${t.value <= t.limit ? 'yes' : 'NO'} |`);
  }
  return lines.join('\n');
}

/** One line per shape: the figures SPEC's targets are about. */
export function formatSummary(results: { shape: string; rows: Row[]; targets: Target[] }[]): string {
  const lines = [
    '| shape | scan s | archive ÷ restic | archive ÷ 7z | restore ÷ unzip | peak MB | vault ÷ distinct | clean s |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { shape, rows, targets } of results) {
    const scans = rows.filter((r) => r.group === 'scan');
    const vault = targets.find((t) => t.name.startsWith('vault bytes'))?.value;
    lines.push(
      `| ${shape} | ${scans.map((r) => fixed(r.seconds)).join(' / ')} | ${fixed(ratio(rows, 'picvault archive', 'restic backup'))} | ` +
        `${fixed(ratio(rows, 'picvault archive', '7z a -tzip -mx0'))} | ${fixed(ratio(rows, 'picvault restore', 'unzip'))} | ` +
        `${Math.max(...rows.filter((r) => r.tool.startsWith('picvault')).map((r) => r.peakMB)).toFixed(0)} | ${fixed(vault)} | ${fixed(pvRow(rows, 'clean')?.seconds)} |`,
    );
  }
  return lines.join('\n');
}
