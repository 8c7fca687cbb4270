"""GET /files/{file_id}: the file, with a download link once it is available."""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.files import File
from shared.services.files import read_file


@endpoint(response=File, errors=(404,))
def handler(req: Request) -> File:
    return read_file(req.account_id, req.path_params.get("file_id", ""), utc_now())
