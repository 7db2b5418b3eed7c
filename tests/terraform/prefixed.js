// node prefixed.js FILE CREATED PREFIX: rewrites FILE with PREFIX before each name
// listed in CREATED (one per line) where an ARN ends in it: what a module deployed
// with name_prefix = PREFIX must render, given what sfc wrote without one.
const fs = require("fs");
const [file, created, prefix] = process.argv.slice(2);
const names = fs.readFileSync(created, "utf8").split("\n").filter(Boolean)
  .sort((a, b) => b.length - a.length); // longest first: a-b-events before a-b
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
let text = fs.readFileSync(file, "utf8");
for (const name of names) {
  const arn = new RegExp(`(:stateMachine:|:execution:|:rule/(?:[^/"]*/)?|:role/)${escape(name)}(?=["/:\\\\])`, "g");
  text = text.replace(arn, (_, before) => before + prefix + name);
}
fs.writeFileSync(file, text);
