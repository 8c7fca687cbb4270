"""POST /files: declare a file and get the form to upload it with."""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import ApiResponse
from shared.models.files import File, FileCreate
from shared.services.files import create_file


@endpoint(body=FileCreate, response=File, status=201, idempotent=True, errors=(404, 413))
def handler(req: Request, body: FileCreate) -> ApiResponse:
    created = create_file(req.account_id, body, utc_now())
    return ApiResponse(201, created, {"Location": f"/files/{created.id}"})
