/**
 * Vega-Lite specs drawn without a browser: compiled to Vega, laid out by a headless `vega.View`
 * (`renderer: "none"`) and written as SVG text (png.ts rasterises it). vega is loaded on the first plot
 * only, so that commands drawing nothing do not pay for it. No Node built-in: the playground draws its
 * plots with this same function, in a Web Worker.
 */

/** A Vega-Lite spec with its data inline. */
export type VegaLiteSpec = Record<string, unknown>;

/** The font every plot asks for, and the one resvg draws with (installed with most Linux systems). */
const FONT = "DejaVu Sans, Helvetica, Arial, sans-serif";

/** Applied under every spec: one font, no background grid clutter, plots readable at report width. */
const CONFIG = {
  font: FONT,
  background: "white",
  axis: { labelFontSize: 11, titleFontSize: 12, gridOpacity: 0.5 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 320 },
  title: { fontSize: 14, subtitleFontSize: 11, anchor: "start" },
};

/** SVG text of a Vega-Lite spec. */
export async function vegaLiteToSvg(spec: VegaLiteSpec): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import("vega"), import("vega-lite")]);
  const config = { ...CONFIG, ...((spec.config as Record<string, unknown> | undefined) ?? {}) };
  const compiled = vegaLite.compile({ ...spec, config } as Parameters<typeof vegaLite.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
