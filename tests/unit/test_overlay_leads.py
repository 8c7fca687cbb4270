"""Which overlay sets which lead: per lead the most specific wins (docs/plans.md, "Overlays")."""

from shared.domain.overlays import ANY, leads_for, overlaid

OVERLAYS = {
    (ANY, ANY): {"notify_before_h": 30, "notify_before_days": 14},
    (ANY, "psv_a"): {"notify_before_h": 40},
    ("ast_1", ANY): {"notify_before_km": 500},
    ("ast_1", "psv_a"): {"notify_before_h": 10},
}


def test_each_lead_comes_from_the_most_specific_overlay_that_sets_it() -> None:
    assert leads_for("ast_1", "psv_a", OVERLAYS) == {
        "notify_before_h": 10,
        "notify_before_km": 500,
        "notify_before_days": 14,
    }
    assert leads_for("ast_1", "psv_b", OVERLAYS) == {
        "notify_before_h": 30,
        "notify_before_km": 500,
        "notify_before_days": 14,
    }
    assert leads_for("ast_2", "psv_a", OVERLAYS) == {"notify_before_h": 40, "notify_before_days": 14}
    assert leads_for("ast_2", "psv_b", {}) == {}


def test_a_lead_replaces_only_a_condition_the_service_has() -> None:
    service = {
        "id": "psv_a",
        "conditions": {"hours": {"every_h": 500, "notify_before_h": 50}, "date": {"every_months": 12}},
    }
    out = overlaid(service, {"notify_before_h": 10, "notify_before_km": 500, "notify_before_days": 14})
    assert out["conditions"] == {
        "hours": {"every_h": 500, "notify_before_h": 10},
        "date": {"every_months": 12, "notify_before_days": 14},
    }
    assert service["conditions"]["hours"]["notify_before_h"] == 50  # the plan's own is left as it was
