/** Columns that hold several values, separated by `|` (a bank's export names them 高净值|基金偏好). */
const LIST_COLUMNS = new Set(['interests', 'tags', 'lists']);

/** One CSV record of a tag upload as the JSON row it stands for; empty cells say nothing. */
export function csvRowToTagRow(record: Record<string, string>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [column, raw] of Object.entries(record)) {
    const value = raw.trim();
    if (value === '') continue;
    row[column] = LIST_COLUMNS.has(column)
      ? value
          .split('|')
          .map((v) => v.trim())
          .filter(Boolean)
      : value;
  }
  return row;
}
