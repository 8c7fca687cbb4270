"""Notifications when things go wrong: racing evaluators, a sender that dies after the provider took
a message, providers that throttle or fail, a run that dies before its hand-over, repeated
queue messages and repeated schedule events. Each recipient still gets each message once."""

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from local import notifications as local
from shared.clock import to_iso, utc_now
from shared.data import deliveries_repo, messaging, notifications_repo
from shared.services import evaluation
from tests.api.test_notifications import address, date_task, notifications, phone, sent_to, soon
from tests.conftest import Api


def overdue_task(api: Api) -> tuple[dict[str, Any], str, str]:
    sms, email = phone(), address()
    return date_task(api, sms, email, due_in_days=-1), sms, email


def deliveries(api: Api, task: dict[str, Any]) -> dict[str, dict[str, Any]]:
    [told] = notifications(api, task)
    return {d["channel"]: d for d in told["deliveries"]}


def failing(
    times: int, error: Callable[[], Exception], real: Callable[..., Any], when: Callable[..., bool]
) -> Any:
    """``real``, raising ``error()`` the first ``times`` calls that ``when`` picks (-1: always)."""
    calls = {"n": 0}

    def call(*args: Any, **kwargs: Any) -> Any:
        if when(*args, **kwargs) and (times < 0 or calls["n"] < times):
            calls["n"] += 1
            raise error()
        return real(*args, **kwargs)

    return call


def client_error(code: str) -> Callable[[], Exception]:
    return lambda: ClientError({"Error": {"Code": code, "Message": code}}, "call")


def test_two_evaluators_at_once_record_one_notification_and_send_once(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    task, sms, email = overdue_task(api)
    barrier = threading.Barrier(2, timeout=10)
    real = notifications_repo.commit_transition

    def together(entry: dict[str, Any], *args: Any) -> bool:
        if entry["id"] == task["id"]:
            barrier.wait()  # both decided; both commit now
        return real(entry, *args)

    monkeypatch.setattr(notifications_repo, "commit_transition", together)
    at = soon()
    runs = [threading.Thread(target=evaluation.run, args=(at,)) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    local.drain()
    assert len(notifications(api, task)) == 1
    assert len(sent_to(sms)) == 1 and len(sent_to(email)) == 1


def test_a_sender_failing_once_to_record_the_send_retries_the_record_not_the_send(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    task, sms, _ = overdue_task(api)
    move = failing(
        1,
        lambda: RuntimeError("table unavailable"),
        deliveries_repo.move,
        lambda pk, sk, seen, fields, **_: sms in sk and fields.get("state") == "sent",
    )
    monkeypatch.setattr(deliveries_repo, "move", move)
    local.evaluate(soon(), redeliver=True)
    assert len(sent_to(sms)) == 1
    assert deliveries(api, task)["sms"]["state"] == "sent"


def test_a_sender_that_cannot_record_the_send_never_sends_again_and_says_unknown(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    task, sms, _ = overdue_task(api)
    move = failing(
        -1,
        lambda: RuntimeError("table unavailable"),
        deliveries_repo.move,
        lambda pk, sk, seen, fields, **_: sms in sk and fields.get("state") == "sent",
    )
    monkeypatch.setattr(deliveries_repo, "move", move)
    evaluation.run(soon())
    local.drain(redeliver=True, rounds=3)  # failed, then refused while its lease runs
    assert len(sent_to(sms)) == 1
    assert deliveries(api, task)["sms"]["state"] == "sending"
    later = utc_now() + timedelta(minutes=2)
    monkeypatch.setattr("functions.notifications.send.utc_now", lambda: later)
    local.drain()
    assert len(sent_to(sms)) == 1
    assert deliveries(api, task)["sms"]["state"] == "unknown"


def test_a_throttling_provider_is_tried_again_and_the_sms_goes_once(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    task, sms, _ = overdue_task(api)
    sns = messaging._client("sns", provider=True)
    publish = failing(3, client_error("Throttling"), sns.publish, lambda **kw: kw.get("PhoneNumber") == sms)
    monkeypatch.setattr(sns, "publish", publish)
    local.evaluate(soon(), redeliver=True)
    assert len(sent_to(sms)) == 1
    delivered = deliveries(api, task)["sms"]
    assert (delivered["state"], delivered["attempts"]) == ("sent", 4)


def test_a_refused_message_fails_for_good_without_retries(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    task, _, _ = overdue_task(api)
    ses = messaging._client("sesv2", provider=True)
    monkeypatch.setattr(
        ses, "send_email", failing(-1, client_error("MessageRejected"), ses.send_email, lambda **kw: True)
    )
    local.evaluate(soon(), redeliver=True)
    delivered = deliveries(api, task)["email"]
    assert (delivered["state"], delivered["attempts"], delivered["reason"]) == (
        "failed",
        1,
        "MessageRejected",
    )


def test_an_email_failing_five_times_goes_to_dead_letters_and_out_once_after_redrive(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    task, _, email = overdue_task(api)
    ses = messaging._client("sesv2", provider=True)
    real = ses.send_email
    monkeypatch.setattr(
        ses, "send_email", failing(-1, client_error("ServiceUnavailable"), real, lambda **kw: True)
    )
    local.evaluate(soon(), redeliver=True)
    assert sent_to(email) == []
    delivered = deliveries(api, task)["email"]
    assert (delivered["state"], delivered["attempts"]) == ("retry", 5)
    monkeypatch.setattr(ses, "send_email", real)
    assert local.redrive() >= 1
    local.drain()
    assert len(sent_to(email)) == 1
    assert deliveries(api, task)["email"]["state"] == "sent"


def test_a_run_that_dies_before_its_hand_over_is_handed_over_by_the_next(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    task, sms, _ = overdue_task(api)
    real = messaging.enqueue
    # The queue refuses for the whole run (any shard that finds the notification, the one that
    # recorded it or another that sees it in the index, fails to hand it over).
    enqueue = failing(
        -1,
        lambda: RuntimeError("queue unavailable"),
        real,
        lambda bodies: any(body["to"] == sms for body in bodies),
    )
    monkeypatch.setattr(messaging, "enqueue", enqueue)
    with pytest.raises(RuntimeError):
        evaluation.run(soon())
    [told] = notifications(api, task)
    assert not told["handed_over"] and sent_to(sms) == []
    monkeypatch.setattr(messaging, "enqueue", real)  # the queue is back
    local.evaluate(soon(5))
    assert len(sent_to(sms)) == 1 and len(notifications(api, task)) == 1
    assert notifications(api, task)[0]["handed_over"]


def test_a_repeated_queue_message_sends_nothing_more(api: Api) -> None:
    task, sms, _ = overdue_task(api)
    report, _ = local.evaluate(soon())
    [notification] = [n for n in report.transitions if n["task_id"] == task["id"]]
    repeated = evaluation.delivery_messages(notification, soon())
    for _ in range(2):
        messaging.enqueue(repeated)
    local.drain()
    assert len(sent_to(sms)) == 1


def test_a_repeated_schedule_event_records_nothing_more(api: Api) -> None:
    from functions.evaluation.evaluate import handler  # noqa: PLC0415

    task, sms, _ = overdue_task(api)
    event = {"time": to_iso(utc_now())}
    first, again = handler(event, None), handler(event, None)
    assert first["transitions"] >= 1
    local.drain()
    assert len(notifications(api, task)) == 1 and len(sent_to(sms)) == 1
    assert again["transitions"] == 0


def test_a_run_out_of_time_leaves_the_rest_due_for_the_next(api: Api) -> None:
    task, sms, _ = overdue_task(api)
    stopped = evaluation.run(soon(), stop=lambda: True)
    assert stopped.backlog and notifications(api, task) == []
    local.evaluate(soon())
    assert len(sent_to(sms)) == 1


def test_a_task_without_recipients_is_recorded_and_published_but_sends_nothing(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    published: list[dict[str, Any]] = []
    real = messaging.publish_events

    def publish(details: list[dict[str, Any]], detail_type: str) -> None:
        published.extend(details)
        real(details, detail_type)

    monkeypatch.setattr(messaging, "publish_events", publish)
    asset = api.create_asset(name="Van 2", type="vehicle")
    body = {
        "name": "Tyres",
        "asset_id": asset["id"],
        "conditions": {"date": {"due": "2026-01-01"}},
        "recipients": {"push": True},
    }
    task = api.post("/tasks", body).json()
    _, drained = local.evaluate(soon())
    [told] = notifications(api, task)
    assert told["deliveries"] == [] and told["recipients"]["push"] is True
    assert not [d for d in drained if d["task_id"] == task["id"]]
    [event] = [e for e in published if e["task_id"] == task["id"]]
    assert (event["status"], event["previous"], event["push"]) == ("overdue", "planned", True)
