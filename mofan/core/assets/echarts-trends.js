// The parts of Apache ECharts (from the echarts npm package) that the leader's dashboard uses
// (dashboard/cockpit.js: monthly trends as lines, grades by year as bars), bundled by
// `npm run build` into build/echarts.trends.min.js, served as vendor/echarts/echarts.trends.min.js
// with `window.echarts`. Kept apart from the heat map's bundle so that neither page loads the
// other's charts.
import { use } from "echarts/core";
import { BarChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import { LegacyGridContainLabel } from "echarts/features";
import { CanvasRenderer } from "echarts/renderers";

use([
  LineChart,
  BarChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  LegacyGridContainLabel,
  CanvasRenderer,
]);

export * from "echarts/core";
