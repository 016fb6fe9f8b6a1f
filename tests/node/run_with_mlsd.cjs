/**
 * Run one Python program in Pyodide under Node, with the mlsd package importable: the same npm
 * Pyodide the site serves, the library copied in from src/mlsd. Used by tests and benchmarks that
 * compare Pyodide with CPython.
 *
 *   node tests/node/run_with_mlsd.cjs PROGRAM.py OUT [DATA_FILE ...]
 *
 * DATA_FILEs are copied to /data/. If OUT is not "-", the value of the program's last expression
 * (a string, e.g. json.dumps(...)) is written to OUT. What the program prints goes to stdout.
 */
const fs = require("fs");
const path = require("path");
const { loadPyodide } = require("pyodide");

const MLSD = path.join(__dirname, "..", "..", "src", "mlsd");

function copyPackage(py, from, to) {
  py.FS.mkdirTree(to);
  for (const name of fs.readdirSync(from)) {
    if (name === "__pycache__") continue;
    const source = path.join(from, name), target = `${to}/${name}`;
    if (fs.statSync(source).isDirectory()) copyPackage(py, source, target);
    else py.FS.writeFile(target, fs.readFileSync(source));
  }
}

(async () => {
  const [program, out, ...files] = process.argv.slice(2);
  const py = await loadPyodide({ stdout: (line) => console.log(line) });
  copyPackage(py, MLSD, "/lib/mlsd-src/mlsd");
  py.FS.mkdirTree("/data");
  for (const file of files) py.FS.writeFile(`/data/${path.basename(file)}`, fs.readFileSync(file));
  py.runPython("import sys; sys.path.insert(0, '/lib/mlsd-src')");
  const result = py.runPython(fs.readFileSync(program, "utf8"));
  if (out !== "-") fs.writeFileSync(out, result);
})().catch((error) => { console.error(error); process.exit(1); });
