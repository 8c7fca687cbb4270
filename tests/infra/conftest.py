"""The CDK app is synthesized once per test process and stage: it takes a good ten seconds."""

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Stack
from aws_cdk.assertions import Template

os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
# Production refuses the placeholder mail domain (infra/stages.py): unless cdk.json names one, the
# tests give it a name reserved for testing (RFC 2606).
TEST_MAIL_DOMAIN = "mail.servicecycle.test"


def stages_for_tests() -> dict[str, dict[str, Any]]:
    stages: dict[str, dict[str, Any]] = json.loads((ROOT / "cdk.json").read_text())["context"]["stages"]
    stages["prod"] = {"mail_domain": TEST_MAIL_DOMAIN, **stages.get("prod", {})}
    return stages


@cache
def synthesized(stage: str, outdir: str) -> tuple[App, Any, Template]:
    from infra.app import build_app  # noqa: PLC0415 - starts the jsii runtime only for these tests

    app, stack = build_app(stage, outdir=outdir, context={"stages": stages_for_tests()})
    return app, stack, Template.from_stack(stack)


@pytest.fixture(scope="session")
def cdk_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cdk.out")


@pytest.fixture(scope="session")
def dev(cdk_out: Path) -> tuple[App, Stack, Template]:
    return synthesized("dev", str(cdk_out / "dev"))


@pytest.fixture(scope="session")
def prod(cdk_out: Path) -> tuple[App, Stack, Template]:
    return synthesized("prod", str(cdk_out / "prod"))
