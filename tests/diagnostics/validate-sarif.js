#!/usr/bin/env node
// validate-sarif.js LOG.sarif...: checks each log against the SARIF 2.1.0 JSON
// schema (draft-04) that the pinned npm package @microsoft/jest-sarif ships, with
// ajv and its formats. Prints "LOG: valid" or "LOG: invalid: ERRORS" for each;
// exits 1 when any is invalid or unreadable.
'use strict';
const fs = require('fs');
const path = require('path');
const Ajv = require('ajv-draft-04');
const addFormats = require('ajv-formats');

const schemaFile = path.join(path.dirname(require.resolve('@microsoft/jest-sarif/package.json')),
  'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');
// unicodeRegExp off: the schema's pattern for "language" has a stray ']' that a
// /u regular expression refuses
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')));

let bad = 0;
for (const file of process.argv.slice(2)) {
  let log;
  try {
    log = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    console.log(`${file}: invalid: ${e.message}`);
    bad++;
    continue;
  }
  if (validate(log)) {
    console.log(`${file}: valid`);
  } else {
    bad++;
    const errors = validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}`);
    console.log(`${file}: invalid: ${errors.join('; ')}`);
  }
}
process.exit(bad ? 1 : 0);
