"""GET /docs: Swagger UI over /openapi.json."""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import ApiResponse

SWAGGER_UI = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.17.14"
PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ServiceCycle API</title>
<link rel="stylesheet" href="{SWAGGER_UI}/swagger-ui.css"></head>
<body><div id="ui"></div>
<script src="{SWAGGER_UI}/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({{url: "openapi.json", dom_id: "#ui", persistAuthorization: true}});</script>
</body></html>"""


@endpoint(response={"type": "string", "description": "An HTML page"}, public=True, media_type="text/html")
def handler(req: Request) -> ApiResponse:
    return ApiResponse(200, PAGE, {"Content-Type": "text/html; charset=utf-8"})
