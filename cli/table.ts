export interface Column {
  readonly header: string;
  readonly align: "left" | "right";
}

/** A left-aligned column (names, labels). */
export const left = (header: string): Column => ({ header, align: "left" });
/** A right-aligned column (numbers). */
export const right = (header: string): Column => ({ header, align: "right" });

/**
 * A plain-text table: a header line, then one line per row, columns two spaces apart, text left
 * and numbers right aligned. A row of one cell is printed as is, across the table (an ellipsis line).
 */
export function renderTable(
  columns: ReadonlyArray<Column>,
  rows: ReadonlyArray<ReadonlyArray<string>>,
): string[] {
  const widths = columns.map((column, c) =>
    Math.max(width(column.header), ...rows.filter((row) => row.length > 1).map((row) => width(row[c] ?? ""))),
  );
  const line = (cells: ReadonlyArray<string>) =>
    cells
      .map((cell, c) => {
        const pad = " ".repeat(Math.max(0, widths[c]! - width(cell)));
        return columns[c]!.align === "right" ? pad + cell : cell + pad;
      })
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map((row) => (row.length === 1 ? row[0]! : line(row)))];
}

// Code points rather than UTF-16 units, so that a "…" does not shift the columns. (All our cells are
// narrow characters; wide ones such as CJK would need a real terminal-width measure.)
function width(text: string): number {
  return [...text].length;
}
