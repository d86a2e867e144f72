// Charts with Chart.js, registering only what the dashboard draws, in the theme's colours.

import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  type ChartDataset,
  type ChartType,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";
import { h } from "./dom";
import { color } from "./theme";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Filler, Legend, Tooltip);

export const PALETTE = ["accent", "series-2", "series-3", "series-4", "series-5"];

function themed<T extends ChartType>(config: ChartConfiguration<T>): ChartConfiguration<T> {
  const text = color("muted");
  const grid = color("border");
  Chart.defaults.color = text;
  Chart.defaults.borderColor = grid;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  const options = { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true } }, ...config.options };
  return { ...config, options } as ChartConfiguration<T>;
}

/** A chart in a box of its own, with a text label for screen readers. */
export function chart<T extends ChartType>(label: string, config: ChartConfiguration<T>): HTMLElement {
  const canvas = h("canvas", { role: "img", "aria-label": label });
  const box = h("div", { class: "chart" }, canvas);
  // Drawn once the box is in the page and has a size.
  requestAnimationFrame(() => new Chart(canvas, themed(config)));
  return box;
}

export function series(label: string, data: (number | null)[], index = 0): ChartDataset<"line", (number | null)[]> {
  const stroke = color(PALETTE[index % PALETTE.length]!);
  return { label, data, borderColor: stroke, backgroundColor: stroke, pointRadius: 2, tension: 0.2, spanGaps: true };
}

export function bars(label: string, data: number[], index = 0): ChartDataset<"bar", number[]> {
  return { label, data, backgroundColor: color(PALETTE[index % PALETTE.length]!), borderRadius: 3 };
}

/** A band between two lines (a confidence interval): the upper one fills down to the lower. */
export function band(label: string, low: (number | null)[], high: (number | null)[]): ChartDataset<"line", (number | null)[]>[] {
  const fill = color("band");
  return [
    { label: `${label} low`, data: low, borderWidth: 0, pointRadius: 0, backgroundColor: fill, fill: false, spanGaps: true },
    { label: `${label} high`, data: high, borderWidth: 0, pointRadius: 0, backgroundColor: fill, fill: "-1", spanGaps: true },
  ];
}
