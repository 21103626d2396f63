// The analytics charts, drawn as SVG with visx (scales, shapes and axes;
// chosen for size and accessibility: frontend/README.md).  Each chart is
// one image to assistive technology (role="img" with a label) whose data
// the page also shows as a table; each bar and point carries a <title>
// for pointer users.  Sizes come from a viewBox, so a chart follows the
// page's width and zoom without measuring; colours come from classes in
// styles.css (no inline styles: the CSP), including forced-colours mode.
// A hidden figure (fewer than five people) is drawn as a short grey
// stub labelled "hidden", never as zero.

import { AxisBottom, AxisLeft } from '@visx/axis';
import { Group } from '@visx/group';
import { scaleBand, scaleLinear } from '@visx/scale';
import { Bar, LinePath } from '@visx/shape';

export interface Datum {
  label: string;
  value: number | null;
  hidden?: boolean;
}

const WIDTH = 640;
// (counts: never more ticks than whole numbers to put on them)

function niceMax(values: (number | null)[]): number {
  const m = Math.max(0, ...values.map((v) => v ?? 0));
  return m === 0 ? 1 : m;
}

/** Horizontal bars, one per category (domains, reasons). */
export function BarChart({ label, data, valueName }: { label: string; data: Datum[]; valueName: string }) {
  const left = 150;
  const right = 48;
  const row = 30;
  const top = 8;
  const height = top + data.length * row + 28;
  const x = scaleLinear<number>({ domain: [0, niceMax(data.map((d) => d.value))], range: [0, WIDTH - left - right], nice: true });
  const y = scaleBand<string>({ domain: data.map((d) => d.label), range: [0, data.length * row], padding: 0.25 });
  return (
    <div className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={label} preserveAspectRatio="xMinYMin meet">
        <Group left={left} top={top}>
          {data.map((d) => {
            const yy = y(d.label) ?? 0;
            const hidden = d.hidden || d.value === null;
            const w = hidden ? 6 : x(d.value ?? 0);
            return (
              <g key={d.label}>
                <Bar x={0} y={yy} width={Math.max(w, 1)} height={y.bandwidth()} className={hidden ? 'bar bar-hidden' : 'bar'}>
                  <title>{`${d.label}: ${hidden ? 'hidden (fewer than 5 people)' : `${d.value} ${valueName.toLowerCase()}`}`}</title>
                </Bar>
                <text x={w + 6} y={yy + y.bandwidth() / 2} dy="0.35em" className="chart-value">
                  {hidden ? 'hidden' : (d.value ?? 0).toLocaleString()}
                </text>
              </g>
            );
          })}
          <AxisLeft scale={y} hideTicks tickLabelProps={() => ({ className: 'chart-tick', textAnchor: 'end', dx: -6, dy: '0.35em' })} />
          <AxisBottom top={data.length * row} scale={x} numTicks={Math.min(5, x.domain()[1])}
            tickFormat={(v) => Number(v).toLocaleString()}
            tickLabelProps={() => ({ className: 'chart-tick', textAnchor: 'middle' })} />
        </Group>
      </svg>
    </div>
  );
}

/** Bars per period (questions) with a line (active users) on one scale. */
export function TimeChart({ label, bars, line, barName, lineName }: {
  label: string;
  bars: Datum[];
  line: Datum[];
  barName: string;
  lineName: string;
}) {
  const left = 44;
  const bottom = 48;
  const top = 10;
  const height = 260;
  const inner = height - top - bottom;
  const x = scaleBand<string>({ domain: bars.map((d) => d.label), range: [0, WIDTH - left - 12], padding: 0.2 });
  const y = scaleLinear<number>({ domain: [0, niceMax([...bars.map((d) => d.value), ...line.map((d) => d.value)])], range: [inner, 0], nice: true });
  const every = Math.max(1, Math.ceil(bars.length / 8));
  const shown = line.filter((d) => !d.hidden && d.value !== null);
  return (
    <div className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={label} preserveAspectRatio="xMinYMin meet">
        <Group left={left} top={top}>
          {bars.map((d) => {
            const hidden = d.hidden || d.value === null;
            const h = hidden ? 4 : inner - y(d.value ?? 0);
            return (
              <Bar key={d.label} x={x(d.label) ?? 0} y={inner - h} width={x.bandwidth()} height={Math.max(h, 0)}
                className={hidden ? 'bar bar-hidden' : 'bar'}>
                <title>{`${d.label}: ${hidden ? 'hidden (fewer than 5 people)' : `${d.value} ${barName.toLowerCase()}`}`}</title>
              </Bar>
            );
          })}
          <LinePath data={shown} x={(d) => (x(d.label) ?? 0) + x.bandwidth() / 2} y={(d) => y(d.value ?? 0)} className="line" />
          {shown.map((d) => (
            <circle key={d.label} cx={(x(d.label) ?? 0) + x.bandwidth() / 2} cy={y(d.value ?? 0)} r={3.5} className="point">
              <title>{`${d.label}: ${d.value} ${lineName.toLowerCase()}`}</title>
            </circle>
          ))}
          <AxisLeft scale={y} numTicks={Math.min(5, y.domain()[1])} tickFormat={(v) => Number(v).toLocaleString()}
            tickLabelProps={() => ({ className: 'chart-tick', textAnchor: 'end', dx: -4, dy: '0.35em' })} />
          <AxisBottom top={inner} scale={x} tickValues={bars.filter((_, i) => i % every === 0).map((d) => d.label)}
            tickFormat={(v) => String(v).slice(5)} tickLabelProps={() => ({ className: 'chart-tick', textAnchor: 'middle' })} />
        </Group>
      </svg>
      <ul className="legend" aria-hidden="true">
        <li><span className="swatch bar-swatch" />{barName}</li>
        <li><span className="swatch line-swatch" />{lineName}</li>
        <li><span className="swatch hidden-swatch" />Hidden (fewer than 5 people)</li>
      </ul>
    </div>
  );
}
