/**
 * One chart look for the build (SVG rendered under Node) and the page (vega-embed): fixed width,
 * scaled by CSS, and colours that follow the page's text colour, so charts read in dark mode.
 * Plain data in, plain data out — no DOM — so Node can import it too.
 */
export const CHART_WIDTH = 640;

const INK = "currentColor";

export const CHART_CONFIG = {
  background: "transparent",
  // The figure around the chart carries its accessible name; the SVG's own ARIA tree would only
  // list unlabelled marks.
  aria: false,
  font: "sans-serif",
  axis: {
    labelColor: INK, titleColor: INK, domainColor: INK, tickColor: INK,
    gridColor: INK, gridOpacity: 0.15, domainOpacity: 0.6, tickOpacity: 0.6,
  },
  legend: { labelColor: INK, titleColor: INK },
  title: { color: INK, subtitleColor: INK },
  header: { labelColor: INK, titleColor: INK },
  view: { stroke: INK, strokeOpacity: 0.15 },
};

/** A copy of a Vega-Lite spec ready to draw: "container" widths fixed, our config merged in. */
export function prepareSpec(spec) {
  const out = { ...spec };
  if (out.width === "container" || out.width === undefined) out.width = CHART_WIDTH;
  if (out.height === "container") out.height = 240;
  out.config = { ...CHART_CONFIG, ...(spec.config || {}) };
  return out;
}
