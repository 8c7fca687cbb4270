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


def readings_pk(account_id: str, asset_id: str) -> str:
    return f"{ACCOUNT}{account_id}#ASSET#{asset_id}#READINGS"


def reading_sk(time_iso: str) -> str:
    return f"READING#{time_iso}"


def idempotency_sk(resource: str, key: str) -> str:
    return f"IDEMPOTENCY#{resource}#{key}"


SETTINGS_SK = "SETTINGS"
