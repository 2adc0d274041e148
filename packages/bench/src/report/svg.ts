/**
 * Grouped bar charts as inline SVG strings, with no script and no external resource.
 * Each bar is a `<rect class="bar">` carrying data-group, data-series and data-value, so
 * that tests and readers can find the numbers; a failed entry draws no bar but a marked
 * `<text class="failed">` whose tooltip gives the reason.
 */

/** One bar of a group: its series (colour), value, and an optional upper whisker. */
export interface Bar {
  series: string;
  value?: number;
  /** Whisker end (p90 latency, say), drawn from the bar's top and cut at the plot's top. */
  whisker?: number;
  /** Why there is no value. */
  failed?: string;
  /** Tooltip text (default: series and value). */
  title?: string;
}

/** Bars sharing an x-axis label. */
export interface BarGroup {
  label: string;
  bars: Bar[];
}

/** A chart: title, unit of the y-axis, groups, and the series in legend order. */
export interface BarChart {
  id: string;
  title: string;
  unit: string;
  groups: BarGroup[];
  series: string[];
  /** Fill colour of each series (default: the palette in series order). */
  colors?: readonly string[];
}

/** The default series colours, in order. */
export const PALETTE: readonly string[] = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#9c755f'];

/** Text safe in XML/HTML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function niceStep(range: number): number {
  const raw = range / 5;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

function num(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(Math.abs(x) < 1 ? 3 : 1).replace(/\.?0+$/, '');
}

/** The chart as an `<svg>` element string. */
export function renderBarChart(chart: BarChart): string {
  const barW = 18;
  const gap = 4;
  const groupGap = 26;
  const left = 64;
  const top = 34;
  const plotH = 200;
  const bottom = 62;
  const n = Math.max(1, chart.series.length);
  const groupW = n * barW + (n - 1) * gap;
  const slot = Math.max(groupW + groupGap, 150);
  const width = Math.max(360, left + chart.groups.length * slot + 20);
  const legendRows = Math.ceil(chart.series.length / 4);
  const height = top + plotH + bottom + legendRows * 18;
  // The scale follows the bars; whiskers longer than the plot are cut at its top.
  const values = chart.groups.flatMap((g) => g.bars.map((b) => b.value)).filter((v): v is number => v !== undefined && Number.isFinite(v));
  let hi = Math.max(0, ...values);
  let lo = Math.min(0, ...values);
  if (hi === lo) hi = lo + 1;
  const step = niceStep(hi - lo);
  hi = Math.ceil(hi / step) * step;
  lo = Math.floor(lo / step) * step;
  const color = (i: number) => chart.colors?.[i] ?? PALETTE[i % PALETTE.length]!;
  const y = (v: number) => top + plotH - ((v - lo) / (hi - lo)) * plotH;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="${escapeXml(chart.id)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(chart.title)}">`);
  out.push(`<text x="${left}" y="18" class="title">${escapeXml(chart.title)}</text>`);
  for (let v = lo; v <= hi + step / 2; v += step) {
    out.push(`<line x1="${left}" x2="${width - 10}" y1="${y(v)}" y2="${y(v)}" class="grid"/>`);
    out.push(`<text x="${left - 6}" y="${y(v) + 4}" class="tick" text-anchor="end">${num(v)}</text>`);
  }
  out.push(`<text x="14" y="${top + plotH / 2}" class="unit" transform="rotate(-90 14 ${top + plotH / 2})" text-anchor="middle">${escapeXml(chart.unit)}</text>`);
  chart.groups.forEach((g, gi) => {
    const gx = left + (slot - groupW) / 2 + gi * slot;
    g.bars.forEach((b) => {
      const si = Math.max(0, chart.series.indexOf(b.series));
      const x = gx + si * (barW + gap);
      const data = `data-group="${escapeXml(g.label)}" data-series="${escapeXml(b.series)}"`;
      if (b.value === undefined || !Number.isFinite(b.value)) {
        out.push(`<text x="${x + barW / 2}" y="${y(0) - 4}" class="failed" text-anchor="middle" ${data}><title>${escapeXml(`${b.series}: ${b.failed ?? 'no value'}`)}</title>✗</text>`);
        return;
      }
      const y0 = y(Math.max(0, b.value));
      const h = Math.max(1, Math.abs(y(b.value) - y(0)));
      const title = b.title ?? `${g.label} ${b.series}: ${num(b.value)} ${chart.unit}`;
      out.push(`<rect class="bar" x="${x}" y="${y0}" width="${barW}" height="${h}" fill="${color(si)}" ${data} data-value="${b.value}"><title>${escapeXml(title)}</title></rect>`);
      if (b.whisker !== undefined && b.whisker > b.value) {
        out.push(`<line class="whisker" x1="${x + barW / 2}" x2="${x + barW / 2}" y1="${y(b.value)}" y2="${y(Math.min(b.whisker, hi))}"/>`);
      }
    });
    out.push(`<text x="${gx + groupW / 2}" y="${top + plotH + 16}" class="label" text-anchor="middle">${escapeXml(g.label)}</text>`);
  });
  out.push(`<line x1="${left}" x2="${width - 10}" y1="${y(0)}" y2="${y(0)}" class="axis"/>`);
  chart.series.forEach((s, i) => {
    const lx = left + (i % 4) * 150;
    const ly = top + plotH + 38 + Math.floor(i / 4) * 18;
    out.push(`<rect class="swatch" x="${lx}" y="${ly - 10}" width="12" height="12" fill="${color(i)}"/><text x="${lx + 16}" y="${ly}" class="legend">${escapeXml(s)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
