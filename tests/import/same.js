// node same.js A.json B.json: exit 0 when the two files hold equal JSON values
// (object keys in any order, numbers by value); else prints the first difference.
const fs = require("fs");
const [a, b] = process.argv.slice(2).map((f) => JSON.parse(fs.readFileSync(f, "utf8")));
function diff(x, y, at) {
  const kind = (v) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
  if (kind(x) !== kind(y)) return `${at || "/"}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`;
  if (kind(x) === "array" || kind(x) === "object") {
    const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
    for (const k of keys) {
      if (!(k in x) || !(k in y)) return `${at}/${k}: ${JSON.stringify(x[k])} vs ${JSON.stringify(y[k])}`;
      const d = diff(x[k], y[k], `${at}/${k}`);
      if (d) return d;
    }
    return null;
  }
  return x === y ? null : `${at || "/"}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`;
}
const d = diff(a, b, "");
if (d) {
  console.log(d);
  process.exit(1);
}
