"""POST /plans/{plan_id}/revisions/{revision}/apply"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.revision_apply import RevisionApplied, RevisionApply
from shared.services.plan_revisions import apply_revision


@endpoint(body=RevisionApply, response=RevisionApplied, idempotent=True, errors=(404,))
def handler(req: Request, body: RevisionApply) -> RevisionApplied:
    plan_id = req.path_id("plan_id", "pln", "Plan")
    revision = req.path_number("revision", "Revision")
    return apply_revision(req.account_id, plan_id, revision, body, utc_now())
