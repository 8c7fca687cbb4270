"""The collector is paused while a function loads and running again once its handler exists;
importing ``shared`` alone leaves it as it was."""

import subprocess
import sys

import pytest

from shared.routes import ROUTES

ENV = {
    "AWS_DEFAULT_REGION": "eu-west-1",
    "TABLE_NAME": "t",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "AWS_ACCESS_KEY_ID": "x",
    "AWS_SECRET_ACCESS_KEY": "x",
    "PATH": "",
}


def run(code: str) -> list[str]:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=ENV)
    return result.stdout.split()


def test_every_handler_leaves_the_collector_on_with_its_startup_objects_frozen() -> None:
    """One process per handler module of the route table (a cold start each)."""
    modules = sorted({route.module for route in ROUTES})
    probe = (
        "import gc, importlib, sys; importlib.import_module(sys.argv[1]); "
        "print(gc.isenabled(), gc.get_freeze_count() > 10_000)"
    )
    for module in modules:
        result = subprocess.run(
            [sys.executable, "-c", probe, module], capture_output=True, text=True, check=True, env=ENV
        )
        assert result.stdout.split() == ["True", "True"], module


@pytest.mark.parametrize(
    "module", ["shared.routes", "shared.openapi", "shared.services.task_writes", "shared.http.endpoint"]
)
def test_importing_shared_code_leaves_the_collector_alone(module: str) -> None:
    assert run(f"import gc, {module}; print(gc.isenabled(), gc.get_freeze_count())") == ["True", "0"]
