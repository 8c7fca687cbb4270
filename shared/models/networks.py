"""API models of service networks: an account's group of providers that may use its plans
(docs/plans.md, "Networks")."""

from typing import Any, Literal

from pydantic import ConfigDict, Field, model_validator

from shared.models.assignments import PlanId
from shared.models.common import (
    Cursor,
    InputModel,
    ItemError,
    LongText,
    Name,
    OutputModel,
    Page,
    PageLimit,
    QueryParams,
    StoredTime,
    rule_broken,
    some_entries,
)
from shared.models.providers import AccountId

MAX_BULK = 500


class NetworkCreate(InputModel):
    name: Name
    description: LongText | None = None


class Network(OutputModel):
    id: str
    name: str
    description: str | None = None
    owner_account_id: str
    role: Literal["owner", "member"] = Field(
        description="owner: you made it; member: you are one of its providers"
    )
    providers: int = Field(description="Member providers")
    plans: int = Field(description="Plans its providers may use")
    version: int | None = Field(None, description="The network's version (owner's view)")
    created_at: StoredTime | None = None


class NetworkDetail(Network):
    provider_account_ids: list[str] = Field(
        description="Member providers (owner's view; a member sees itself)"
    )
    plan_ids: list[str]


class NetworkQuery(QueryParams):
    limit: PageLimit = 50
    next: Cursor | None = None


class NetworkPage(Page[Network]):
    pass


class Members(InputModel):
    providers: list[AccountId] = Field(default_factory=list, max_length=MAX_BULK)
    plans: list[PlanId] = Field(default_factory=list, max_length=MAX_BULK, description="Plans you own")

    @model_validator(mode="after")
    def _once(self) -> "Members":
        for kind in ("providers", "plans"):
            values = getattr(self, kind)
            if len(set(values)) != len(values):
                raise rule_broken(self, "duplicate_item", f"a member is named twice in {kind}", kind)
        return self


def _some_member() -> dict[str, Any]:
    """JSON Schema: at least one of add.providers, add.plans, remove.providers, remove.plans is
    given and not empty."""
    return {
        "anyOf": [
            {"required": [side], "properties": {side: some_entries(kind)}}
            for side in ("add", "remove")
            for kind in ("providers", "plans")
        ]
    }


class MemberChanges(InputModel):
    model_config = ConfigDict(json_schema_extra=_some_member())
    add: Members = Field(default_factory=Members)
    remove: Members = Field(default_factory=Members)

    @model_validator(mode="after")
    def _distinct(self) -> "MemberChanges":
        named = [*self.add.providers, *self.add.plans, *self.remove.providers, *self.remove.plans]
        if not named:
            raise ValueError("give at least one provider or plan in add or remove")
        for kind in ("providers", "plans"):
            if set(getattr(self.add, kind)) & set(getattr(self.remove, kind)):
                raise rule_broken(
                    self, "duplicate_item", f"a member of {kind} is both added and removed", "remove"
                )
        return self


class MemberResult(OutputModel):
    operation: Literal["add", "remove"]
    kind: Literal["provider", "plan"]
    index: int = Field(description="The entry's place in its list")
    id: str
    status: int = Field(description="200 or 201 when done; else the status the entry alone would get")
    error: ItemError | None = None


class MemberChangesResult(OutputModel):
    network_id: str
    succeeded: int
    failed: int
    results: list[MemberResult]
