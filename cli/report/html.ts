import type { TableData } from "../summary.ts";

/** Text as HTML (element content or a double-quoted attribute value). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A `TableData` as an HTML table: text columns left, numbers right, an ellipsis row across. */
export function htmlTable(table: TableData, caption?: string): string {
  const align = (c: number) => (table.columns[c]?.align === "right" ? ' class="num"' : "");
  const head = table.columns.map((c, i) => `<th${align(i)}>${escapeHtml(c.header)}</th>`).join("");
  const body = table.rows
    .map((row) =>
      row.length === 1
        ? `<tr><td colspan="${table.columns.length}" class="gap">${escapeHtml(row[0]!)}</td></tr>`
        : `<tr>${row.map((cell, i) => `<td${align(i)}>${escapeHtml(cell)}</td>`).join("")}</tr>`,
    )
    .join("\n");
  const foot = table.footer === undefined ? "" : `<p class="note">${escapeHtml(table.footer)}</p>`;
  const title = caption === undefined ? "" : `<caption>${escapeHtml(caption)}</caption>`;
  // A table of name–value pairs has no headers: no empty header row either.
  const thead = table.columns.every((c) => c.header === "") ? "" : `<thead><tr>${head}</tr></thead>\n`;
  return `<table>${title}${thead}<tbody>\n${body}\n</tbody></table>${foot}`;
}

/** A figure: the plot's SVG inline, its caption under it. */
export function htmlFigure(svg: string, caption: string, id: string): string {
  return `<figure id="${escapeHtml(id)}">\n${svg}\n<figcaption>${escapeHtml(caption)}</figcaption>\n</figure>`;
}

/** Inline CSS shared by report.html and compare.html: readable, printable, no external fonts. */
export const STYLE = `
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 2rem auto; max-width: 60rem;
  padding: 0 1rem; color: #222; line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
.subtitle { color: #555; margin-top: 0; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.5rem 0; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.3rem; }
th, td { padding: 0.15rem 0.6rem; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
th { border-bottom: 1px solid #999; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.gap { color: #777; text-align: center; }
.note { color: #555; font-size: 0.85rem; }
figure { margin: 1.5rem 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #444; font-size: 0.9rem; max-width: 45rem; }
`;

/** A whole page: doctype, UTF-8, the inline style, a title and the body. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
