"""AWS for a laptop: moto in this process, and the table made from the stack's own definition."""

import os
from pathlib import Path
from typing import Any

from local.settings import LOCAL_REGION, apply_handler_environment
from shared.data.table_definition import TTL_ATTRIBUTE, create_table_request


def create_table() -> None:
    import boto3  # noqa: PLC0415 - only after the environment points at moto

    dynamodb = boto3.client("dynamodb", region_name=LOCAL_REGION)
    name = os.environ["TABLE_NAME"]
    dynamodb.create_table(**create_table_request(name))
    dynamodb.update_time_to_live(
        TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE}
    )


class MotoServer:
    """moto's server on a free loopback port, answering one request at a time.

    moto's backends are not safe for concurrent writes (a transaction backs up items while
    another thread changes them), and the handlers do write concurrently, so requests are
    serialized here. DynamoDB itself has no such limit. Before it serves, moto's transactions
    are patched to back up only the items they touch (local/moto_patches.py).
    """

    def __init__(self) -> None:
        import logging  # noqa: PLC0415
        import threading  # noqa: PLC0415

        from moto.moto_server.werkzeug_app import (  # noqa: PLC0415
            DomainDispatcherApplication,
            MotoRequestHandler,
            create_backend_app,
        )
        from werkzeug.serving import make_server  # noqa: PLC0415

        from local.moto_patches import patch_transactions  # noqa: PLC0415
        from local.moto_queries import patch_index_queries  # noqa: PLC0415

        patch_transactions()
        patch_index_queries()
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        app = DomainDispatcherApplication(create_backend_app)
        lock = threading.Lock()

        def serialized(environ: Any, start_response: Any) -> Any:
            with lock:
                return list(app(environ, start_response))

        self._server = make_server(
            "127.0.0.1", 0, serialized, threaded=True, request_handler=MotoRequestHandler
        )
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_port}"

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join()


def start_moto(persist: Path | None = None) -> tuple[MotoServer, bool]:
    """Start moto on a free loopback port. Returns the server and whether saved data was restored.

    With ``persist``, every request moto serves is appended to that file and replayed on the
    next start, so the data survives a restart.
    """
    if persist is not None:
        os.environ["MOTO_ENABLE_RECORDING"] = "true"
        os.environ["MOTO_RECORDER_FILEPATH"] = str(persist)
    from moto.moto_api import recorder  # noqa: PLC0415

    server = MotoServer()
    url = server.url
    apply_handler_environment(url)
    restored = False
    if persist is not None:
        recorder.stop_recording()
        if persist.exists() and persist.stat().st_size > 0:
            recorder.replay_recording(target_host=url)
            restored = True
        recorder.start_recording()
    if not restored:
        create_table()
    from local import files, notifications  # noqa: PLC0415 - after the environment points at moto

    notifications.provision()
    files.provision()
    return server, restored
