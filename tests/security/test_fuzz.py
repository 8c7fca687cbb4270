"""API contract fuzzing with schemathesis, against the served OpenAPI document.

Every operation gets generated requests (valid and invalid) with a valid token. The checks:
nothing answers 5xx; every status code, header and body is the documented one; a request the
document allows is not refused as malformed, and one it forbids is refused (``schema_agreement``
and schemathesis' negative_data_rejection); every 400/422 names the field and why; and a refused
write changes nothing in the account. The stateful run follows the document's links (create ->
read -> update -> delete).

``make test`` replays a fixed set of examples (CI must not fail by chance). ``make fuzz`` runs the
schemathesis command line with every phase and fresh seeds against a running local server
(tests/security/fuzz_run.py).
"""

import os
import uuid

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

import tests.security.fuzz_checks  # noqa: F401 - registers our checks
from local.auth import issue_token
from local.gateway import LocalGateway
from local.wsgi import wsgi_app
from tests.conftest import SIGNING_KEY, stored_items

EXAMPLES = int(os.environ.get("SERVICECYCLE_FUZZ_EXAMPLES", "25"))
DERANDOMIZE = "SERVICECYCLE_FUZZ_EXAMPLES" not in os.environ
# Every built-in check except two:
# - ignored_auth sends broken credentials; these requests carry a valid token on purpose, and
#   tests/security/test_tenant_isolation.py checks bad tokens on every route;
# - positive_data_acceptance expects every schema-valid request to succeed, but some rules depend
#   on stored state or the clock, which no schema can state (meters only go up, a cursor must be
#   one the API issued). schema_agreement (fuzz_checks.py) checks the same thing precisely: such
#   a refusal must carry its rule's own code, never validation_error.
EXCLUDED = [ignored_auth, positive_data_acceptance]
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


# Loaded at collection: moto is already up (tests/conftest.py), and the document needs no table.
schema = schemathesis.openapi.from_wsgi("/openapi.json", wsgi_app(LocalGateway(SIGNING_KEY)))
TOKEN_ACCOUNT = f"fuzz-{uuid.uuid4().hex[:8]}"


def auth_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(TOKEN_ACCOUNT, key=SIGNING_KEY)}"}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=DERANDOMIZE
)
def test_every_operation_honours_its_contract(case) -> None:  # type: ignore[no-untyped-def]
    before = stored_items(TOKEN_ACCOUNT) if case.method.upper() in WRITES else None
    response = case.call_and_validate(headers=auth_headers(), excluded_checks=EXCLUDED)
    if before is not None and 400 <= response.status_code < 500:
        assert stored_items(TOKEN_ACCOUNT) == before, (
            f"a refused {case.method} {case.path} changed stored data"
        )


class Workflows(schema.as_state_machine()):  # type: ignore[misc]
    """Sequences the document's links allow: create an asset, then read, change, use and delete it."""

    def get_call_kwargs(self, case):  # type: ignore[no-untyped-def]
        return {"headers": auth_headers()}

    def validate_response(self, response, case, additional_checks=None, **kwargs):  # type: ignore[no-untyped-def]
        case.validate_response(
            response, excluded_checks=EXCLUDED, transport_kwargs=kwargs or None, recorder=self.recorder
        )


TestWorkflows = Workflows.TestCase
TestWorkflows.settings = settings(
    max_examples=max(EXAMPLES // 3, 5),
    derandomize=DERANDOMIZE,
    stateful_step_count=6,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
