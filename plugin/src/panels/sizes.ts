/** Panel heights that fit their content, as a dashboard's grid would be set by hand. */

/** Grafana's panel header and padding, the table's header row and its `sm` rows (with their borders). */
const PANEL_CHROME = 56;
const TABLE_HEADER = 40;
const TABLE_ROW = 37;
const TABLE_MAX_ROWS = 25;

/** A table panel tall enough for `rows` rows (a scroll past twenty-five). */
export function tableHeight(rows: number): number {
  return PANEL_CHROME + TABLE_HEADER + Math.max(1, Math.min(rows, TABLE_MAX_ROWS)) * TABLE_ROW;
}
