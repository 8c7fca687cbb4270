"""Logger, Tracer and Metrics, built once per process and imported by every function, and the
business metrics the services count (readings recorded, tasks created and completed, requests
refused by error code).

Service name, metrics namespace and log level come from the POWERTOOLS_* environment
variables that the CDK stack (and the local server) set, so nothing is configured twice.

Powertools' Tracer imports the X-Ray SDK (about 150 ms of a cold start) even when tracing is
disabled, so with ``POWERTOOLS_TRACE_DISABLED=true`` (local runs, tests, or a deployment that
trades traces for start-up time) a stand-in with the same decorators is used instead.
"""

import os
from collections.abc import Callable
from typing import Any, Protocol, TypeVar, cast

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.metrics.functions import is_metrics_disabled

F = TypeVar("F", bound=Callable[..., Any])


class HandlerTracer(Protocol):
    """What the functions use of a tracer (Powertools' Tracer has it)."""

    def capture_lambda_handler(self, lambda_handler: Any = None, **options: Any) -> Any: ...

    def capture_method(self, method: Any = None, **options: Any) -> Any: ...


def traced_handler(handler: F) -> F:
    """Trace a Lambda handler (no-op without tracing); typed so decorated handlers stay typed."""
    return cast(F, tracer.capture_lambda_handler(capture_response=False)(handler))


class UntracedTracer:
    """Tracer's decorators without X-Ray: they return the function unchanged."""

    def capture_lambda_handler(self, lambda_handler: Any = None, **_options: Any) -> Any:
        return lambda_handler if lambda_handler is not None else _unchanged

    def capture_method(self, method: Any = None, **_options: Any) -> Any:
        return method if method is not None else _unchanged


def _unchanged(function: Callable[..., Any]) -> Callable[..., Any]:
    return function


def _tracer() -> HandlerTracer:
    if os.environ.get("POWERTOOLS_TRACE_DISABLED", "").lower() in {"1", "true"}:
        return UntracedTracer()
    from aws_lambda_powertools import Tracer  # noqa: PLC0415 - only when traces are wanted

    return cast(HandlerTracer, Tracer())


logger = Logger()
tracer = _tracer()
metrics = Metrics()


def count(name: str, value: int = 1) -> None:
    """A business event, counted in CloudWatch (embedded metric format: one log line a request)."""
    if value:
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)


def count_refusal(code: str) -> None:
    """A refused request, by its error code (a dimension of its own, so its own metric line)."""
    with single_metric(
        name="RequestsRefused", unit=MetricUnit.Count, value=1, namespace=metrics.namespace
    ) as metric:
        metric.add_dimension(name="code", value=code)


def publish_metrics() -> None:
    """Write the request's business metrics, if it had any (reads have none). Where metrics are
    off (local runs, tests) they are dropped: Powertools would keep them, and print them once a
    hundred have piled up."""
    if not metrics.provider.metric_set:
        return
    if is_metrics_disabled():
        metrics.clear_metrics()
    else:
        metrics.flush_metrics()
