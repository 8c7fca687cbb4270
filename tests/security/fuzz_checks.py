"""Checks of our own contract, for schemathesis: registered on import (``make test``) and loaded
as a hooks module by the command-line runs of ``make fuzz`` (SCHEMATHESIS_HOOKS).

- ``schema_agreement`` replaces schemathesis' positive_data_acceptance. A request the document
  allows may still be refused, but only by a rule the document cannot state, which has an error
  code of its own (meter_decreased, invalid_cursor, occurrence_completed, ...). A 400, or a 422
  ``validation_error``, for a request the document allows means the two disagree.
- ``errors_name_the_field``: every 400 and 422 names where the value was (``body.``, ``query.``,
  ``header.``, ``path.``) and why.
"""

import json
import re
import uuid
from collections.abc import Callable
from typing import Any

import schemathesis
from hypothesis.internal import lambda_sources
from schemathesis import CheckContext, Response
from schemathesis.core.failures import Failure


def _tolerant(describe: Callable[[Any], str]) -> Callable[[Any], str]:
    """CPython 3.11.7 (this machine's) can fail ``ast.parse`` deep in a call stack with "AST
    constructor recursion depth mismatch" (a bug of that release). Hypothesis parses source only
    to print a lambda in a strategy's repr, and schemathesis' coverage phase then reports the
    whole operation as an error. The description is cosmetic, so it falls back to a plain one."""

    def description(function: Any) -> str:
        try:
            return describe(function)
        except SystemError:
            return "lambda: <source not parsed>"

    return description


lambda_sources.lambda_description = _tolerant(lambda_sources.lambda_description)

SCHEMA_ERRORS = frozenset({"validation_error", "bad_request"})
FIELD_PREFIXES = ("body", "query", "header.", "path.")
# pydantic's own wording, which a reason written for people never starts with.
MACHINE_WORDING = ("Input should", "Value error", "String should", "Field required")


def _error(response: Response) -> dict[str, Any] | None:
    try:
        body = json.loads(response.content or b"null")
    except ValueError:
        return None
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else None


def _positive(case: Any) -> bool:
    meta = getattr(case, "meta", None)
    generation = getattr(meta, "generation", None)
    mode = getattr(generation, "mode", None)
    return bool(mode is not None and mode.is_positive)


@schemathesis.check
def schema_agreement(ctx: CheckContext, response: Response, case: Any) -> bool | None:
    if response.status_code not in (400, 422) or not _positive(case):
        return None
    error = _error(response) or {}
    if error.get("code") in SCHEMA_ERRORS:
        raise Failure(
            operation=case.operation.label,
            title="A request the document allows was refused as malformed",
            message=f"{response.status_code} {error.get('code')}: {error.get('message')}\n"
            "State the rule in the document, accept the request, or refuse it with a rule's own code.",
        )
    return None


@schemathesis.check
def errors_name_the_field(ctx: CheckContext, response: Response, case: Any) -> bool | None:
    if response.status_code not in (400, 422):
        return None
    error = _error(response)
    details = (error or {}).get("details")
    if not details or not all(
        isinstance(d, dict)
        and str(d.get("field", "")).startswith(FIELD_PREFIXES)
        and d.get("reason")
        and not str(d["reason"]).startswith(MACHINE_WORDING)
        for d in details
    ):
        raise Failure(
            operation=case.operation.label,
            title="A refusal does not say which field and why",
            message=f"{response.status_code}: {error}",
        )
    return None


def _json_types(schema: Any) -> set[str]:
    """The JSON types a parameter's schema admits (through ``anyOf``/``oneOf`` too)."""
    if not isinstance(schema, dict):
        return set()
    found = {schema["type"]} if isinstance(schema.get("type"), str) else set(schema.get("type") or [])
    for part in (*schema.get("anyOf", ()), *schema.get("oneOf", ())):
        found |= _json_types(part)
    return found | ({"number"} if "integer" in found else set())


_WIRE_TYPES = ((bool, "boolean"), (int, "integer"), (float, "number"), (type(None), "null"))


def _typed_only_in_memory(ctx: Any, name: str, value: Any) -> bool:
    """A value of a JSON type the parameter does not take (``false`` for a text parameter) that
    reaches the wire as text: ``status=false`` is the text "false", which the parameter may well
    take. Whether that text is valid is the string schema's question, which other cases ask."""
    kind = next((json for python, json in _WIRE_TYPES if isinstance(value, python)), None)
    if kind is None:
        return False
    operation = getattr(ctx, "operation", None)
    for parameter in getattr(operation, "query", ()) or ():
        if getattr(parameter, "name", None) == name:
            return kind not in _json_types(parameter.definition.get("schema"))
    return False


@schemathesis.hook
def filter_query(ctx: Any, query: dict[str, Any] | None) -> bool:
    """A query value whose wire form is not what was generated is left out: an object would be
    sent as its Python text (``{'': 'null'}``) and a boolean, number or null as plain text, either
    of which may be a valid string, so the request would be counted as invalid data accepted."""
    values = (query or {}).items()
    return not any(
        isinstance(value, dict) or _typed_only_in_memory(ctx, name, value) for name, value in values
    )


_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


@schemathesis.hook
def before_call(ctx: Any, case: Any, **_: Any) -> None:
    """In the stateful phase, a valid Idempotency-Key is made unique per request (it stays valid;
    an invalid one is sent as generated). Generated keys repeat across scenarios, and the API
    rightly answers a repeated key with the first answer, even when what that answer created has
    been deleted since (tests/api/test_idempotency.py): a scenario would then take a replayed
    create for a resource that cannot be found. Other phases send each case on its own; changing
    a case's headers there would undo a case that leaves a header out on purpose."""
    phase = getattr(getattr(getattr(case, "meta", None), "phase", None), "name", None)
    key = (case.headers or {}).get("Idempotency-Key")
    if phase == "stateful" and isinstance(key, str) and _KEY.match(key):
        case.headers["Idempotency-Key"] = f"{key[:222]}-{uuid.uuid4().hex}"
