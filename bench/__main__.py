"""``python -m bench``: run the benchmarks, print them and write them to docs/benchmarks.md.

Exits 1 when a target is missed (or a benchmark breaks), after the report is written, so CI can
keep the numbers of a failing run.
"""

import argparse
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from bench import cold_start
from bench.report import REPORT_FILE, ROOT, Section, machine, now, write

BENCHMARKS = ("cold", "units", "calls", "http", "tasks", "eval", "orders", "plans")


def _guarded(title: str, run: Callable[[], Section]) -> Section:
    """A benchmark that raises becomes a failed section instead of losing the whole report."""
    try:
        return run()
    except Exception as error:  # reported as a failure, and the run exits non-zero
        detail = "".join(traceback.format_exception(error)[-6:])
        return Section(title, f"The benchmark failed:\n\n```\n{detail}```\n", [f"{title}: {error}"])


def _units(route_units: Any, local: Any) -> Section:
    """Section 2, and docs/cost.md's tables worked out from its figures."""
    from bench import cost_model  # noqa: PLC0415

    section, results, facts = route_units.run(local)
    cost_model.write(route_units.cost_inputs(results, facts))
    return cast(Section, section)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", choices=BENCHMARKS, action="append", help="run only these (repeatable)")
    parser.add_argument("--repeats", type=int, default=5, help="most fresh processes per handler (default 5)")
    parser.add_argument(
        "--cold-budget", type=float, default=180.0, help="seconds for the cold-start rounds (default 180)"
    )
    parser.add_argument("--duration", type=float, default=8.0, help="seconds per throughput run (default 8)")
    parser.add_argument("--requests", type=int, default=1500, help="request cap per throughput run")
    parser.add_argument("--no-breakdown", action="store_true", help="skip the -X importtime breakdown")
    parser.add_argument("--report", type=Path, default=REPORT_FILE, help="the Markdown file to write")
    args = parser.parse_args(argv)
    chosen = args.only or list(BENCHMARKS)
    os.chdir(ROOT)  # children import the handlers from this tree

    started_at, started = now(), time.perf_counter()
    info = machine()
    sections: list[Section] = []
    if "cold" in chosen:
        # First, while this process has no moto, no threads and no clients competing for the CPU.
        print("cold start: fresh processes per handler ...", flush=True)
        sections.append(
            _guarded(
                "1. Cold start",
                lambda: cold_start.run(
                    repeats=args.repeats, budget_seconds=args.cold_budget, breakdown=not args.no_breakdown
                ),
            )
        )
    if {"units", "calls", "http", "tasks", "eval", "orders", "plans"} & set(chosen):
        from bench import (  # noqa: PLC0415
            due_work,
            dynamodb_calls,
            evaluation,
            plans,
            route_units,
            stack,
            throughput,
            work_orders,
        )

        local = stack.start()
        try:
            if "units" in chosen:
                print("capacity units per request ...", flush=True)
                sections.append(_guarded("2. Capacity units per request", lambda: _units(route_units, local)))
            if "calls" in chosen:
                print("DynamoDB calls per request ...", flush=True)
                sections.append(_guarded("3. DynamoDB calls per request", lambda: dynamodb_calls.run(local)))
            if "http" in chosen:
                print("HTTP throughput ...", flush=True)
                sections.append(
                    _guarded(
                        "4. Local API throughput over HTTP",
                        lambda: throughput.run(local, duration=args.duration, max_requests=args.requests),
                    )
                )
            if "tasks" in chosen:
                print("service tasks: engine throughput and due work ...", flush=True)
                sections.append(_guarded("5. Service tasks", lambda: due_work.run(local)))
            if "eval" in chosen:
                print("evaluation: units, items read and 10,000 transitions ...", flush=True)
                sections.append(_guarded("6. Evaluation and notifications", lambda: evaluation.run(local)))
            if "orders" in chosen:
                print("work orders: calls per change, list pages at 20,000 orders ...", flush=True)
                sections.append(_guarded("7. Work orders", lambda: work_orders.run(local)))
            if "plans" in chosen:
                print("service plans: a bulk assignment of 500 assets ...", flush=True)
                sections.append(_guarded("8. Service plans", lambda: plans.run(local)))
        finally:
            local.stop()
    write(started_at, info, sections, time.perf_counter() - started, args.report.resolve())
    failed = [failure for section in sections for failure in section.failures]
    if failed:
        print(f"\n{len(failed)} target(s) missed; see above.", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
