"""Run every benchmark in bench/ (each a script that prints its own figures): `./dev bench [ARGS]`.

ARGS are passed to every benchmark; each reads the options it knows and ignores the others,
so `./dev bench --dossiers 2000` shrinks the registry benchmark without breaking another one.
Exits non-zero when a benchmark fails, after running the others.
"""

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def benchmarks() -> list[Path]:
    return sorted(p for p in HERE.glob("*.py") if p.name != "run.py" and not p.name.startswith("_"))


def run(script: Path, args: list[str]) -> bool:
    print(f"\n=== bench/{script.name}", flush=True)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, str(script), *args], check=False)
    print(
        f"=== bench/{script.name}: {'ok' if result.returncode == 0 else 'FAILED'} "
        f"in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    return result.returncode == 0


def main(args: list[str]) -> int:
    failed = [script.name for script in benchmarks() if not run(script, args)]
    if failed:
        print(f"\nFailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
