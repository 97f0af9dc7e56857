/** Panel heights that fit their content, as a dashboard's grid would be set by hand. */

const TABLE_HEADER = 36;
const TABLE_ROW = 36;
const TABLE_MAX_ROWS = 15;

/** A table panel tall enough for `rows` rows (up to a scroll past fifteen). */
export function tableHeight(rows: number): number {
  return 48 + TABLE_HEADER + Math.max(1, Math.min(rows, TABLE_MAX_ROWS)) * TABLE_ROW;
}
