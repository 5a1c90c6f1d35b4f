// The parts of Apache ECharts (from the echarts npm package) that Mofan's charts use, bundled by
// `npm run build` (make setup) into build/echarts.mofan.min.js, served as
// vendor/echarts/echarts.mofan.min.js with `window.echarts` as the full build has it. The full
// build is 1.1 MB (368 KB gzipped), and the heat map ran about a quarter of it. A new kind of
// chart adds its chart and components here.
import { use } from "echarts/core";
import { HeatmapChart } from "echarts/charts";
import { GridComponent, TooltipComponent, VisualMapPiecewiseComponent } from "echarts/components";
import { LegacyGridContainLabel } from "echarts/features";
import { CanvasRenderer } from "echarts/renderers";

// The compliance heat map (meetings/heatmap.js): organisations × months, a piecewise legend, a grid
// sized to hold its labels (`containLabel`, which ECharts 6 keeps as a feature of its own).
use([
  HeatmapChart,
  GridComponent,
  TooltipComponent,
  VisualMapPiecewiseComponent,
  LegacyGridContainLabel,
  CanvasRenderer,
]);

export * from "echarts/core";
