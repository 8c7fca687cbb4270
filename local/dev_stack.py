"""The running dev stack as other commands find it: ``servicecycle dev`` writes where its API and
its AWS endpoint are to ``.servicecycle/dev.json``; ``evaluate``, ``outbox`` and ``redrive``
attach to that endpoint. The dev server also runs the evaluator and drains the delivery queue
on a timer, as the schedule and the queue trigger do in AWS."""

import json
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from local import files, notifications
from local.settings import STATE_DIR, apply_handler_environment

STACK_FILE = STATE_DIR / "dev.json"


def write_stack_file(api: str, aws_endpoint: str) -> Path:
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    STACK_FILE.write_text(json.dumps({"api": api, "aws_endpoint": aws_endpoint}), encoding="utf-8")
    return STACK_FILE


def endpoint() -> str:
    return str(json.loads(STACK_FILE.read_text(encoding="utf-8"))["aws_endpoint"])


def attach() -> bool:
    """Point this process at the running dev stack's AWS; False when none answers."""
    try:
        stack = json.loads(STACK_FILE.read_text(encoding="utf-8"))
        with urllib.request.urlopen(f"{stack['api']}/health", timeout=3):  # noqa: S310 - the local API
            pass
    except (OSError, ValueError, KeyError):
        return False
    apply_handler_environment(stack["aws_endpoint"])
    notifications.provision()
    files.provision()
    return True


def parse_time(text: str) -> datetime | None:
    """An ISO 8601 time (no zone: UTC), or None when ``text`` is none."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def evaluate_now(at: datetime | None) -> tuple[Any, list[dict[str, Any]]]:
    return notifications.evaluate(at or datetime.now(UTC), log=True)


def _tick(seconds: float) -> None:
    while True:
        time.sleep(seconds)
        try:
            notifications.evaluate(datetime.now(UTC), log=True)
        except Exception as error:
            print(f"evaluation failed: {error!r}", flush=True)


def start_ticker(seconds: float) -> None:
    """Evaluate and send every ``seconds`` in the background (0: never)."""
    if seconds > 0:
        threading.Thread(target=_tick, args=(seconds,), daemon=True, name="evaluator").start()


def describe(report: Any, deliveries: list[dict[str, Any]]) -> str:
    lines = [f"{len(report.transitions)} transitions, {len(deliveries)} deliveries"]
    for n in report.transitions:
        lines.append(
            f"  {n['at']}  {n['task_id']}  {n['previous']} -> {n['status']}  ({n['cause']}; "
            f"occurrence {n['occurrence']}, round {n['round']})"
        )
    for d in deliveries:
        detail = d.get("message_id") or d.get("reason") or d.get("held_until") or ""
        lines.append(f"  {d['channel']:<5}  {d['to']:<32}  {d.get('state') or '-':<10}  {detail}")
    if report.backlog:
        lines.append("  (stopped before the end: the rest is due at the next run)")
    return "\n".join(lines)


def describe_outbox(sent: list[dict[str, Any]]) -> str:
    if not sent:
        return "Nothing sent yet."
    lines = []
    for message in sent:
        head = f"{message['channel'].upper():<5} to {message['to']}  [{message.get('status') or '?'}]"
        body = message["subject"] if message["channel"] == "email" else message["body"]
        lines.append(f"{head}\n      {body}")
    return "\n".join(lines)
