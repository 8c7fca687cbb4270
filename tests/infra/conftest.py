"""The CDK app is synthesized once per test process and stage: it takes a good ten seconds."""

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, NestedStack, Stack
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


def _substituted(value: Any, swap: Any) -> Any:
    """``value`` with every part ``swap`` gives a replacement for replaced (``swap`` -> None: keep)."""
    replaced = swap(value)
    if replaced is not None:
        return replaced
    if isinstance(value, dict):
        return {k: _substituted(v, swap) for k, v in value.items()}
    if isinstance(value, list):
        return [_substituted(v, swap) for v in value]
    return value


def inlined(stack: Stack) -> Template:
    """The stack's template with its nested stacks' resources in it, as one stack would have them:
    a nested stack's parameter becomes the parent's value, a nested output the expression it
    outputs. The functions live in nested stacks (infra/functions.py); the tests read one stack."""
    parent = Template.from_stack(stack).to_json()
    resources = dict(parent["Resources"])
    outputs: dict[tuple[str, str], Any] = {}
    for child in stack.node.find_all():
        if not isinstance(child, NestedStack):
            continue
        nested = Template.from_stack(child).to_json()
        owner = stack.resolve(child.nested_stack_resource.logical_id)  # type: ignore[union-attr]
        given = resources.pop(owner)["Properties"].get("Parameters", {})

        def parameter(value: Any, given: dict[str, Any] = given) -> Any:
            if isinstance(value, dict) and set(value) == {"Ref"} and value["Ref"] in given:
                return given[value["Ref"]]
            return None

        resources.update(_substituted(nested["Resources"], parameter))
        for name, output in nested.get("Outputs", {}).items():
            outputs[(owner, f"Outputs.{name}")] = _substituted(output["Value"], parameter)

    def output(value: Any) -> Any:
        if isinstance(value, dict) and set(value) == {"Fn::GetAtt"}:
            return outputs.get(tuple(value["Fn::GetAtt"]))
        return None

    return Template.from_json({**parent, "Resources": _substituted(resources, output)})


@cache
def synthesized(stage: str, outdir: str) -> tuple[App, Any, Template]:
    from infra.app import build_app  # noqa: PLC0415 - starts the jsii runtime only for these tests

    app, stack = build_app(stage, outdir=outdir, context={"stages": stages_for_tests()})
    return app, stack, inlined(stack)


@pytest.fixture(scope="session")
def cdk_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cdk.out")


@pytest.fixture(scope="session")
def dev(cdk_out: Path) -> tuple[App, Stack, Template]:
    return synthesized("dev", str(cdk_out / "dev"))


@pytest.fixture(scope="session")
def prod(cdk_out: Path) -> tuple[App, Stack, Template]:
    return synthesized("prod", str(cdk_out / "prod"))
