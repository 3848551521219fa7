import { execFileSync } from 'node:child_process';

/**
 * The text of every cell of an .xlsx's first sheet, row by row. The export writes inline strings
 * (constant-memory mode), so the sheet's XML holds the text itself; Python's zipfile and ElementTree read it.
 */
export function sheetRows(file: string): string[][] {
  const script = [
    'import json, sys, zipfile',
    'import xml.etree.ElementTree as ET',
    'ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}',
    'with zipfile.ZipFile(sys.argv[1]) as book:',
    '    sheet = ET.fromstring(book.read("xl/worksheets/sheet1.xml"))',
    'rows = [["".join(t.text or "" for t in c.iter("{%s}t" % ns["m"])) for c in r.findall("m:c", ns)]',
    '        for r in sheet.iter("{%s}row" % ns["m"])]',
    'print(json.dumps(rows, ensure_ascii=False))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script, file]).toString());
}

/**
 * Whether each cell of the first sheet is formatted as quote-prefixed text (Excel and WPS then show and
 * keep it as text, never as a formula), row by row.
 */
export function quotePrefixed(file: string): boolean[][] {
  const script = [
    'import json, sys, zipfile',
    'import xml.etree.ElementTree as ET',
    'ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}',
    'with zipfile.ZipFile(sys.argv[1]) as book:',
    '    sheet = ET.fromstring(book.read("xl/worksheets/sheet1.xml"))',
    '    styles = ET.fromstring(book.read("xl/styles.xml"))',
    'xfs = styles.find("m:cellXfs", ns).findall("m:xf", ns)',
    'quoted = [xf.get("quotePrefix") == "1" for xf in xfs]',
    'rows = [[quoted[int(c.get("s", "0"))] for c in r.findall("m:c", ns)]',
    '        for r in sheet.iter("{%s}row" % ns["m"])]',
    'print(json.dumps(rows))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script, file]).toString());
}
