"""Where the local tools keep their state, and the environment the handlers expect."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
STATE_DIR = Path(os.environ.get("SERVICECYCLE_HOME", PROJECT_ROOT / ".servicecycle"))
LOCAL_TABLE = "servicecycle-local"
LOCAL_REGION = "eu-west-1"
DEFAULT_PORT = 3000

HANDLER_ENVIRONMENT = {
    "AWS_DEFAULT_REGION": LOCAL_REGION,
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    "TABLE_NAME": LOCAL_TABLE,
    "POWERTOOLS_SERVICE_NAME": "servicecycle",
    "POWERTOOLS_METRICS_NAMESPACE": "ServiceCycle",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_DISABLED": "true",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
    # moto answers one request at a time, in this process: more evaluator threads only contend.
    "EVALUATOR_PARALLEL_SHARDS": "1",
}


def apply_handler_environment(endpoint_url: str | None = None) -> None:
    """Set what Lambda's configuration sets in AWS; values already in the environment win."""
    for name, value in HANDLER_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    if endpoint_url:
        os.environ["AWS_ENDPOINT_URL"] = endpoint_url
