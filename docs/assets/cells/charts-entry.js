/**
 * Charts drawn in the page after a run: vega-embed, bundled by the build into charts.bundle.js.
 *
 * The Content-Security-Policy forbids eval, so Vega's expressions are evaluated by the
 * vega-interpreter (`ast: true`) instead of being compiled to JavaScript functions.
 */
import embed from "vega-embed";
import { expressionInterpreter } from "vega-interpreter";

/** Draw a (prepared) Vega-Lite spec into `element` as SVG. */
export function drawChart(element, spec) {
  return embed(element, spec, {
    renderer: "svg", actions: false, ast: true, expr: expressionInterpreter, tooltip: false,
  });
}
