"""``make fuzz``: the schemathesis command line, every phase, a fresh seed, against a real server.

Starts ``servicecycle dev --no-demo`` on a free port (its own moto, its own state folder), runs
``schemathesis run`` with the examples, coverage, fuzzing and stateful phases, every check but
ignored_auth and positive_data_acceptance, plus our own checks (tests/security/fuzz_checks.py:
schema_agreement, errors_name_the_field), then stops the server. Prints the seed first, so any
run can be repeated with ``FUZZ_SEED=<seed> make fuzz``; reports go to build/fuzz/<seed>/.

Whatever a run finds is fixed with a derandomized regression test in ``make test``.
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
HOOKS = "tests.security.fuzz_checks"
EXCLUDED = "ignored_auth,positive_data_acceptance"
PHASES = "examples,coverage,fuzzing,stateful"


def _start_server(home: str) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "SERVICECYCLE_HOME": home}
    for name in ("AWS_ENDPOINT_URL", "TABLE_NAME"):
        env.pop(name, None)
    server = subprocess.Popen(
        [sys.executable, "-m", "local.cli", "dev", "--port", "0", "--no-demo", "--quiet"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert server.stdout is not None
    for line in server.stdout:
        if "local API on" in line:
            # Keep reading its output in the background so the pipe never fills up.
            subprocess.Popen(["cat"], stdin=server.stdout, stdout=subprocess.DEVNULL)
            return server, line.split(" on ")[1].split()[0]
    raise RuntimeError("the local server did not start")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=int(os.environ.get("FUZZ_SEED") or 0) or None)
    parser.add_argument("--examples", type=int, default=int(os.environ.get("FUZZ_EXAMPLES", "100")))
    parser.add_argument("--workers", default=os.environ.get("FUZZ_WORKERS", "2"))
    args = parser.parse_args(argv)
    seed = args.seed or random.SystemRandom().randrange(1, 2**31)
    print(f"fuzz seed: {seed} (repeat with FUZZ_SEED={seed} make fuzz)", flush=True)
    reports = PROJECT / "build" / "fuzz" / str(seed)
    with tempfile.TemporaryDirectory() as home:
        os.environ["SERVICECYCLE_HOME"] = home
        from local.auth import issue_token  # noqa: PLC0415 - after the state folder is chosen

        server, base = _start_server(home)
        try:
            token = issue_token(f"fuzz-{seed}")
            command = [
                str(Path(sys.executable).with_name("schemathesis")),
                "run",
                f"{base}/openapi.json",
                "--header",
                f"Authorization: Bearer {token}",
                "--checks",
                "all",
                "--exclude-checks",
                EXCLUDED,
                "--phases",
                PHASES,
                "--max-examples",
                str(args.examples),
                "--seed",
                str(seed),
                "--workers",
                str(args.workers),
                "--report",
                "junit,ndjson",
                "--report-dir",
                str(reports),
            ]
            env = {**os.environ, "SCHEMATHESIS_HOOKS": HOOKS, "PYTHONPATH": str(PROJECT)}
            result = subprocess.run(command, cwd=PROJECT, env=env, check=False)
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"fuzz seed: {seed}; reports in {reports.relative_to(PROJECT)}", flush=True)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
