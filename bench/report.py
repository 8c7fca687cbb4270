"""Markdown output: tables, the machine description, and docs/benchmarks.md (the latest run)."""

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
writes its latest results here, with the machine it ran on; earlier runs are in this file's git
history (`git log -p docs/benchmarks.md`). Compare runs from the same machine only; other work
on the machine shows up in wall times (the load average at the start is recorded for that
reason). The run exits non-zero when a target is missed, after writing the file.

## What is measured

1. **Cold start as deployed** (`bench/cold_start.py`). Lambda's init phase is mostly imports, so
   each handler module of the route table is imported in fresh processes, in the environment its
   function gets in AWS (`infra/stages.py`: the stage's variables, and what the Lambda runtime
   sets), once per stage setting that changes the imports: tracing off, as every stage of
   `cdk.json` has it, and tracing on, where the X-Ray SDK loads. Nothing touches the network;
   `.pyc` files are compiled first. The baseline is the floor every function pays anyway:
   `import boto3; boto3.client("dynamodb")`. Runs are interleaved (a baseline between every few
   handlers, order shuffled per round). Reported: median wall time and the ratio to the
   baseline's (**target: at most 1.5 as deployed, aim 1.25**), peak RSS, each function's deployed
   size (its code and layers unpacked), and one handler written with Powertools'
   `APIGatewayRestResolver(enable_validation=True)` beside ours (`bench/powertools_handler.py`).
   A breakdown from `python -X importtime` shows which packages the time goes to.
2. **Capacity units per request** (`bench/route_units.py`, `bench/capacity.py`). Every route of
   the API, through the emulated API Gateway, with a meter on the shared DynamoDB client that
   prices each call by DynamoDB's rules (item sizes, 1 KB write and 4 KB read units, consistency,
   transactions at twice the price, one write per index entry added, changed or removed, sized on
   the projection). Write and read units per request by table and index, calls, handler time and
   the bytes logged. **Targets: at most 3 write units** for one reading of an asset with 5 open
   tasks (2 upcoming), **at most 2 per reading** in a batch of one reading each for 50 assets;
   reported: a week of hourly readings of that asset (the average a reading costs over time,
   threshold crossings included) and the read units of a due-work page of 50. docs/cost.md turns
   these figures into dollars.
3. **DynamoDB calls per request** (`bench/dynamodb_calls.py`). Against the embedded moto, through
   the emulated API Gateway, botocore hooks on the shared client count calls per operation and
   HTTP attempts. **Targets: one call** for reading an asset, a page of the asset list, creating
   an asset and updating one (without `Idempotency-Key`). Recording one reading and a batch of
   100 readings over 10 assets are reported without a target. Each request is measured warm.
4. **Local API throughput** (`bench/throughput.py`). The local HTTP server, 8 client threads with
   keep-alive connections: `GET /assets/{id}` and `POST /assets/{id}/readings`. Requests per
   second, p50 and p99 latency, DynamoDB calls per request. A baseline, no target, but any
   non-2xx answer fails the run. moto serializes its requests and the load generator shares the
   server's process, so these numbers describe the local stack, not AWS.
5. **Service tasks** (`bench/due_work.py`). The due engine's throughput over a thousand different
   tasks (**target: 200,000 tasks/s**) and the items a page of "what is due" reads at 1,000 and
   20,000 tasks (**target: the page and one more**).
6. **Evaluation and notifications** (`bench/evaluation.py`). The evaluator's write units per
   transition, the items a run reads per transition at 10,000 and 100,000 tasks (**target: at
   most 1.1**, fleet ratio at most 1.05) and 10,000 transitions among 100,000 tasks on the local
   stack (**target: 240 s**, at most 1.2 items read per due task).
7. **Work orders** (`bench/work_orders.py`). DynamoDB calls and items written per request
   (**targets: at most 5 calls / 8 items** to open an order of 1 asset, 1 task and 1 assignee,
   **4 / 6** to move its status, **6 / 9** to close it complete), with their write units; the
   items a page of 50 reads at 20,000 orders for each list that reads one key range (**target:
   the page and one more**), and the items a filtered page (`q`) examines, reported.
8. **Service plans** (`bench/plans.py`, `bench/provider_view.py`). A bulk assignment of 500 assets
   to a plan of one planned service, the owner providing for it, or a provider on a customer's 500
   granted assets: DynamoDB calls per asset (**target: at most 1.1**, and **2.1** on assets with 5
   open tasks each) and items written per asset (**target: at most 3**: the assignment, the task,
   the asset, one transaction each; **4** by a provider, its link too; the plan's mark as used is
   once per request). A provider's view of its customers' assets (`GET /provided-assets`, a page of
   50, needing service and all) at 1,000 and 20,000 granted assets: **at most 51 items read**.
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
    # The latest run only; earlier ones are in git's history of the file.
    path.write_text(HEADER + "\n" + text, encoding="utf-8")
    return text


def now() -> datetime:
    return datetime.now(UTC)
