"""The collector is paused while a function loads and running again once its handler exists."""

import subprocess
import sys

import pytest

from shared.routes import ROUTES


@pytest.mark.parametrize("module", sorted({route.module for route in ROUTES})[:4])
def test_loading_a_handler_leaves_the_collector_on_with_startup_objects_frozen(module: str) -> None:
    code = f"import gc, {module}; print(gc.isenabled(), gc.get_freeze_count() > 10_000)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={
            "AWS_DEFAULT_REGION": "eu-west-1",
            "TABLE_NAME": "t",
            "POWERTOOLS_TRACE_DISABLED": "true",
            "AWS_ACCESS_KEY_ID": "x",
            "AWS_SECRET_ACCESS_KEY": "x",
            "PATH": "",
        },
    )
    assert result.stdout.split() == ["True", "True"]
