/**
 * Gives every id in an SVG a prefix, and every reference to one (`url(#id)`, `href="#id"`) the same.
 * Vega numbers its clip paths from 1 in each SVG it writes, so two plots inlined in one HTML page
 * would share `id="clip1"` and the second would clip to the first's rectangle.
 */
export function scopeSvgIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${prefix}-${id})`)
    .replace(/\bhref="#([^"]+)"/g, (_, id: string) => `href="#${prefix}-${id}"`);
}
