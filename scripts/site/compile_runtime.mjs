// Compile the Python the page imports to bytecode, once, at setup (scripts/site/vendor_runtime.py
// runs this with Node; the numbers are in docs/benchmarks.md, 2026-12-06, fourth pass).
//
// Pyodide ships its standard library and numpy as .py source, so every visit compiled ~240
// modules again before the page was ready. This boots the vendored Pyodide in Node (its own
// CPython, so the bytecode's magic number is the browser's), imports the given modules, and
// rewrites the two archives with each module that was imported as .pyc in place of its .py, and
// the lock with the new wheel's name and sha256:
//
//   node compile_runtime.mjs <pyodide dir> <stock dir> <out dir> <wheel out name> <module>...
//
// <pyodide dir> holds pyodide.mjs, .asm.js, .asm.wasm; <stock dir> holds python_stdlib.zip, the
// numpy wheel and pyodide-lock.json as published; <out dir> gets the three rewritten.
//
// What a first visit downloads stays near the published size (the transfer goal):
// - only imported modules are compiled (bytecode is ~1.5x the compressed source);
// - column tables are left out (PYTHONNODEBUGRANGES: tracebacks keep file and line, lose the
//   ^^^ under the expression);
// - the standard library's compiled modules lose their docstrings (help(json) shows no text),
//   numpy's keep them (help(np.sum) is for learners); asserts stay everywhere (no -O);
// - numpy's files for building extensions or type checking are left out (headers, static
//   libraries, Cython .pxd, .pyi stubs) with f2py, which needs a Fortran compiler.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, stockDir, outDir, wheelName, ...modules] = process.argv.slice(2);
if (!modules.length) {
  console.error("usage: node compile_runtime.mjs <pyodide dir> <stock dir> <out dir> <wheel out name> <module>...");
  process.exit(2);
}
const { loadPyodide } = await import(pathToFileURL(resolve(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: resolve(pyodideDir) + "/",
  stdLibURL: resolve(stockDir, "python_stdlib.zip"),
  lockFileURL: resolve(stockDir, "pyodide-lock.json"),
  env: { HOME: "/home/pyodide", PYTHONNODEBUGRANGES: "1" },
  stdout: (line) => console.log(line),
  stderr: (line) => console.error(line),
});
const { NODEFS } = pyodide.FS.filesystems;
for (const [dir, mount] of [[stockDir, "/stock"], [outDir, "/out"]]) {
  pyodide.FS.mkdirTree(mount);
  pyodide.FS.mount(NODEFS, { root: resolve(dir) }, mount);
}
pyodide.globals.set("MODULES", pyodide.toPy(modules));
pyodide.globals.set("WHEEL_OUT", wheelName);
pyodide.runPython(`
import ast, base64, hashlib, importlib, importlib.util, json, marshal, re, sys, zipfile

STDLIB = next(p for p in sys.path if p.endswith(".zip")) + "/"  # /lib/python312.zip/
SITE = next(p for p in sys.path if p.endswith("site-packages")) + "/"  # /lib/python3.12/site-...
# Files numpy needs only to build C extensions or type-check, never at run time.
BUILD_ONLY = re.compile(r"\\.(pyi|pxd|pyx|c|h|a|ini|pc|template)$|/py\\.typed$|^numpy/f2py/")

lock = json.load(open("/stock/pyodide-lock.json"))
numpy = lock["packages"]["numpy"]
with zipfile.ZipFile("/stock/" + numpy["file_name"]) as wheel:
    wheel.extractall(SITE)
importlib.invalidate_caches()
for name in MODULES:
    importlib.import_module(name)
imported = {m.__file__ for m in list(sys.modules.values()) if getattr(m, "__file__", None)}


def without_docstrings(source, path):
    """The module's syntax tree minus its docstrings, as -OO drops them (asserts stay)."""
    tree = ast.parse(source, path)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \\
                    and isinstance(first.value.value, str):
                node.body = node.body[1:] or [ast.copy_location(ast.Pass(), first)]
    return tree


def bytecode(source, path, docstrings):
    """An unchecked-hash .pyc (PEP 552): nothing to compare with, as no .py ships beside it."""
    tree = source if docstrings else without_docstrings(source, path)
    code = compile(tree, path, "exec", dont_inherit=True)
    flags = (0b01).to_bytes(4, "little")
    return importlib.util.MAGIC_NUMBER + flags + importlib.util.source_hash(source) + marshal.dumps(code)


def rewrite(src, dst, root, docstrings, skip=None):
    """Copy zip src to dst, imported modules as .pyc; returns [(name, bytes)] written."""
    written = []
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            name, data = info.filename, zin.read(info)
            if skip and skip(name):
                continue
            if name.endswith(".py") and root + name in imported:
                name, data = name + "c", bytecode(data, root + name, docstrings)
            out = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            out.compress_type = zipfile.ZIP_DEFLATED if not info.is_dir() else zipfile.ZIP_STORED
            out.external_attr = info.external_attr
            zout.writestr(out, data, compresslevel=9)
            written.append((name, data))
    return written


def record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


stdlib = rewrite("/stock/python_stdlib.zip", "/out/python_stdlib.zip", STDLIB, docstrings=False)
with zipfile.ZipFile("/stock/" + numpy["file_name"]) as stock:
    record = next(n for n in stock.namelist() if n.endswith(".dist-info/RECORD"))
files = rewrite("/stock/" + numpy["file_name"], "/tmp/numpy.whl", SITE, docstrings=True,
                skip=lambda n: bool(BUILD_ONLY.search(n)) or n == record)
with zipfile.ZipFile("/tmp/numpy.whl", "a", zipfile.ZIP_DEFLATED) as whl:
    lines = [record_line(n, d) for n, d in files if not n.endswith("/")] + [f"{record},,"]
    whl.writestr(zipfile.ZipInfo(record, date_time=(1980, 1, 1, 0, 0, 0)), "\\n".join(lines) + "\\n")
data = open("/tmp/numpy.whl", "rb").read()
open("/out/" + WHEEL_OUT, "wb").write(data)
lock["packages"]["numpy"] = {**numpy, "file_name": WHEEL_OUT, "sha256": hashlib.sha256(data).hexdigest()}
json.dump(lock, open("/out/pyodide-lock.json", "w"), separators=(",", ":"))
print(f"compiled {sum(n.endswith('.pyc') for n, _ in stdlib)} standard-library and "
      f"{sum(n.endswith('.pyc') for n, _ in files)} numpy modules to bytecode")
`);
