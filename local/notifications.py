"""Notifications on a laptop: the queues, bus and mail identity moto needs, and the evaluator and
the sender run by hand, where AWS runs them by a schedule and a queue trigger.

``drain`` does what the SQS event source does: receives up to ten messages, gives them to the
sender function as one SQS event, deletes the ones it handled and leaves the ones it reported
as failures for their visibility timeout (or, with ``redeliver``, makes them visible at once, as
if that time had passed). Every delivery it sees settle is logged to ``outbox.jsonl`` beside the
dev stack's state, which ``servicecycle outbox`` joins with what moto's SNS and SES accepted.
"""

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from local.settings import LOCAL_REGION, STATE_DIR

QUEUE = "servicecycle-deliveries"
DEAD_LETTERS = "servicecycle-deliveries-dlq"
BUS = "servicecycle"
MAIL_DOMAIN = "mail.servicecycle.test"
MAX_RECEIVES = 5  # as deployed: the fifth failed receive moves a message to the dead letters
VISIBILITY_SECONDS = 180
OUTBOX_LOG = "outbox.jsonl"


def _client(service: str) -> Any:
    import boto3  # noqa: PLC0415 - only after the environment points at moto

    return boto3.client(service, region_name=LOCAL_REGION)  # type: ignore[call-overload]


def provision() -> None:
    """Create what the evaluator and the sender use (again: creating is idempotent), and point
    the handlers' environment at it."""
    sqs = _client("sqs")
    dead = sqs.create_queue(QueueName=DEAD_LETTERS)["QueueUrl"]
    dead_arn = sqs.get_queue_attributes(QueueUrl=dead, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    redrive = json.dumps({"deadLetterTargetArn": dead_arn, "maxReceiveCount": str(MAX_RECEIVES)})
    url = sqs.create_queue(
        QueueName=QUEUE,
        Attributes={"VisibilityTimeout": str(VISIBILITY_SECONDS), "RedrivePolicy": redrive},
    )["QueueUrl"]
    events = _client("events")
    if BUS not in {bus["Name"] for bus in events.list_event_buses().get("EventBuses", [])}:
        events.create_event_bus(Name=BUS)
    ses = _client("sesv2")
    if MAIL_DOMAIN not in {i["IdentityName"] for i in ses.list_email_identities().get("EmailIdentities", [])}:
        ses.create_email_identity(EmailIdentity=MAIL_DOMAIN)
    os.environ.update(
        {
            "DELIVERY_QUEUE_URL": url,
            "DEAD_LETTER_QUEUE_URL": dead,
            "EVENT_BUS_NAME": BUS,
            "MAIL_FROM": f"notifications@{MAIL_DOMAIN}",
        }
    )


def _record(message: dict[str, Any]) -> dict[str, Any]:
    """An SQS message as the event source hands it to a function."""
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes", {}),
        "messageAttributes": {},
        "md5OfBody": message.get("MD5OfBody", ""),
        "eventSource": "aws:sqs",
        "eventSourceARN": f"arn:aws:sqs:{LOCAL_REGION}:123456789012:{QUEUE}",
        "awsRegion": LOCAL_REGION,
    }


def _delivery(body: dict[str, Any]) -> dict[str, Any]:
    """The delivery a message names, as stored now."""
    from shared.data import deliveries_repo  # noqa: PLC0415
    from shared.data.keys import account_pk, delivery_sk  # noqa: PLC0415

    item = deliveries_repo.get(
        account_pk(body["account"]), delivery_sk(body["notification"], body["channel"], body["to"])
    )
    return {
        "account": body["account"],
        "task_id": body["task_id"],
        "channel": body["channel"],
        "to": body["to"],
    } | {
        name: (item or {}).get(name)
        for name in ("state", "attempts", "message_id", "sent_at", "reason", "held_until")
    }


def drain(*, redeliver: bool = False, log: bool = False, rounds: int = 100) -> list[dict[str, Any]]:
    """Hand the queue's visible messages to the sender until none is left; the deliveries as
    each message left them (``log``: the sent ones logged for ``outbox``)."""
    from functions.notifications.send import handler  # noqa: PLC0415

    sqs, url = _client("sqs"), os.environ["DELIVERY_QUEUE_URL"]
    seen: list[dict[str, Any]] = []
    for _ in range(rounds):
        messages = sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"], WaitTimeSeconds=0
        ).get("Messages", [])
        if not messages:
            break
        response = handler({"Records": [_record(m) for m in messages]}, None)
        failed = {failure["itemIdentifier"] for failure in response.get("batchItemFailures", [])}
        for message in messages:
            body = json.loads(message["Body"])
            if message["MessageId"] in failed:
                if redeliver:
                    sqs.change_message_visibility(
                        QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
                    )
                continue
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            seen.append(_delivery(body))
    if log:
        _log_sent([d for d in seen if d.get("message_id")])
    return seen


def redrive() -> int:
    """Move the dead letters back to the delivery queue; how many were moved."""
    sqs = _client("sqs")
    dead, url = os.environ["DEAD_LETTER_QUEUE_URL"], os.environ["DELIVERY_QUEUE_URL"]
    moved = 0
    while messages := sqs.receive_message(QueueUrl=dead, MaxNumberOfMessages=10, WaitTimeSeconds=0).get(
        "Messages", []
    ):
        for message in messages:
            sqs.send_message(QueueUrl=url, MessageBody=message["Body"])
            sqs.delete_message(QueueUrl=dead, ReceiptHandle=message["ReceiptHandle"])
            moved += 1
    return moved


def evaluate(at: datetime, *, redeliver: bool = False, log: bool = False) -> tuple[Any, list[dict[str, Any]]]:
    """One evaluator run at ``at`` (it may be ahead of the clock), then the queue drained."""
    from shared.services.evaluation import run  # noqa: PLC0415

    report = run(at)
    return report, drain(redeliver=redeliver, log=log)


def _log_sent(deliveries: list[dict[str, Any]], state_dir: Path = STATE_DIR) -> None:
    if not deliveries:
        return
    state_dir.mkdir(parents=True, exist_ok=True)
    with (state_dir / OUTBOX_LOG).open("a", encoding="utf-8") as log:
        for delivery in deliveries:
            log.write(json.dumps(delivery) + "\n")


def accepted(endpoint: str) -> list[dict[str, Any]]:
    """What moto's SNS (SMS) and SES (email) accepted, oldest first per channel."""
    import urllib.request  # noqa: PLC0415

    with urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=10) as response:  # noqa: S310 - the local endpoint
        data = json.load(response)
    sent: list[dict[str, Any]] = [
        {
            "channel": "sms",
            "to": sms["phone_number"],
            "subject": None,
            "body": sms["message"],
            "message_id": sms["message_id"],
        }
        for sms in data.get("sns", {}).get("SMS", [])
    ]
    for mail in data.get("ses", {}).get("Message", []):
        to = (mail.get("destinations") or {}).get("ToAddresses") or [""]
        sent.append(
            {
                "channel": "email",
                "to": to[0],
                "subject": mail.get("subject"),
                "body": mail.get("body"),
                "message_id": mail["id"],
            }
        )
    return sent


def outbox(endpoint: str, state_dir: Path = STATE_DIR) -> list[dict[str, Any]]:
    """What moto's SNS and SES accepted, with the deliveries they belong to (as the drain saw them)."""
    sent = accepted(endpoint)
    log = state_dir / OUTBOX_LOG
    known: dict[str, dict[str, Any]] = {}
    if log.exists():
        for line in log.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            known[entry["message_id"]] = entry
    for entry in sent:
        delivery = known.get(entry["message_id"], {})
        entry.update(
            task_id=delivery.get("task_id"), status=delivery.get("state"), sent_at=delivery.get("sent_at")
        )
    return sent
