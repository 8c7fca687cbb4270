"""The function code: ``functions/`` and ``shared/`` as they are, one asset for every function."""

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE_DIR = ROOT / "build" / "function-code"
PACKAGES = ("functions", "shared")
_IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc")


def _sources() -> list[Path]:
    return sorted(
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    )


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for path in _sources():
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def stage_code(parent: Path = CODE_DIR) -> Path:
    """The runtime packages (Python sources only) copied into ``parent/<fingerprint>``.

    The directory is named by its content and never changed once made, so processes that
    synthesize at once (parallel test workers) can share it: the first makes it under a private
    name and renames it into place, the others find it (or lose the rename race, harmlessly).
    Directories of older sources stay until ``make clean``.
    """
    target = parent / _fingerprint()
    if target.is_dir():
        return target
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=parent))
    for package in PACKAGES:
        shutil.copytree(ROOT / package, staging / package, ignore=_IGNORED)
    try:
        os.rename(staging, target)
    except OSError:  # another process put the same content there first
        shutil.rmtree(staging, ignore_errors=True)
    return target
