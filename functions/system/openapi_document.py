"""GET /openapi.json"""

from typing import Any

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.services.system import api_document


@endpoint(response={"type": "object", "description": "An OpenAPI 3.1 document"}, public=True)
def handler(req: Request) -> dict[str, Any]:
    return api_document()
