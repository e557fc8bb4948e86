"""Which notebook outputs move when PyTorch, MKL or oneDNN take another code path, and how far.

A learner's laptop, a teacher's CI or a Binder session runs other kernels than the machine that
executed the notebooks: another SIMD width (AVX-512, AVX2, SSE, ARM's NEON), another thread
count. This script re-executes the chapters under switches that force such paths here and
compares two things with a plain run:

- the text outputs that nbval checks (streams, text/plain, text/markdown, text/html), cell by
  cell: a difference here fails nbval on such a machine;
- every number the notebook computed (floats, tensors, lists, a History's losses), at full
  precision: how far each one moved, relative to its size. A printed number is stable when it
  is rounded far more coarsely than that.

Usage: ``python benchmarks/cpu_paths.py`` (all switches, all chapters, ~5 min on 2 cores) or
``--configs aten-default omp-1 --notebooks notebooks/04_lstm_gates.ipynb``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# name -> environment: each forces a code path another machine would take
CONFIGS: dict[str, dict[str, str]] = {
    "native": {},
    "aten-default": {"ATEN_CPU_CAPABILITY": "default"},  # PyTorch's generic kernels
    "aten-avx2": {"ATEN_CPU_CAPABILITY": "avx2"},
    "mkl-sse42": {"MKL_ENABLE_INSTRUCTIONS": "SSE4_2"},  # MKL's GEMM without AVX
    "mkl-cbwr": {"MKL_CBWR": "COMPATIBLE"},  # MKL's reproducible-anywhere path
    "onednn-sse41": {"ONEDNN_MAX_CPU_ISA": "SSE41"},  # oneDNN without AVX
    "omp-1": {"OMP_NUM_THREADS": "1"},  # one thread where the setup cell sets none
    "all-generic": {
        "ATEN_CPU_CAPABILITY": "default",
        "MKL_ENABLE_INSTRUCTIONS": "SSE4_2",
        "ONEDNN_MAX_CPU_ISA": "SSE41",
        "OMP_NUM_THREADS": "1",
    },
}

# appended to every notebook: every number in the kernel's globals, at full precision
DUMP = r"""
import json as _json, numbers as _numbers
import torch as _torch

def _numbers_in(value, depth=0):
    if isinstance(value, bool):
        return []
    if isinstance(value, _numbers.Real):
        return [float(value)]
    if isinstance(value, _torch.Tensor):
        if value.is_floating_point() and value.numel() <= 100_000:
            return value.detach().double().flatten().tolist()
        return []
    if hasattr(value, "record_loss_train"):
        return [float(v) for v in value.record_loss_train]
    if depth < 3 and isinstance(value, (list, tuple)):
        return [x for item in value for x in _numbers_in(item, depth + 1)]
    if depth < 3 and isinstance(value, dict):
        return [x for item in value.values() for x in _numbers_in(item, depth + 1)]
    return []

_found = {}
for _name, _value in list(globals().items()):
    if not _name.startswith("_"):
        _values = _numbers_in(_value)
        if _values:
            _found[_name] = _values
print("@@NUMBERS@@" + _json.dumps(_found))
"""


_WIDGET = "application/vnd.jupyter.widget"


def _text(cell: dict) -> str:
    """What nbval compares in a code cell's outputs, as one string."""
    parts = []
    for out in cell.get("outputs", []):
        if out["output_type"] == "stream":
            parts.append(out["text"])
        elif out["output_type"] == "error":
            parts.append(f"{out['ename']}: {out['evalue']}")
        else:  # every text nbval compares: text/*, and any other type that is not an image
            data = out.get("data", {})
            parts += [v for k, v in sorted(data.items()) if not k.startswith(("image/", _WIDGET))]
    return "".join(p if isinstance(p, str) else "".join(p) for p in parts)


def run_one(path: Path) -> dict:
    """Execute one notebook in this process's environment; its texts and its numbers."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(DUMP))
    start = time.perf_counter()
    NotebookClient(nb, timeout=600, resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - start
    dump = nb.cells.pop()
    marker = "@@NUMBERS@@"
    line = next(o["text"] for o in dump.outputs if marker in o.get("text", ""))
    numbers = json.loads(line.split(marker, 1)[1])
    texts = {
        i: _text(c)
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and "NBVAL_IGNORE_OUTPUT" not in c.source
    }
    return {"texts": texts, "numbers": numbers, "seconds": seconds}


def _relative(a: list[float], b: list[float]) -> float:
    """The largest change of any element, relative to the largest element: what a number
    printed to a few significant digits of the whole would see."""
    if len(a) != len(b):
        return float("inf")
    scale = max((abs(x) for x in a), default=0.0) or 1e-30
    return max((abs(x - y) for x, y in zip(a, b, strict=True)), default=0.0) / scale


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--configs", nargs="*", default=list(CONFIGS))
    parser.add_argument("--notebooks", nargs="*", type=Path)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:  # one notebook in one configuration, in a fresh process
        args.out.write_text(json.dumps(run_one(args.child)))
        return 0
    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    configs = ["native"] + [c for c in args.configs if c != "native"]
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    status = 0
    with tempfile.TemporaryDirectory() as tmp:
        for path in notebooks:
            runs = {}
            for name in configs:
                out = Path(tmp) / f"{path.stem}-{name}.json"
                env = {**os.environ, "HELPERS_PROGRESS": "0", **CONFIGS[name]}
                cmd = [sys.executable, __file__, "--child", str(path), "--out", str(out)]
                subprocess.run(cmd, env=env, check=True)
                runs[name] = json.loads(out.read_text())
            print(f"\n== {path.name}")
            base = runs["native"]
            for name in configs[1:]:
                run = runs[name]
                changed = [i for i, t in base["texts"].items() if run["texts"].get(i) != t]
                moved = {
                    k: _relative(v, run["numbers"][k])
                    for k, v in base["numbers"].items()
                    if k in run["numbers"]
                }
                moved = {k: d for k, d in moved.items() if d > 0}
                top = sorted(moved.items(), key=lambda kv: -kv[1])[:6]
                print(
                    f"  {name:13s} {run['seconds']:5.1f} s; checked outputs changed: "
                    f"{changed or 'none'}; numbers moved: {len(moved)}/{len(base['numbers'])}"
                )
                if top:
                    print(
                        "    largest relative moves: " + ", ".join(f"{k} {d:.0e}" for k, d in top)
                    )
                for i in changed:
                    status = 1
                    print(f"    cell {i} native: {base['texts'][i][:300]!r}")
                    print(f"    cell {i} {name}: {run['texts'].get(i, '')[:300]!r}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
