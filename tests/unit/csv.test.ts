import { csvRecords, toCsv } from '../../bff/src/platform/csv';

describe('CSV exports', () => {
  test('text a spreadsheet would run as a formula is neutralised; numbers, negative ones too, stay numbers', () => {
    const csv = toCsv([
      ['name', 'value'],
      ['=HYPERLINK("http://evil.example","点我")', -0.05],
      ['+1+1', 12],
      ['-2+3', 0],
      ['@SUM(A1:A2)', null],
      ['普通奖品, 含逗号', 3],
    ]);
    const lines = csv.replace('\uFEFF', '').trim().split('\r\n');
    expect(lines[1]).toBe(`"'=HYPERLINK(""http://evil.example"",""点我"")",-0.05`);
    expect(lines[2]).toBe(`'+1+1,12`);
    expect(lines[3]).toBe(`'-2+3,0`);
    expect(lines[4]).toBe(`'@SUM(A1:A2),`);
    expect(lines[5]).toBe(`"普通奖品, 含逗号",3`);
    // Read back, the neutralised cells are plain text starting with the quote mark.
    expect(csvRecords(csv).map((r) => r.name)).toEqual([`'=HYPERLINK("http://evil.example","点我")`, "'+1+1", "'-2+3", "'@SUM(A1:A2)", '普通奖品, 含逗号']);
  });
});
