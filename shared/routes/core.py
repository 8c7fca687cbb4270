"""The route table's rows for the system routes, assets, readings, tasks, settings,
notifications and files."""

from shared.routes.model import FILE_DROP as _FILE_DROP
from shared.routes.model import Route
from shared.routes.model import writes as _writes

# One row per endpoint; kept as a table on purpose (ruff format would spread every row over lines).
# fmt: off
_READ_ASSET = ("GetItem",)
_TASK_WRITE = _writes("BatchGetItem", "Query", "PutItem", "UpdateItem")
# Lists of due work also move tasks whose warning time passed into the index (task_promotion).
_TASK_LIST = ("Query", "BatchGetItem", "GetItem", "UpdateItem", "ConditionCheckItem")
# Files: a presigned upload or download is authorized by its signer's PutObject or GetObject;
# completing reads the upload (HEAD is GetObject; ListBucket makes a missing one 404, not 403),
# copies it to files/ and deletes it.
_FILE_UPLOAD, _FILE_DOWNLOAD = (("PutObject", "uploads/"),), (("GetObject", "files/"),)
_FILE_KEEP = (
    ("GetObject", "uploads/"), ("DeleteObject", "uploads/"), ("PutObject", "files/"), ("ListBucket", ""),
)
ROWS: tuple[Route, ...] = (

    Route("GET", "/health", "functions.system.health", "Liveness check", "system", public=True),
    Route("GET", "/openapi.json", "functions.system.openapi_document", "This API as OpenAPI 3.1", "system",
          public=True),
    Route("GET", "/docs", "functions.system.docs_page", "Interactive API documentation", "system",
          public=True),

    Route("POST", "/assets", "functions.assets.create_asset", "Register an asset", "assets",
          _writes("PutItem")),
    Route("GET", "/assets", "functions.assets.list_assets", "List and search assets", "assets",
          ("Query", "GetItem", "BatchGetItem")),
    Route("GET", "/assets/{asset_id}", "functions.assets.get_asset", "Read an asset", "assets", _READ_ASSET),
    Route("PATCH", "/assets/{asset_id}", "functions.assets.update_asset", "Change some fields of an asset",
          "assets", _writes("GetItem", "Query", "UpdateItem")),
    Route("DELETE", "/assets/{asset_id}", "functions.assets.delete_asset", "Delete an asset", "assets",
          ("GetItem", "Query", "DeleteItem")),
    Route("GET", "/assets/{asset_id}/history", "functions.assets.list_service_history",
          "The asset's service history, newest first", "tasks", ("GetItem", "Query")),

    Route("POST", "/assets/{asset_id}/readings", "functions.readings.record_reading",
          "Record a meter reading of one asset", "readings", _writes("GetItem", "Query")),
    Route("GET", "/assets/{asset_id}/readings", "functions.readings.list_readings",
          "List an asset's readings by time", "readings", ("GetItem", "Query")),
    Route("POST", "/readings", "functions.readings.record_readings_batch",
          "Record up to 1000 readings for many assets", "readings",
          _writes("BatchGetItem", "BatchWriteItem", "GetItem", "Query"), timeout_seconds=29, memory_mb=1024),

    Route("POST", "/tasks", "functions.tasks.create_task", "Create a service task for an asset", "tasks",
          _TASK_WRITE),
    Route("POST", "/tasks/batch", "functions.tasks.create_tasks_batch",
          "Create the same service task for many assets", "tasks", _TASK_WRITE, timeout_seconds=29,
          memory_mb=1024),
    Route("GET", "/tasks", "functions.tasks.list_tasks", "List, filter and sort service tasks", "tasks",
          _TASK_LIST, timeout_seconds=29, memory_mb=1024),
    Route("GET", "/tasks/report", "functions.tasks.download_task_report",
          "The listed tasks as a PDF, xlsx or csv file, sorted and grouped", "tasks", _TASK_LIST,
          timeout_seconds=29, memory_mb=1024, layers=("reports",)),
    Route("GET", "/tasks/{task_id}", "functions.tasks.get_task", "Read a service task", "tasks",
          ("BatchGetItem",)),
    Route("PATCH", "/tasks/{task_id}", "functions.tasks.update_task", "Change some fields of a task", "tasks",
          _TASK_WRITE, storage=_FILE_DROP),
    Route("DELETE", "/tasks/{task_id}", "functions.tasks.delete_task", "Delete a service task", "tasks",
          (*_TASK_WRITE, "BatchWriteItem"), storage=_FILE_DROP),
    Route("POST", "/tasks/batch-delete", "functions.tasks.delete_tasks_batch", "Delete many tasks by id",
          "tasks", (*_TASK_WRITE, "BatchWriteItem"), timeout_seconds=29, storage=_FILE_DROP),
    Route("POST", "/tasks/{task_id}/complete", "functions.tasks.complete_task",
          "Mark a task done; a repeating task starts its next occurrence", "tasks", _TASK_WRITE),
    Route("POST", "/tasks/{task_id}/reopen", "functions.tasks.reopen_task", "Undo a task's latest completion",
          "tasks", _TASK_WRITE, storage=_FILE_DROP),

    Route("GET", "/settings", "functions.settings.get_settings", "Read the account's settings", "settings",
          ("GetItem",)),
    Route("PATCH", "/settings", "functions.settings.update_settings", "Change the account's settings",
          "settings", _writes()),

    Route("GET", "/notifications", "functions.notifications.list_notifications",
          "List a task's or an asset's notifications with their deliveries", "notifications", ("Query",)),
    Route("GET", "/notifications/opt-outs", "functions.notifications.list_opt_outs",
          "List the recipients who opted out", "notifications", ("Query",)),
    Route("PUT", "/notifications/opt-outs", "functions.notifications.add_opt_outs",
          "Opt recipients out of all messages", "notifications", _writes("PutItem", "GetItem")),
    Route("DELETE", "/notifications/opt-outs", "functions.notifications.remove_opt_out",
          "Let a recipient receive messages again", "notifications", _writes("DeleteItem")),

    Route("POST", "/files", "functions.files.create_file", "Declare a file and get its upload form", "files",
          _writes("PutItem", "ConditionCheckItem"), storage=_FILE_UPLOAD),
    Route("GET", "/files/{file_id}", "functions.files.get_file", "Read a file, with a download link", "files",
          ("GetItem",), storage=_FILE_DOWNLOAD),
    Route("POST", "/files/{file_id}/complete", "functions.files.complete_file",
          "Check an uploaded file and make it available", "files", ("GetItem", "UpdateItem"),
          storage=(*_FILE_KEEP, *_FILE_DOWNLOAD, ("DeleteObject", "files/"))),
)
# fmt: on
