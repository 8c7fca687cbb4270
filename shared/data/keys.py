"""Key layout of the single table. docs/data-model.md explains every pattern built from these."""

ACCOUNT = "ACCOUNT#"


def account_pk(account_id: str) -> str:
    return f"{ACCOUNT}{account_id}"


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


def asset_tasks_prefix(asset_id: str) -> str:
    """The sort-key prefix of one asset's tasks: task ids begin with their asset's id part."""
    return f"TASK#tsk_{asset_id.partition('_')[2]}"


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
