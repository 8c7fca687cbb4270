"""The collector is paused while a function loads and running again once its handler exists;
importing ``shared`` alone leaves it as it was."""

import importlib
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


def test_a_handler_of_every_area_leaves_the_collector_on_with_its_startup_objects_frozen() -> None:
    """One process per area of the route table (a cold start each); every other handler is made
    the same way (the next test), so it freezes the same way."""
    modules = sorted({min(r.module for r in ROUTES if r.tag == tag) for tag in {r.tag for r in ROUTES}})
    probe = (
        "import gc, importlib, sys; importlib.import_module(sys.argv[1]); "
        "print(gc.isenabled(), gc.get_freeze_count() > 10_000)"
    )
    for module in modules:
        result = subprocess.run(
            [sys.executable, "-c", probe, module], capture_output=True, text=True, check=True, env=ENV
        )
        assert result.stdout.split() == ["True", "True"], module


def test_every_handler_is_made_by_the_endpoint_wrapper() -> None:
    """The wrapper is what pauses the collector while a function's modules load and freezes them."""
    for route in ROUTES:
        handler = importlib.import_module(route.module).handler
        assert getattr(handler, "spec", None) is not None, f"{route.module} is not made by @endpoint"


@pytest.mark.parametrize(
    "module", ["shared.routes", "shared.openapi", "shared.services.task_writes", "shared.http.endpoint"]
)
def test_importing_shared_code_leaves_the_collector_alone(module: str) -> None:
    assert run(f"import gc, {module}; print(gc.isenabled(), gc.get_freeze_count())") == ["True", "0"]
