"""Cold-start cost of each handler as deployed: importing its module in a fresh process, in the
environment its function gets (infra/stages.py), for each stage setting, against bare boto3.

Lambda's init phase runs the handler module's imports and module-level code (here: creating the
DynamoDB client). Every function pays for boto3 and a client anyway, so that is the baseline and
the target is a ratio to it, which travels between machines better than absolute times. The
stage settings that change imports are measured apart: tracing off (as every stage in cdk.json
is today) and on (the X-Ray SDK loads). A variant of one handler written with Powertools' event
handler weighs our HTTP layer against it. Each function's deployed size is its code and layers
unpacked.
"""

import os
import random
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field

from bench.report import ROOT, Section, median, table
from infra.function_code import stage_code
from infra.layer import build_layers, unzipped_mb
from infra.stages import StageSettings, function_environment, stage_settings
from shared.routes import ROUTES, Route

TARGET_RATIO = 1.5
AIM_RATIO = 1.25
BASELINE = "boto3 + DynamoDB client"
BASELINE_CODE = "import boto3; boto3.client('dynamodb')"
BARE = "bare interpreter"
# The same handler with Powertools' APIGatewayRestResolver(enable_validation=True).
POWERTOOLS_VARIANT = "bench.powertools_handler"
VARIANT_OF = "functions.readings.record_reading"
TRACING = {False: "tracing off", True: "tracing on"}
# A baseline run after every few handler runs, so slow phases of the machine (other people's
# test runs share these 2 cores) hit the baseline as often as the handlers.
BASELINE_EVERY = 5
MIN_ROUNDS = 3
# The handlers the importtime breakdown covers (one extra process each, about a second).
BREAKDOWN_MODULES = (
    "functions.assets.get_asset",
    "functions.assets.create_asset",
    "functions.assets.list_assets",
    "functions.readings.record_reading",
    "functions.readings.record_readings_batch",
    "functions.system.health",
    "functions.system.openapi_document",
    "functions.system.docs_page",
)
# Modules whose own code creates the DynamoDB client: their self time is that creation.
CLIENT_MODULES = frozenset({"bench.baseline_client", "shared.data.dynamo"})
CLIENT = "DynamoDB client creation"
BOTO_PACKAGES = frozenset({"boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six"})


@dataclass
class Samples:
    wall: list[float] = field(default_factory=list)  # seconds
    cpu: list[float] = field(default_factory=list)  # user + system seconds
    rss_kb: list[int] = field(default_factory=list)  # peak resident set size


def child_environment(route: Route | None = None, settings: StageSettings | None = None) -> dict[str, str]:
    """What a function sees in Lambda: its stage's environment (infra/stages.py) and what the
    Lambda runtime sets; nothing from this shell.

    Config and credential files point nowhere so a developer's ~/.aws cannot change the work
    boto3 does; the endpoint is a closed port because importing must not need the network.
    """
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "TZ") if name in os.environ}
    env.update(
        {
            "AWS_REGION": "eu-west-1",
            "AWS_DEFAULT_REGION": "eu-west-1",
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "PYTHONPATH": str(ROOT),
        }
    )
    if route is not None and settings is not None:
        env.update(function_environment(route, settings, "servicecycle-bench"))
        # As in Lambda, so Powertools' Tracer sets X-Ray up when tracing is on.
        env.update({"LAMBDA_TASK_ROOT": str(ROOT), "AWS_LAMBDA_FUNCTION_NAME": route.name})
    return env


def run_once(code: str, env: dict[str, str]) -> tuple[float, float, int]:
    """Wall time, CPU time and peak RSS (KiB) of ``python -c code`` in a fresh process.

    posix_spawn and wait4 rather than subprocess: wait4 returns this one child's resource usage
    (its own ru_maxrss), with no wrapper code inside the measured process.
    """
    null_out = (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)
    null_err = (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)
    started = time.perf_counter()
    pid = os.posix_spawn(sys.executable, [sys.executable, "-c", code], env, file_actions=[null_out, null_err])
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        # Run it again with the output kept, to say why.
        failed = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
        )
        raise RuntimeError(f"`python -c {code!r}` failed:\n{failed.stderr[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def route_modules() -> list[str]:
    return list(dict.fromkeys(route.module for route in ROUTES))


@dataclass(frozen=True)
class Case:
    code: str
    env: dict[str, str]


def measure(
    cases: dict[str, Case], repeats: int, budget_seconds: float, seed: int = 20261124
) -> dict[str, Samples]:
    """Rounds of fresh processes, up to ``repeats`` of them or as many as fit the budget.

    At least MIN_ROUNDS rounds always run; another starts only if a round as long as the last
    one still ends within the budget. On a busy machine (other people's tests share these two
    cores) that keeps ``make bench`` within its few minutes, at the price of fewer samples;
    the report says how many there were.
    """
    base_env = child_environment()
    everything = {BARE: Case("pass", base_env), BASELINE: Case(BASELINE_CODE, base_env), **cases}
    # Warm-up, not measured: compile every .pyc once and bring the files into the page cache.
    for case in cases.values():
        run_once(case.code, case.env)
    samples: dict[str, Samples] = defaultdict(Samples)
    rng = random.Random(seed)
    started = time.perf_counter()
    for done in range(repeats):
        elapsed = time.perf_counter() - started
        if done >= MIN_ROUNDS and elapsed + elapsed / done > budget_seconds:
            break
        round_started = time.perf_counter()
        order = list(cases)
        rng.shuffle(order)  # no handler always runs right after the same neighbour
        plan = [BARE]
        for index, name in enumerate(order):
            if index % BASELINE_EVERY == 0:
                plan.append(BASELINE)
            plan.append(name)
        plan.append(BASELINE)
        for name in plan:
            wall, cpu, rss = run_once(everything[name].code, everything[name].env)
            samples[name].wall.append(wall)
            samples[name].cpu.append(cpu)
            samples[name].rss_kb.append(rss)
        print(f"  round {done + 1}: {time.perf_counter() - round_started:.0f} s", file=sys.stderr, flush=True)
    return samples


# Runs before the import under -X importtime: sums the garbage collector's pauses and reports
# them on stderr at exit. Those pauses also land in the self time of whichever module was
# running, which is why an unremarkable module (statistics, zoneinfo) sometimes looks slow.
_GC_PROBE = (
    "import atexit, gc, sys, time\n"
    "_gc = [0.0, 0.0]\n"
    "def _probe(phase, info):\n"
    "    if phase == 'start':\n"
    "        _gc[1] = time.perf_counter()\n"
    "    else:\n"
    "        _gc[0] += time.perf_counter() - _gc[1]\n"
    "gc.callbacks.append(_probe)\n"
    "atexit.register(lambda: print(f'gc-pauses-ms {_gc[0] * 1000:.1f}', file=sys.stderr))\n"
)


@dataclass
class Breakdown:
    total_ms: float  # sum of the self times of every import
    gc_ms: float  # garbage collector pauses during the run (inside the self times)
    packages: dict[str, float]  # self time per top-level package


def import_breakdown(code: str, env: dict[str, str]) -> Breakdown:
    """Self time per top-level package (ms) from ``-X importtime``, and the GC's pauses.

    The standard library is one group; a package's self time includes its module-level code,
    except the modules that create the DynamoDB client, which are a group of their own.
    """
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", _GC_PROBE + code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    packages: dict[str, float] = defaultdict(float)
    gc_ms = 0.0
    for line in result.stderr.splitlines():
        if line.startswith("gc-pauses-ms "):
            gc_ms = float(line.split()[1])
        if not line.startswith("import time:") or "imported package" in line:
            continue
        self_us, _cumulative, name = (part.strip() for part in line[len("import time:") :].split("|"))
        top = name.split(".")[0]
        if name in CLIENT_MODULES:
            group = CLIENT
        elif top in sys.stdlib_module_names or top.startswith("_"):
            group = "(stdlib)"
        else:
            group = top
        packages[group] += int(self_us) / 1000
    return Breakdown(sum(packages.values()), gc_ms, dict(packages))


def _verdict(ratio: float) -> str:
    if ratio > TARGET_RATIO:
        return "FAIL"
    return "PASS" if ratio <= AIM_RATIO else "PASS (above the 1.25 aim)"


def _breakdown_section(env: dict[str, str], modules: list[str], routes: dict[str, Route]) -> str:
    base = import_breakdown("import bench.baseline_client", env)
    boto_ms = sum(ms for package, ms in base.packages.items() if package in BOTO_PACKAGES)
    own = f"boto3 and its dependencies {boto_ms:.0f}, client creation {base.packages.get(CLIENT, 0):.0f}"
    rows = [[f"baseline ({BASELINE})", f"{base.total_ms:.0f}", f"{base.gc_ms:.0f}", own]]
    for module in modules:
        found = import_breakdown(f"import {module}", child_environment(routes[module], stage_settings("dev")))
        # What the handler adds over the baseline, biggest first.
        extra = {package: ms - base.packages.get(package, 0.0) for package, ms in found.packages.items()}
        top = sorted(extra.items(), key=lambda item: -item[1])[:6]
        described = ", ".join(f"{package} +{ms:.0f}" for package, ms in top if ms >= 1)
        rows.append([f"`{module}`", f"{found.total_ms:.0f}", f"{found.gc_ms:.0f}", described])
    return (
        "Where the import time goes (`python -X importtime`, one run each, self time summed per "
        "top-level package in ms; an importtime run is slower than a plain import and a single run "
        "is noisy, so read it for proportions). GC is the garbage collector's pauses during the "
        "imports, already inside the self times of the modules that happened to be running:\n\n"
        + table(["Import", "Total ms", "GC ms", "Added over the baseline, per package (ms)"], rows, "lrrl")
    )


def deployed_sizes() -> dict[str, float]:
    """Each route's function unpacked: its code and its layers (MB)."""
    code = unzipped_mb(stage_code())
    layers = {name: unzipped_mb(path) for name, path in build_layers().items()}
    return {
        route.module: code + layers["core"] + sum(layers[name] for name in route.layers) for route in ROUTES
    }


def _settings() -> dict[bool, str]:
    """The tracing settings to measure, each with the stages of cdk.json that have it."""
    stages = {name: stage_settings(name) for name in ("dev", "prod")}
    named = {
        tracing: ", ".join(name for name, settings in stages.items() if settings.tracing == tracing)
        for tracing in TRACING
    }
    return {tracing: f"{TRACING[tracing]} ({named[tracing] or 'no stage today'})" for tracing in TRACING}


def run(
    repeats: int = 5, budget_seconds: float = 180.0, modules: list[str] | None = None, breakdown: bool = True
) -> Section:
    modules = modules or route_modules()
    routes = {route.module: route for route in ROUTES}
    deployed = {
        tracing: stage_settings("dev") if not tracing else StageSettings("traced", tracing=True)
        for tracing in TRACING
    }
    cases = {
        f"{module} | {tracing}": Case(f"import {module}", child_environment(routes[module], settings))
        for module in modules
        for tracing, settings in deployed.items()
    }
    variant_env = child_environment(routes[VARIANT_OF], deployed[False])
    cases[POWERTOOLS_VARIANT] = Case(f"import {POWERTOOLS_VARIANT}", variant_env)
    started = time.perf_counter()
    samples = measure(cases, repeats, budget_seconds)
    seconds = time.perf_counter() - started
    base = samples[BASELINE]
    base_wall, base_rss = median(base.wall), median(base.rss_kb)
    sizes = deployed_sizes()
    labels = _settings()

    def ms_and_ratio(name: str) -> tuple[str, str]:
        wall = median(samples[name].wall)
        return f"{wall * 1000:.0f}", f"{wall / base_wall:.2f}"

    rows: list[list[object]] = []
    over: list[tuple[str, float]] = []
    by_time = sorted(modules, key=lambda module: -median(samples[f"{module} | False"].wall))
    for module in by_time:
        off, on = f"{module} | False", f"{module} | True"
        ratio = median(samples[off].wall) / base_wall
        rss = median(samples[off].rss_kb)
        rows.append(
            [
                f"`{module}`",
                *ms_and_ratio(off),
                *ms_and_ratio(on),
                f"{rss / 1024:.1f}",
                f"{rss / base_rss:.2f}",
                f"{sizes[module]:.1f}",
                _verdict(ratio),
            ]
        )
        if ratio > TARGET_RATIO:
            over.append((module.rsplit(".", 1)[-1], ratio))
    variant = median(samples[POWERTOOLS_VARIANT].wall)
    ours = median(samples[f"{VARIANT_OF} | False"].wall)
    passed = len(modules) - len(over)
    failures = []
    if over:
        worst = ", ".join(f"{name} {ratio:.2f}x" for name, ratio in over[:3])
        failures.append(
            f"cold start: {len(over)} of {len(modules)} handlers above {TARGET_RATIO}x the boto3 baseline "
            f"as deployed (worst: {worst})"
        )
    reference: list[list[object]] = [
        [
            "`python -c pass`",
            *ms_and_ratio(BARE),
            "",
            "",
            f"{median(samples[BARE].rss_kb) / 1024:.1f}",
            "",
            "",
            "reference",
        ],
        [
            f"`{BASELINE_CODE}`",
            *ms_and_ratio(BASELINE),
            "",
            "",
            f"{base_rss / 1024:.1f}",
            "1.00",
            "",
            "baseline",
        ],
    ]
    body = (
        f"Median of {len(samples[BASELINE].wall)} baseline runs and up to {repeats} fresh processes per "
        f"handler and setting (as many rounds as fit {budget_seconds:.0f} s), interleaved; {seconds:.0f} s. "
        f"Each handler imported in its function's environment (infra/stages.py): {labels[False]}, and "
        f"{labels[True]}. Ratios are to the baseline's median; target wall ratio <= {TARGET_RATIO} "
        f"(aim {AIM_RATIO}) as deployed (tracing off). {passed} of {len(modules)} handlers meet it. "
        "Deployed size: the function's code and layers unpacked.\n\n"
        + table(
            [
                "Handler",
                "Wall ms, off",
                "Ratio, off",
                "Wall ms, on",
                "Ratio, on",
                "Peak RSS MiB",
                "RSS ratio",
                "Deployed MB",
                "Result",
            ],
            reference + rows,
            "lrrrrrrrl",
        )
        + f"\n**The HTTP layer.** `{VARIANT_OF}` written with Powertools' "
        "`APIGatewayRestResolver(enable_validation=True)` and the same models and service "
        f"(`bench/powertools_handler.py`): {variant * 1000:.0f} ms against {ours * 1000:.0f} ms with our "
        f"`@endpoint` (ratio to the baseline {variant / base_wall:.2f} against {ours / base_wall:.2f}; "
        f"{(variant - ours) * 1000:+.0f} ms per cold start).\n"
    )
    if breakdown:
        chosen = [module for module in BREAKDOWN_MODULES if module in modules] or modules[:3]
        body += "\n" + _breakdown_section(child_environment(), chosen, routes)
    return Section("1. Cold start as deployed: handler import vs boto3 + DynamoDB client", body, failures)
