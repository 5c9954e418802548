import type { TopLevelSpec } from 'vega-lite';

/**
 * A Vega-Lite spec → SVG (vega's own SVG renderer, headless: no canvas, no
 * browser) → PNG (resvg). Slack shows a PNG inline in every client, which an
 * SVG is not. vega and resvg are loaded on first use: the app does not pay
 * for them at start. Text uses the system's fonts (DejaVu Sans on Debian);
 * without any font installed the bars still render, the words do not.
 */
export interface RenderedChart {
  png: Buffer;
  svg: string;
  width: number;
  height: number;
}

let libs: Promise<{ vega: typeof import('vega'); vl: typeof import('vega-lite'); Resvg: typeof import('@resvg/resvg-js').Resvg }> | undefined;
const load = () =>
  (libs ??= Promise.all([import('vega'), import('vega-lite'), import('@resvg/resvg-js')]).then(([vega, vl, r]) => ({ vega, vl, Resvg: r.Resvg })));

export const CHART_FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';

export async function renderChart(spec: TopLevelSpec, scale = 2): Promise<RenderedChart> {
  const { vega, vl, Resvg } = await load();
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const image = new Resvg(svg, {
      fitTo: { mode: 'zoom', value: scale },
      background: 'white',
      font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    }).render();
    return { png: image.asPng(), svg, width: image.width, height: image.height };
  } finally {
    view.finalize();
  }
}
