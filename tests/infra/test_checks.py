"""cdk-nag (AWS Solutions) and cfn-lint over the synthesized app: nothing left unexplained."""

import ast
from pathlib import Path

import cfnlint.api
import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_dynamodb as dynamodb
from cdk_nag import AwsSolutionsChecks

from infra.nag import accept

pytestmark = pytest.mark.slow
INFRA = Path(__file__).resolve().parents[2] / "infra"


def test_aws_solutions_checks_find_nothing_unacknowledged(dev: tuple, prod: tuple) -> None:
    for app, stack, _ in (dev, prod):
        report = AwsSolutionsChecks(app).validate_scope(stack)
        assert report.success, [
            (v.rule_name, [r.resource_logical_id for r in v.violating_resources]) for v in report.violations
        ]


def test_the_checks_do_catch_a_finding() -> None:
    app = App()
    stack = Stack(app, "Careless")
    dynamodb.Table(
        stack, "Unprotected", partition_key=dynamodb.Attribute(name="PK", type=dynamodb.AttributeType.STRING)
    )
    report = AwsSolutionsChecks(app).validate_scope(stack)
    assert not report.success
    assert "AwsSolutions-DDB3" in {v.rule_name for v in report.violations}


def test_every_acknowledgment_states_a_reason() -> None:
    with pytest.raises(ValueError, match="reason"):
        accept(Stack(App(), "S"), "AwsSolutions-DDB3", "  ")
    calls = 0
    for source in INFRA.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "accept":
                calls += 1
                reason = node.args[2]
                assert not isinstance(reason, ast.Constant) or len(reason.value) > 30, ast.unparse(node)
    assert calls > 0


def test_cfn_lint_finds_no_errors(dev: tuple, prod: tuple) -> None:
    for app, stack, _ in (dev, prod):
        template_file = Path(app.synth().get_stack_by_name(stack.stack_name).template_full_path)
        matches = cfnlint.api.lint(
            template_file.read_text(), config=cfnlint.api.ManualArgs(regions=["eu-west-1"])
        )
        errors = [f"{m.rule.id} {m.message} ({m.path})" for m in matches if m.rule.id.startswith("E")]
        assert errors == []
