// exportCsv (www/widget/export-client.js): RFC 4180 quoting, read back by Python's csv module (an
// independent reader), and the formula-injection guard of OWASP's "CSV Injection" advice.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { exportCsv, csvCell, CSV_COLUMNS } from "../../www/widget/export-client.js";

const ENTRIES = [
  { title: "win, \"a\"", username: "Administrator", password: "p\"w,\r\n1", url: "https://console.example/ecs", notes: "两行\n备注", serverId: "x" },
  { title: "服务器", username: "Administrator", password: "密码", url: undefined, notes: undefined },
  { title: "=HYPERLINK(\"http://evil\")", username: "+SUM(1)", password: "-2+3", url: "@cmd", notes: "\tTAB" },
  { title: "\rCR", username: "u", password: "safe=", url: "", notes: "a-b" },
];

/** The CSV's rows as Python's csv module reads them (newline="" as its documentation says). */
function parseWithPython(text) {
  const script = "import csv, io, json, sys; print(json.dumps(list(csv.reader(io.StringIO(sys.stdin.read(), newline='')))))";
  return JSON.parse(execFileSync("python3", ["-c", script], { input: text, encoding: "utf8" }));
}

test("exportCsv quotes every cell (RFC 4180) and Python's csv reader gets every value back", async () => {
  const blob = exportCsv(ENTRIES);
  assert.equal(blob.type, "text/csv;charset=utf-8");
  const text = await blob.text();
  assert.ok(text.endsWith("\r\n"), "CRLF after the last row");
  assert.ok(text.startsWith('"title","username","password","url","notes"\r\n"win, ""a""",'), "quoted cells, doubled quotes");
  const rows = parseWithPython(text);
  assert.deepEqual(rows[0], [...CSV_COLUMNS]);
  const guard = (v) => (v && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v ?? "");
  assert.deepEqual(rows.slice(1), ENTRIES.map((e) => CSV_COLUMNS.map((c) => (c === "password" ? e[c] ?? "" : guard(e[c])))));
  assert.equal(rows[1][2], "p\"w,\r\n1", "a password with quotes, a comma and a line break comes back exact");
  assert.equal(rows[2][0], "服务器");
  assert.equal(rows[3][2], "-2+3", "a password is written exactly, even where a name would be guarded");
});

test("cells that a spreadsheet would run as a formula get a ' in front, and only those", () => {
  for (const start of ["=", "+", "-", "@", "\t", "\r"]) {
    assert.equal(csvCell(`${start}1+1`), `"'${start}1+1"`, JSON.stringify(start));
  }
  for (const safe of ["1+1", "a=b", " =1", "'quoted", "", "密码"]) {
    assert.equal(csvCell(safe), `"${safe.replaceAll('"', '""')}"`, JSON.stringify(safe));
  }
  assert.equal(csvCell('=a"b'), '"\'=a""b"', "guarded, then quoted");
  assert.equal(csvCell(undefined), '""');
  assert.equal(csvCell(null), '""');
});

test("a password given as a Uint8Array is written as its UTF-8 text", async () => {
  const text = await exportCsv([{ title: "t", username: "u", password: new TextEncoder().encode("字节-pw") }]).text();
  assert.deepEqual(parseWithPython(text)[1], ["t", "u", "字节-pw", "", ""]);
});
