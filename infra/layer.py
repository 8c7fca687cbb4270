"""The Lambda layer of third-party packages, built without Docker.

pip installs the wheels for the Lambda platform (manylinux aarch64, CPython 3.13) straight from
the package index, so the compiled pydantic_core is the arm64 build whatever machine builds it.
boto3 and its dependencies come with the Lambda runtime and are left out.
"""

import fcntl
import hashlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ROOT / "requirements" / "lambda.txt"
LAYER_DIR = ROOT / "build" / "layer"
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


def _fingerprint() -> str:
    return hashlib.sha256(REQUIREMENTS.read_bytes() + " ".join(PLATFORM).encode()).hexdigest()


def _drop_runtime_packages(site: Path) -> None:
    for entry in site.iterdir():
        name = entry.name.split("-")[0].lower()
        if name in FROM_RUNTIME or entry.name in {"six.py", "__pycache__"}:
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    for cache in site.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)


def build_layer(target: Path = LAYER_DIR) -> Path:
    """Build the layer into ``target`` (``target/python/...``) unless it is up to date; return it."""
    stamp = target / ".requirements-sha256"
    target.parent.mkdir(parents=True, exist_ok=True)
    with (target.parent / ".layer.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # parallel test workers build it once
        if stamp.exists() and stamp.read_text() == _fingerprint():
            return target
        staging = Path(tempfile.mkdtemp(prefix="layer-", dir=target.parent))
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
                "--target",
                str(staging / "python"),
                "-r",
                str(REQUIREMENTS),
            ],
            check=True,
        )
        _drop_runtime_packages(staging / "python")
        (staging / stamp.name).write_text(_fingerprint())
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
        return target


if __name__ == "__main__":
    print(build_layer())
