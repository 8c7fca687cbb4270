"""The CDK app: ``python infra/app.py`` (make synth) or the CDK CLI (make deploy, via cdk.json).

The stage comes from ``STAGE`` or the ``stage`` context (default dev); ``prod`` retains and
protects the data, and needs the domain its mail is sent from (``mail_domain``, infra/stages.py).
cdk-nag's AWS Solutions checks run on every synth and fail it on any finding that is not
acknowledged with a reason (infra/nag.py).
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make the project's packages importable
    sys.path.insert(0, str(ROOT))

import aws_cdk as cdk  # noqa: E402
from cdk_nag import AwsSolutionsChecks  # noqa: E402

from infra.function_code import stage_code  # noqa: E402
from infra.layer import build_layers  # noqa: E402
from infra.stack import ServiceCycleStack  # noqa: E402
from infra.stages import stage_settings  # noqa: E402


def build_app(
    stage: str | None = None, outdir: str | None = None, context: dict[str, object] | None = None
) -> tuple[cdk.App, ServiceCycleStack]:
    """The app and its one stack; ``context`` is given to the app as the CLI would give cdk.json's
    (``stages`` replaces cdk.json's stage settings)."""
    app = cdk.App(outdir=outdir or str(ROOT / "cdk.out"), context=context)
    stage = stage or os.environ.get("STAGE") or app.node.try_get_context("stage") or "dev"
    stack = ServiceCycleStack(
        app,
        f"ServiceCycle-{stage}",
        settings=stage_settings(stage, app.node.try_get_context("stages")),
        layer_dirs={name: str(path) for name, path in build_layers().items()},
        code_dir=str(stage_code()),
        description=f"ServiceCycle ({stage}): preventive maintenance backend",
    )
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    return app, stack


if __name__ == "__main__":
    build_app()[0].synth()
