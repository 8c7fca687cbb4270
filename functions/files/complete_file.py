"""POST /files/{file_id}/complete: check the upload and keep it; the file is then available."""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.files import File
from shared.services.files import complete_file


@endpoint(response=File, errors=(404, 409))
def handler(req: Request) -> File:
    return complete_file(req.account_id, req.path_params.get("file_id", ""), utc_now())
