"""The function code: ``functions/`` and ``shared/`` as they are, one asset for every function."""

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE_DIR = ROOT / "build" / "function-code"
PACKAGES = ("functions", "shared")


def stage_code(target: Path = CODE_DIR) -> Path:
    """Copy the runtime packages into ``target`` (fresh each time, Python sources only)."""
    staging = target.with_name(target.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, staging / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return target
