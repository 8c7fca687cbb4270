"""The cost model of docs/cost.md: measured units, durations and log bytes (bench/route_units.py)
turned into dollars a month, for the workload the document states.

``make bench`` rewrites the tables between the markers of docs/cost.md; the reasoning around
them is the document's. List prices of us-east-1, without free tiers (a deployment meets them
once, not per 1,000 assets), as published on the pages in ``SOURCES``.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from bench.report import ROOT, table

COST_FILE = ROOT / "docs" / "cost.md"
START, END = "<!-- cost-model:start -->", "<!-- cost-model:end -->"

# Prices (USD), us-east-1.
WRITE_UNIT = 0.625 / 1e6  # DynamoDB on-demand write request unit
READ_UNIT = 0.125 / 1e6  # DynamoDB on-demand read request unit
STORAGE_GB_MONTH = 0.25  # DynamoDB Standard table class
ITEM_OVERHEAD = 100  # bytes DynamoDB adds to each item for storage (and to each index entry)
LAMBDA_GB_SECOND = 0.0000133334  # arm64, first 7.5 billion GB-s a month
LAMBDA_REQUEST = 0.20 / 1e6
REST_REQUEST = 3.50 / 1e6  # API Gateway REST API, first 333 million a month
HTTP_REQUEST = 1.00 / 1e6  # API Gateway HTTP API, first 300 million a month (512 KB steps)
WAF_REQUEST = 0.60 / 1e6
LOGS_GB = 0.50  # CloudWatch Logs ingestion (Lambda's vended-log first tier and standard logs alike)
XRAY_TRACE = 5.00 / 1e6

SOURCES = {
    "DynamoDB": "https://aws.amazon.com/dynamodb/pricing/on-demand/",
    "Lambda": "https://aws.amazon.com/lambda/pricing/",
    "API Gateway": "https://aws.amazon.com/api-gateway/pricing/",
    "WAF": "https://aws.amazon.com/waf/pricing/",
    "CloudWatch": "https://aws.amazon.com/cloudwatch/pricing/",
    "X-Ray": "https://aws.amazon.com/xray/pricing/",
    "Cognito": "https://aws.amazon.com/cognito/pricing/",
}

# The workload, per 1,000 assets and 30-day month.
ASSETS = 1_000
HOURS = 24 * 30
TASKS_PER_ASSET = 5
ASSETS_PER_ACCOUNT = 1_000  # one fleet: the batch shape sends one request a minute for all of it
DUE_READS_PER_DAY = 10  # due-work pages read, per account
TASK_WRITES_PER_DAY = 5  # tasks created, completed or changed, per account
PLATFORM_LOG_BYTES = 340  # Lambda's START, END and REPORT lines of one invocation
ACCESS_LOG_BYTES = 330  # one API Gateway access-log line (infra/api.py's JSON fields)
INIT_SECONDS = 0.36  # a cold start (docs/benchmarks.md, section 1), billed since August 2025
COLD_STARTS_PER_HOUR = 2  # per function with traffic: environments recycled, bursts at the hour
# A DynamoDB call from Lambda in the same region: single-digit milliseconds (GetItem and PutItem
# about 4, a Query or transaction more); the model takes 8 for every call.
DYNAMODB_CALL_SECONDS = 0.008
MB_PER_VCPU = 1769  # Lambda gives a function one vCPU's worth of time at 1,769 MB, less below
EVALUATOR_TICKS = 12 * HOURS  # every 5 minutes (issue 13, not built: estimated below)
EVALUATOR_TICK_READS = 16 * 0.5  # sixteen shard Queries that find nothing
EVALUATOR_TICK_SECONDS = 0.1
EVALUATOR_MEMORY_GB = 0.5


@dataclass(frozen=True)
class Call:
    """What one request costs in the measured units: per request, and per reading it carries."""

    writes: float
    reads: float
    own_seconds: float  # the handler's time outside DynamoDB calls
    calls: float  # DynamoDB calls
    parallel: int  # threads the calls spread over (batch routes)
    memory_gb: float
    log_bytes: float
    readings: float = 1.0  # readings per request (1 outside ingestion)

    @property
    def seconds(self) -> float:
        """Billed duration in AWS: the handler's own time, on the share of a vCPU its memory
        buys (measured on a whole core here), and its DynamoDB calls' latency."""
        cpu_share = min(1.0, self.memory_gb * 1024 / MB_PER_VCPU)
        return self.own_seconds / cpu_share + self.calls * DYNAMODB_CALL_SECONDS / self.parallel


@dataclass(frozen=True)
class Measures:
    single: Call  # one reading, one request
    batch: Call  # a batch of readings (per request, with ``readings`` readings)
    steady_extra_writes: float  # per reading, on top of a plain one: crossings, day closings
    steady_extra_reads: float
    due_page: Call
    task_write: Call
    asset_bytes: int
    reading_bytes: int
    task_bytes: int  # and as much again for its entry in GSI3 or GSI4 (all attributes)


@dataclass
class Lines:
    """Dollars a month by line item."""

    items: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, dollars: float) -> None:
        self.items[name] = self.items.get(name, 0.0) + dollars

    @property
    def total(self) -> float:
        return sum(self.items.values())


def readings_per_month(assets: int, per_hour: float) -> float:
    return assets * per_hour * HOURS


def _requests(call: Call, count: float, lines: Lines, gateway: float) -> None:
    lines.add("DynamoDB writes", count * call.writes * WRITE_UNIT)
    lines.add("DynamoDB reads", count * call.reads * READ_UNIT)
    lines.add("Lambda requests", count * LAMBDA_REQUEST)
    lines.add("Lambda duration", count * call.seconds * call.memory_gb * LAMBDA_GB_SECOND)
    lines.add("API Gateway requests", count * gateway)
    lines.add("WAF requests", count * WAF_REQUEST)
    logged = count * (call.log_bytes + PLATFORM_LOG_BYTES + ACCESS_LOG_BYTES)
    lines.add("CloudWatch Logs ingestion", logged / 1e9 * LOGS_GB)


def monthly(
    m: Measures,
    *,
    assets: int = ASSETS,
    per_hour: float = 1.0,
    batched: bool = True,
    gateway: float = REST_REQUEST,
    evaluator: bool = True,
) -> Lines:
    """Dollars a month for ``assets`` assets reporting ``per_hour`` times an hour, one request
    per reading or one batch a minute per account of ASSETS_PER_ACCOUNT assets."""
    lines = Lines()
    readings = readings_per_month(assets, per_hour)
    accounts = max(1.0, assets / ASSETS_PER_ACCOUNT)
    if batched:
        requests = min(readings, accounts * 60 * HOURS)  # a batch a minute, or fewer readings
        per_request = readings / requests
        scale = per_request / m.batch.readings
        call = Call(
            writes=m.batch.writes * scale,
            reads=m.batch.reads * scale,
            own_seconds=m.batch.own_seconds * scale,
            calls=m.batch.calls * scale,
            parallel=m.batch.parallel,
            memory_gb=m.batch.memory_gb,
            log_bytes=m.batch.log_bytes,
        )
        _requests(call, requests, lines, gateway)
    else:
        _requests(m.single, readings, lines, gateway)
    lines.add("DynamoDB writes", readings * m.steady_extra_writes * WRITE_UNIT)
    lines.add("DynamoDB reads", readings * m.steady_extra_reads * READ_UNIT)
    _requests(m.due_page, accounts * DUE_READS_PER_DAY * 30, lines, gateway)
    _requests(m.task_write, accounts * TASK_WRITES_PER_DAY * 30, lines, gateway)
    functions = 4 if evaluator else 3  # readings, due work, task writes, evaluator
    cold = functions * COLD_STARTS_PER_HOUR * HOURS
    lines.add("Lambda duration", cold * INIT_SECONDS * 0.5 * LAMBDA_GB_SECOND)
    if evaluator:
        lines.add("DynamoDB reads", EVALUATOR_TICKS * EVALUATOR_TICK_READS * READ_UNIT)
        lines.add("Lambda requests", EVALUATOR_TICKS * LAMBDA_REQUEST)
        seconds = EVALUATOR_TICKS * EVALUATOR_TICK_SECONDS * EVALUATOR_MEMORY_GB
        lines.add("Lambda duration", seconds * LAMBDA_GB_SECOND)
    lines.add("DynamoDB storage", storage_gb(m, assets, per_hour, months=13) * STORAGE_GB_MONTH)
    return lines


def storage_gb(m: Measures, assets: int, per_hour: float, months: float, retention_days: int = 396) -> float:
    """What the table holds after ``months`` of readings: raw readings within the retention,
    a reading a day beyond it, the assets and their tasks (with their index entries)."""
    raw_days = min(months * 30, retention_days) if retention_days else months * 30
    daily_days = max(0.0, months * 30 - raw_days)
    readings = assets * (per_hour * 24 * raw_days + daily_days)
    stored = readings * (m.reading_bytes + ITEM_OVERHEAD)
    stored += assets * (m.asset_bytes + 2 * ITEM_OVERHEAD)
    stored += assets * TASKS_PER_ASSET * 2 * (m.task_bytes + ITEM_OVERHEAD)
    return stored / 1e9


def _money(value: float) -> str:
    return f"${value:,.2f}" if value >= 0.995 or value == 0 else f"${value:,.3f}"


def line_table(m: Measures) -> str:
    shapes = {
        "one batch a minute": monthly(m, batched=True),
        "one request per reading": monthly(m, batched=False),
    }
    names = list(dict.fromkeys(name for lines in shapes.values() for name in lines.items))
    rows: list[list[object]] = [
        [name, *(_money(lines.items.get(name, 0.0)) for lines in shapes.values())] for name in names
    ]
    rows.append(
        ["**Total per 1,000 assets a month**", *(f"**{_money(lines.total)}**" for lines in shapes.values())]
    )
    return table(["Line item", *shapes], rows, "lrr")


def gateway_table(m: Measures) -> str:
    rows: list[list[object]] = []
    for batched in (True, False):
        rest = monthly(m, batched=batched, gateway=REST_REQUEST)
        http = monthly(m, batched=batched, gateway=HTTP_REQUEST)
        label = "one batch a minute" if batched else "one request per reading"
        rows.append([label, _money(rest.total), _money(http.total), _money(rest.total - http.total)])
    return table(["Ingestion", "REST API", "HTTP API", "REST costs more by"], rows, "lrrr")


def growth_table(m: Measures) -> str:
    rows: list[list[object]] = []
    for assets in (100, 1_000, 10_000, 100_000):
        batched, single = monthly(m, assets=assets), monthly(m, assets=assets, batched=False)
        rows.append(
            [
                f"{assets:,}",
                _money(batched.total),
                _money(single.total),
                _money(batched.total / assets * 1_000),
            ]
        )
    return table(
        ["Assets", "Batched, a month", "Request per reading, a month", "Batched, per 1,000 assets"],
        rows,
        "rrrr",
    )


def frequency_table(m: Measures) -> str:
    rows: list[list[object]] = []
    for label, per_hour in (
        ("every 5 minutes", 12),
        ("every 15 minutes", 4),
        ("hourly", 1),
        ("every 4 hours", 0.25),
        ("daily", 1 / 24),
    ):
        batched, single = monthly(m, per_hour=per_hour), monthly(m, per_hour=per_hour, batched=False)
        rows.append(
            [
                label,
                f"{readings_per_month(ASSETS, per_hour):,.0f}",
                _money(batched.total),
                _money(single.total),
            ]
        )
    return table(["Readings", "Readings a month", "Batched", "Request per reading"], rows, "lrrr")


def storage_table(m: Measures) -> str:
    rows: list[list[object]] = []
    for years in (1, 3):
        kept = storage_gb(m, ASSETS, 1, years * 12, retention_days=396)
        everything = storage_gb(m, ASSETS, 1, years * 12, retention_days=0)
        rows.append(
            [
                f"{years} year{'s' if years > 1 else ''}",
                f"{kept:.2f} GB",
                _money(kept * STORAGE_GB_MONTH),
                f"{everything:.2f} GB",
                _money(everything * STORAGE_GB_MONTH),
            ]
        )
    return table(["After", "13-month retention", "a month", "Every reading kept", "a month"], rows, "lrrrr")


def inputs_table(m: Measures) -> str:
    def row(name: str, call: Call) -> list[object]:
        per = f" ({call.readings:g} readings)" if call.readings != 1 else ""
        return [
            name + per,
            f"{call.writes:g}",
            f"{call.reads:g}",
            f"{call.own_seconds * 1000:.0f}",
            f"{call.calls:g}",
            f"{call.seconds * 1000:.0f}",
            f"{call.memory_gb * 1024:.0f}",
            f"{call.log_bytes:.0f}",
        ]

    rows: list[list[object]] = [
        row("one reading", m.single),
        row("readings batch", m.batch),
        [
            "extra per reading over a week (crossings, day closings, usage)",
            f"{m.steady_extra_writes:.3f}",
            f"{m.steady_extra_reads:.3f}",
            "",
            "",
            "",
            "",
            "",
        ],
        row("due-work page of 50", m.due_page),
        row("task write (complete a task)", m.task_write),
    ]
    sizes = (
        f"\nItem sizes: asset {m.asset_bytes:,} B, reading {m.reading_bytes:,} B, task {m.task_bytes:,} B.\n"
    )
    headers = ["Request", "W", "R", "Own ms", "Calls", "Billed ms", "Memory MB", "Log bytes"]
    return table(headers, rows, "lrrrrrrr") + sizes


def render(m: Measures) -> str:
    parts = [
        "### Measured inputs (make bench, section 2)\n\n" + inputs_table(m),
        "### Per 1,000 assets a month, by line item\n\n" + line_table(m),
        "### REST API or HTTP API\n\n" + gateway_table(m),
        "### With fleet size\n\n" + growth_table(m),
        "### With reading frequency (1,000 assets)\n\n" + frequency_table(m),
        "### Storage (1,000 assets, hourly readings)\n\n" + storage_table(m),
    ]
    return "\n".join(parts)


def write(m: Measures, path: Path = COST_FILE) -> None:
    """Put the tables between the markers of docs/cost.md, keeping the rest of it."""
    text = path.read_text()
    note = "<!-- written by make bench (bench/cost_model.py); edit the code, not the tables -->"
    block = f"{START}\n{note}\n\n{render(m)}\n{END}"
    updated, found = re.subn(re.escape(START) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    if not found:
        raise ValueError(f"{path} has no {START} ... {END} block")
    path.write_text(updated)
