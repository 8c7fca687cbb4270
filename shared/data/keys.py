"""Key layout of the single table. docs/data-model.md explains every pattern built from these."""

import zlib

ACCOUNT = "ACCOUNT#"


def account_pk(account_id: str) -> str:
    return f"{ACCOUNT}{account_id}"


def account_of(pk: str) -> str:
    """The account whose partition ``pk`` is (the inverse of ``account_pk``)."""
    return pk.removeprefix(ACCOUNT)


def asset_sk(asset_id: str) -> str:
    return f"ASSET#{asset_id}"


def external_id_sk(external_id: str) -> str:
    return f"EXTID#{external_id}"


def asset_type_gsi1pk(account_id: str, asset_type: str) -> str:
    return f"{ACCOUNT}{account_id}#ASSETTYPE#{asset_type}"


# Readings are most of the table: their keys are short (every byte is stored, per reading).
def readings_pk(account_id: str, asset_id: str) -> str:
    return f"R#{account_id}#{asset_id}"


def asset_of_readings_pk(pk: str) -> str:
    """The asset whose readings partition ``pk`` is (the inverse of ``readings_pk``)."""
    return pk.rsplit("#", 1)[1]


# The readings partition holds readings only, sorted by their time: every sort key starts with
# a digit, so READINGS_LOW and READINGS_HIGH bound them all.
READINGS_LOW, READINGS_HIGH = "0", ":"


def reading_sk(time_iso: str) -> str:
    return time_iso


def idempotency_sk(resource: str, key: str) -> str:
    return f"IDEMPOTENCY#{resource}#{key}"


SETTINGS_SK = "SETTINGS"


def task_sk(task_id: str) -> str:
    return f"TASK#{task_id}"


def asset_task_ids(asset_id: str) -> str:
    """What every task id of one asset begins with: ``tsk_`` and the asset's id part."""
    return f"tsk_{asset_id.partition('_')[2]}"


def asset_tasks_prefix(asset_id: str) -> str:
    """The sort-key prefix of one asset's tasks."""
    return task_sk(asset_task_ids(asset_id))


def history_pk(account_id: str, asset_id: str) -> str:
    return f"{ACCOUNT}{account_id}#ASSET#{asset_id}#HISTORY"


def history_sk(completed_at_iso: str, task_id: str, occurrence: int) -> str:
    return f"DONE#{completed_at_iso}#{task_id}#{occurrence:06d}"


def service_gsi2pk(account_id: str) -> str:
    """Assets with open tasks, ordered by when they need attention (GSI2)."""
    return f"{ACCOUNT}{account_id}#SERVICE"


# Sorts after every ISO timestamp: "no known time" (a meter condition not yet in its warning range).
NO_TIME = "~"


def service_gsi2sk(warn_at_iso: str | None) -> str:
    """The asset's earliest warning instant, or ``~`` (no key needs to be unique in an index)."""
    return warn_at_iso or NO_TIME


def due_work_gsi3pk(account_id: str) -> str:
    """Open tasks in their warning range or overdue, soonest due first (GSI3)."""
    return f"{ACCOUNT}{account_id}#DUE"


def due_work_gsi3sk(due_at_iso: str | None, task_id: str) -> str:
    return f"{due_at_iso or NO_TIME}#{task_id}"


def watch_gsi4pk(account_id: str) -> str:
    """Open tasks not yet in their warning range, by the instant they enter it (GSI4)."""
    return f"{ACCOUNT}{account_id}#WATCH"


def watch_gsi4sk(warn_at_iso: str, task_id: str) -> str:
    return f"{warn_at_iso}#{task_id}"


def up_to(moment_iso: str) -> str:
    """An upper bound for ``<instant>#...`` sort keys: every key whose instant is at or before this."""
    return f"{moment_iso}$"  # "$" sorts right after "#"


# The evaluator's index (GSI5): whatever is due at an instant, across accounts, spread over
# EVAL_SHARDS partitions by a hash of the item's id so that no index partition is hot.
EVAL_SHARDS = 16


def eval_gsi5pk(item_id: str) -> str:
    return f"EVAL#{zlib.crc32(item_id.encode()) % EVAL_SHARDS}"


def eval_shard_pk(shard: int) -> str:
    return f"EVAL#{shard}"


def eval_gsi5sk(instant_iso: str, item_id: str) -> str:
    return f"{instant_iso}#{item_id}"


# A notification is named by the transition it tells: task, occurrence, round and status (as its
# rank, so that one task's notifications sort in the order they happen). Its deliveries follow
# it in the same partition: ``<notification>#<channel>#<recipient>``.
NOTIFY = "NOTIFY#"
STATUS_RANKS = {"upcoming": "1", "overdue": "2"}


def notification_sk(task_id: str, occurrence: int, round_: int, status: str) -> str:
    return f"{NOTIFY}{task_id}#{occurrence:06d}#{round_:02d}#{STATUS_RANKS[status]}"


def task_notifications_prefix(task_id: str) -> str:
    return f"{NOTIFY}{task_id}#"


def asset_notifications_prefix(asset_id: str) -> str:
    """Every notification of one asset's tasks."""
    return f"{NOTIFY}{asset_task_ids(asset_id)}"


def delivery_sk(notification: str, channel: str, recipient: str) -> str:
    return f"{notification}#{channel}#{recipient}"


def task_of_notification(sk: str) -> str:
    """The task a notification key names."""
    return sk.split("#", 2)[1]


def notification_of_delivery(sk: str) -> tuple[str, str, str]:
    """A delivery's notification key, channel and recipient (addresses may hold ``#``)."""
    parts = sk.split("#", 6)
    return "#".join(parts[:5]), parts[5], parts[6]


OPT_OUT = "OPTOUT#"


def opt_out_sk(recipient: str) -> str:
    """Phone numbers as given (E.164 is canonical), addresses case-folded."""
    return f"{OPT_OUT}{recipient.casefold()}"


# Work orders (issue 14, docs/data-model.md W1-W9). An order has a partition of its own: the
# order, its lines, notes and events, so that one Query reads an order whole. The account's
# catalogues (statuses, types, reasons, hourly rates, sites), its files and the order number
# counter live in the account's partition.
ORDER_SK = "#ORDER"
ORDER_LINE, ORDER_NOTE, ORDER_EVENT = "ITEM#", "NOTE#", "~EVENT#"
ORDER_COUNTER_SK = "COUNTER#WO"
ORDER_NUMBER_DIGITS = 10


def order_pk(account_id: str, order_id: str) -> str:
    return f"{ACCOUNT}{account_id}#WO#{order_id}"


def order_of_pk(pk: str) -> str:
    """The order whose partition ``pk`` is (the inverse of ``order_pk``)."""
    return pk.rsplit("#", 1)[1]


def order_line_sk(line_id: str) -> str:
    return f"{ORDER_LINE}{line_id}"


def order_note_sk(note_id: str) -> str:
    return f"{ORDER_NOTE}{note_id}"


def order_event_sk(seq: int) -> str:
    return f"{ORDER_EVENT}{seq:06d}"


def order_number_key(number: int) -> str:
    """An order number as a sort key: zero-padded, so that key order is number order."""
    return f"{number:0{ORDER_NUMBER_DIGITS}d}"


def orders_gsi3pk(account_id: str) -> str:
    """Every order of the account by number (GSI3, shared with the due tasks)."""
    return f"{ACCOUNT}{account_id}#WO"


def orders_by_state_gsi6pk(account_id: str, state: str) -> str:
    """Open orders by planned start, closed ones by close time (GSI6)."""
    return f"{ACCOUNT}{account_id}#WO#{state}"


def orders_by_state_gsi6sk(instant_iso: str | None, number: int) -> str:
    return f"{instant_iso or NO_TIME}#{order_number_key(number)}"


def orders_by_status_gsi7pk(account_id: str, status: str) -> str:
    """The account's orders in one status, by number (GSI7)."""
    return f"{ACCOUNT}{account_id}#WOSTATUS#{status}"


def orders_by_pk(account_id: str, dimension: str, value: str) -> str:
    """A list copy's partition: the orders of one assignee, asset, customer, site or depot."""
    return f"{ACCOUNT}{account_id}#WOBY#{dimension}#{value}"


def order_status_sk(key: str) -> str:
    return f"WOSTATUS#{key}"


def order_type_sk(key: str) -> str:
    return f"WOTYPE#{key}"


def order_reason_sk(outcome: str, code: str) -> str:
    return f"WOREASON#{outcome}#{code}"


def hourly_rate_sk(rate_id: str) -> str:
    return f"RATE#{rate_id}"


def site_sk(site_id: str) -> str:
    return f"SITE#{site_id}"


FILE = "FILE#"


def file_sk(file_id: str) -> str:
    """A file in the account's partition; and, in an order's partition, the order's mark of a
    file declared for it (``link`` work_order)."""
    return f"{FILE}{file_id}"


def file_for_sk(task_id: str, file_id: str) -> str:
    """The mark of a file declared for a task or its completion, in the account's partition."""
    return f"FILEFOR#{task_id}#{file_id}"


def files_for_prefix(task_ids: str) -> str:
    """The marks of the files declared for the tasks whose ids begin with ``task_ids`` (one task:
    its id and ``#``; one asset's tasks: ``asset_task_ids``)."""
    return f"FILEFOR#{task_ids}"


def asset_order_history_sk(closed_at_iso: str, order_id: str) -> str:
    """A closed order in an asset's history, beside its task completions (H1)."""
    return f"DONE#{closed_at_iso}#{order_id}"


def public_order_pk(reference_hash: str) -> str:
    """A public status link: the only key outside an account's partitions (public route only)."""
    return f"PUBLIC#{reference_hash}"


PUBLIC_LINK_SK = "#LINK"
