"""Markdown output: tables, the machine description, and the append to docs/benchmarks.md."""

import math
import os
import platform
import statistics
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT_FILE = ROOT / "docs" / "benchmarks.md"

HEADER = """\
# Benchmarks

`make bench` (`.venv/bin/python -m bench` from the repository root) runs the suite below and
appends one dated section per run to this file, with the machine it ran on. Compare runs from
the same machine only; other work on the machine shows up in wall times (the load average at
the start of each run is recorded for that reason). The run exits non-zero when a target is
missed, after writing its section.

## What is measured

1. **Cold start** (`bench/cold_start.py`). Lambda's init phase is mostly imports, so each handler
   module of the route table is imported in fresh processes (`python -c "import <module>"`, with
   the handler environment of `local/settings.py` and dummy credentials; nothing touches the
   network; `.pyc` files already compiled). The baseline is the floor every function pays
   anyway: `import boto3; boto3.client("dynamodb")`. Runs are interleaved (a baseline run
   between every few handlers, order shuffled per round) so drift on the machine affects both
   alike; up to 7 rounds, as many as fit 100 s, at least 3. Reported: median wall time and the
   ratio to the baseline's median (**target: ratio at most 1.5, aim 1.25**), the CPU time ratio
   (less sensitive to other load), and peak RSS (the child's `ru_maxrss`) against the
   baseline's (no target). A breakdown from `python -X importtime` for the main handlers shows
   which packages the time goes to, and how long the garbage collector paused meanwhile.
2. **DynamoDB calls per request** (`bench/dynamodb_calls.py`). Against the embedded moto, through
   the emulated API Gateway, botocore hooks on the shared client count calls per operation
   (`before-parameter-build`, with the items a transaction or batch carries) and HTTP attempts
   (`before-send`, so retries would show). **Targets: one call** for reading an asset, a page of
   the asset list, creating an asset and updating one (both without `Idempotency-Key`).
   Recording one reading and a batch of 100 readings over 10 assets (by `asset_id` and by
   `external_id`) are reported without a target. Each request is measured on a warm function
   (after one earlier request of the same kind), as most invocations are; the earlier one's
   count is shown as well.
3. **Local API throughput** (`bench/throughput.py`). The local HTTP server on a free port, 8
   client threads with keep-alive connections: `GET /assets/{id}` and `POST
   /assets/{id}/readings` (each client on its own asset, so meters only go up), for a fixed time
   or request count. Requests per second, p50 and p99 latency, DynamoDB calls per request
   (retries under concurrency would raise it). A baseline, no target, but any non-2xx answer
   fails the run. moto serializes its requests and the load generator shares the server's
   process (and GIL), so these numbers describe the local stack, not AWS.
"""


@dataclass
class Section:
    """One benchmark's result: Markdown for the report and the targets it missed."""

    title: str
    body: str
    failures: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        return f"### {self.title}\n\n{self.body.rstrip()}\n"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], align: str = "") -> str:
    """A Markdown table; ``align`` has one letter per column (l or r), default left."""
    marks = {"l": ":---", "r": "---:"}
    spec = [marks[align[i]] if i < len(align) else "---" for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(spec) + " |"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (p99 of 400 samples is the 396th smallest)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(round(fraction * len(ordered), 9)))
    return ordered[min(rank, len(ordered)) - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def _git(*args: str) -> str:
    # Read-only commands; --no-optional-locks keeps `status` from taking the index lock that
    # other people's git commands in this tree may need at the same time.
    try:
        result = subprocess.run(
            ["git", "--no-optional-locks", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def machine() -> dict[str, str]:
    commit = _git("rev-parse", "--short", "HEAD") or "unknown"
    if _git("status", "--porcelain", "--untracked-files=no"):
        commit += " + uncommitted changes"
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return {
        "CPUs": str(os.cpu_count()),
        "Python": f"{platform.python_version()} ({platform.python_implementation()})",
        "Platform": platform.platform(),
        "Processor": platform.machine(),
        "Load average at start (1, 5, 15 min)": load,
        "Commit": commit,
    }


def run_header(started: datetime, info: dict[str, str], elapsed_seconds: float, failures: list[str]) -> str:
    lines = [f"## Run of {started.strftime('%Y-%m-%d %H:%M UTC')}", ""]
    lines += [f"- {name}: {value}" for name, value in info.items()]
    lines.append(f"- Duration of the run: {elapsed_seconds:.0f} s")
    verdict = "all targets met" if not failures else f"{len(failures)} target(s) missed"
    lines.append(f"- Result: **{verdict}**")
    lines += [f"  - {failure}" for failure in failures]
    return "\n".join(lines) + "\n"


def write(
    started: datetime,
    info: dict[str, str],
    sections: list[Section],
    elapsed_seconds: float,
    path: Path = REPORT_FILE,
) -> str:
    """Print the run's section and append it to ``path`` (docs/benchmarks.md); returns the Markdown."""
    failures = [failure for section in sections for failure in section.failures]
    text = run_header(started, info, elapsed_seconds, failures)
    text += "".join("\n" + section.markdown() for section in sections)
    sys.stdout.write("\n" + text)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(HEADER, encoding="utf-8")
    with path.open("a", encoding="utf-8") as report:  # earlier runs stay as they were
        report.write("\n" + text)
    return text


def now() -> datetime:
    return datetime.now(UTC)
