"""cdk-nag acknowledgments: every rule we accept, where, and why (kept in one place to review)."""

import aws_cdk as cdk
from constructs import IConstruct


def accept(construct: IConstruct, rule: str, reason: str) -> None:
    """Acknowledge one cdk-nag finding on ``construct`` (and its children) with a written reason."""
    if not reason.strip():
        raise ValueError(f"{rule}: an acknowledgment needs a reason")
    cdk.Validations.of(construct).acknowledge(cdk.Acknowledgment(id=rule, reason=reason))
