/** The "Success KPI by reporting mode" section of `report.html`: one success curve per mode of SPEC §8. */
import { int, pct } from '../../format/figures.ts';
import { REPORTING_MODE_NAMES, REPORTING_MODES } from '../../metrics/kpi.ts';
import type { ReportData } from '../../report-data.ts';
import { timeLineChart } from '../charts.ts';
import { figure, nonZero } from '../elements.ts';

/** The section's heading and its three charts. */
export function kpiSection(d: ReportData): string {
  const s = d.summary;
  const kpiSize = { width: 380, height: 260 };
  const kpiCharts = REPORTING_MODES.map((mode) =>
    figure(
      `chart-kpi-${mode}`,
      timeLineChart({
        title: REPORTING_MODE_NAMES[mode],
        times: [0, ...d.kpi.times],
        series: [{ name: 'success', data: [0, ...d.kpi.curves[mode]] }],
        percent: true,
        size: kpiSize,
      }),
      `final ${pct(s.kpi[mode])} of ${int(s.kpi.processed)} processed`,
      nonZero(d.kpi.curves[mode]),
    ),
  );
  return `<h2>Success KPI by reporting mode</h2>
<div class="charts three">${kpiCharts.join('')}</div>`;
}
