"""What a route of the API is: the row type of the route table (shared/routes/__init__.py)."""

from dataclasses import dataclass

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Writes that accept an Idempotency-Key claim, complete and release a record, and read back the
# parts of an answer too large for one item.
_IDEMPOTENCY = ("PutItem", "UpdateItem", "DeleteItem", "GetItem")


@dataclass(frozen=True)
class RateLimit:
    per_second: int
    burst: int
    per_address: int  # in PUBLIC_WINDOW_SECONDS, per client address (WAF rate-based rule)


PUBLIC_WINDOW_SECONDS = 300
PUBLIC_RATE = RateLimit(per_second=20, burst=40, per_address=100)


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    module: str
    summary: str
    tag: str
    dynamodb: tuple[str, ...] = ()
    public: bool = False
    timeout_seconds: int = 10
    memory_mb: int = 512
    # Layers beyond the core one (infra/layer.py): "reports" for the functions that render files.
    layers: tuple[str, ...] = ()
    # A tighter limit than the stage's, for routes anyone may call: requests per second on the
    # method, and per address in the firewall (per PUBLIC_WINDOW_SECONDS), locally too.
    rate_limit: "RateLimit | None" = None
    # S3 actions on the files bucket, each with the key prefix it is granted on ("uploads/": the
    # objects under it; "": the bucket itself). A function with any gets the bucket's name.
    storage: tuple[tuple[str, str], ...] = ()
    # Whose assets the route reaches: "own" (the caller's), "provider" (a customer's that granted
    # the caller it, through the caller's link); the isolation suite checks each relation.
    access: tuple[str, ...] = ("own",)

    @property
    def name(self) -> str:
        """Operation id and function name: the handler module's own name."""
        return self.module.rsplit(".", 1)[-1]

    @property
    def handler(self) -> str:
        return f"{self.module}.handler"

    @property
    def writes(self) -> bool:
        return self.method in WRITE_METHODS

    @property
    def path_params(self) -> tuple[str, ...]:
        return tuple(part[1:-1] for part in self.path.split("/") if part.startswith("{"))


def writes(*actions: str) -> tuple[str, ...]:
    return tuple(sorted({*actions, *_IDEMPOTENCY}))


# Files: a write dropping a file's last link deletes its objects (shared/services/file_links.py).
FILE_DROP = (("DeleteObject", "files/"), ("DeleteObject", "uploads/"))
