"""What goes to Lambda: the layer built without Docker for arm64, and the function code."""

import pytest

from infra.function_code import stage_code
from infra.layer import build_layer

pytestmark = pytest.mark.slow


def test_the_core_layer_has_the_arm64_pydantic_core_and_no_runtime_or_report_packages() -> None:
    site = build_layer("core") / "python"
    assert (site / "pydantic_core" / "_pydantic_core.cpython-313-aarch64-linux-gnu.so").is_file()
    assert (site / "aws_lambda_powertools").is_dir()
    assert (site / "tzdata").is_dir()
    for provided in ("boto3", "botocore", "s3transfer"):
        assert not (site / provided).exists()
    assert not list(site.glob("*x86_64*")) and not list(site.rglob("*x86_64-linux-gnu.so"))
    for report_library in ("openpyxl", "fpdf", "PIL", "fontTools"):
        assert not (site / report_library).exists()


def test_the_report_layer_has_the_file_libraries_only() -> None:
    site = build_layer("reports") / "python"
    assert {"openpyxl", "fpdf", "PIL"} <= {path.name for path in site.iterdir()}
    assert not (site / "pydantic").exists() and not (site / "aws_lambda_powertools").exists()


def test_the_function_code_is_the_runtime_packages_only(tmp_path) -> None:  # type: ignore[no-untyped-def]
    code = stage_code(tmp_path / "code")
    assert {path.name for path in code.iterdir()} == {"functions", "shared"}
    assert (code / "functions" / "assets" / "get_asset.py").is_file()
    assert not list(code.rglob("__pycache__"))
    assert stage_code(tmp_path / "code") == code  # same sources: the same directory, shared
    assert [path.name for path in (tmp_path / "code").iterdir()] == [code.name]  # no staging left
