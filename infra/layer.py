"""The Lambda layers of third-party packages, built without Docker.

pip installs the wheels for the Lambda platform (manylinux aarch64, CPython 3.13) straight from
the package index, so the compiled pydantic_core is the arm64 build whatever machine builds it.
boto3 and its dependencies come with the Lambda runtime and are left out.

Two layers, by need: ``core`` (requirements/lambda.txt) for every function, ``reports``
(requirements/reports.txt: openpyxl, fpdf2 and theirs) only for the functions whose route asks
for it (``Route.layers``), so no other function carries 40 MB of file libraries.
"""

import fcntl
import hashlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Locks compiled by `make lock` from requirements/*.in: every package of the layer, pinned.
REQUIREMENTS = {
    "core": ROOT / "requirements" / "lambda.txt",
    "reports": ROOT / "requirements" / "reports.txt",
}
LAYERS_DIR = ROOT / "build" / "layers"
PLATFORM = ("--platform", "manylinux2014_aarch64", "--implementation", "cp", "--python-version", "3.13")
# Provided by the python3.13 runtime (boto3 and what it needs); shipping them would shadow it.
FROM_RUNTIME = (
    "boto3",
    "botocore",
    "s3transfer",
    "jmespath",
    "dateutil",
    "python_dateutil",
    "urllib3",
    "six",
)


def _fingerprint(name: str) -> str:
    return hashlib.sha256(REQUIREMENTS[name].read_bytes() + " ".join(PLATFORM).encode()).hexdigest()


def _drop_runtime_packages(site: Path) -> None:
    for entry in site.iterdir():
        package = entry.name.split("-")[0].lower()
        if package in FROM_RUNTIME or entry.name in {"six.py", "__pycache__"}:
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    for cache in site.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)


def build_layer(name: str = "core", target: Path | None = None) -> Path:
    """Build layer ``name`` into ``target`` (``target/python/...``) unless it is up to date."""
    target = target or LAYERS_DIR / name
    stamp = target / ".requirements-sha256"
    target.parent.mkdir(parents=True, exist_ok=True)
    with (target.parent / f".{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # parallel test workers build it once
        if stamp.exists() and stamp.read_text() == _fingerprint(name):
            return target
        staging = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=target.parent))
        subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                *PLATFORM,
                "--only-binary=:all:",
                "--no-deps",  # the requirements are a lock: every package, pinned
                "--target",
                str(staging / "python"),
                "-r",
                str(REQUIREMENTS[name]),
            ],
            check=True,
        )
        _drop_runtime_packages(staging / "python")
        (staging / stamp.name).write_text(_fingerprint(name))
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
        return target


def build_layers() -> dict[str, Path]:
    return {name: build_layer(name) for name in REQUIREMENTS}


def unzipped_mb(path: Path) -> float:
    """What a layer or code directory takes once Lambda has unpacked it."""
    return sum(entry.stat().st_size for entry in path.rglob("*") if entry.is_file()) / 1_000_000


if __name__ == "__main__":
    for layer, path in build_layers().items():
        print(f"{layer}: {path} ({unzipped_mb(path):.1f} MB)")
