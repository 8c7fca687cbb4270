"""The queue, the event bus and the providers that carry notifications: SQS, EventBridge, SNS
(SMS) and SES (email). Clients are made on first use, so functions that never send pay nothing.

Provider failures come back as two kinds: ``ProviderBusy`` (throttled, unavailable, not reached:
try again later) and ``ProviderRefused`` (this message will never go: do not retry).
"""

import json
import os
from functools import cache
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError, ConnectionError, ReadTimeoutError

EVENT_SOURCE = "servicecycle"
# Provider calls: a dead endpoint fails fast, and botocore tries once more before we decide.
PROVIDER_CONFIG = Config(
    connect_timeout=2, read_timeout=5, retries={"total_max_attempts": 2, "mode": "standard"}
)
PERMANENT = frozenset(
    {
        "MessageRejected",  # SES: the content or a recipient is refused
        "MailFromDomainNotVerifiedException",
        "InvalidParameter",  # SNS: e.g. a number it cannot send to
        "InvalidParameterValue",
        "InvalidParameterException",
        "BadRequestException",
        "NotFoundException",
        "AccountSuspendedException",
        "SendingPausedException",
        "OptedOut",
    }
)


class ProviderBusy(Exception):
    """The provider did not take the message now (throttled, failing, unreachable)."""


class ProviderRefused(Exception):
    """The provider will never take this message."""


@cache
def _client(service: str, provider: bool = False) -> Any:
    return boto3.client(service, config=PROVIDER_CONFIG) if provider else boto3.client(service)  # type: ignore[call-overload]


def queue_url() -> str:
    return os.environ.get("DELIVERY_QUEUE_URL", "")


def enqueue(bodies: list[dict[str, Any]]) -> None:
    """Put one message per body on the delivery queue (rounds of 10); raises if any is refused,
    so that the caller leaves its outbox entry for the next run."""
    for start in range(0, len(bodies), 10):
        entries = [
            {"Id": str(number), "MessageBody": json.dumps(body, separators=(",", ":"))}
            for number, body in enumerate(bodies[start : start + 10])
        ]
        response = _client("sqs").send_message_batch(QueueUrl=queue_url(), Entries=entries)
        if response.get("Failed"):
            raise RuntimeError(f"the delivery queue refused {len(response['Failed'])} messages")


def publish_events(details: list[dict[str, Any]], detail_type: str) -> None:
    """Tell integrations on the event bus (rounds of 10, as PutEvents takes them)."""
    bus = os.environ.get("EVENT_BUS_NAME", "default")
    for start in range(0, len(details), 10):
        entries = [
            {
                "Source": EVENT_SOURCE,
                "DetailType": detail_type,
                "Detail": json.dumps(detail),
                "EventBusName": bus,
            }
            for detail in details[start : start + 10]
        ]
        response = _client("events").put_events(Entries=entries)
        if response.get("FailedEntryCount"):
            raise RuntimeError(f"the event bus refused {response['FailedEntryCount']} events")


def retry_later(receipt_handle: str, seconds: int) -> None:
    """Make a received message visible again after ``seconds``."""
    _client("sqs").change_message_visibility(
        QueueUrl=queue_url(), ReceiptHandle=receipt_handle, VisibilityTimeout=seconds
    )


def _provider_call(call: Any, **kwargs: Any) -> dict[str, Any]:
    try:
        return dict(call(**kwargs))
    except ClientError as error:
        code = str(error.response.get("Error", {}).get("Code", ""))
        if code in PERMANENT:
            raise ProviderRefused(code) from error
        raise ProviderBusy(code or "error") from error
    except (ConnectionError, ReadTimeoutError) as error:
        raise ProviderBusy(type(error).__name__) from error


def send_sms(phone: str, text: str) -> str:
    """Send one transactional SMS; the provider's message id."""
    response = _provider_call(
        _client("sns", provider=True).publish,
        PhoneNumber=phone,
        Message=text,
        MessageAttributes={"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}},
    )
    return str(response["MessageId"])


def send_email(to: str, subject: str, text: str, html: str) -> str:
    """Send one email from the configured address; the provider's message id."""
    request: dict[str, Any] = {
        "FromEmailAddress": os.environ.get("MAIL_FROM", "notifications@servicecycle.invalid"),
        "Destination": {"ToAddresses": [to]},
        "Content": {
            "Simple": {
                "Subject": {"Data": subject, "Charset": "UTF-8"},
                "Body": {
                    "Text": {"Data": text, "Charset": "UTF-8"},
                    "Html": {"Data": html, "Charset": "UTF-8"},
                },
            }
        },
    }
    if configuration_set := os.environ.get("SES_CONFIGURATION_SET"):
        request["ConfigurationSetName"] = configuration_set
    response = _provider_call(_client("sesv2", provider=True).send_email, **request)
    return str(response["MessageId"])
