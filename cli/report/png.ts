/**
 * PNG from SVG text, rasterised by resvg (native code: Node only, loaded on first use). Apart from
 * render.ts so that the playground's bundle, which draws SVG only, does not reach resvg.
 */

/** PNG bytes of SVG text, at `scale` times its size (2: sharp on high-density screens). */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  const { Resvg } = await import("@resvg/resvg-js");
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" },
  });
  return resvg.render().asPng();
}
