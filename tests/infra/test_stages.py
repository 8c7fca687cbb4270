"""The notification settings of a stage (cdk.json's ``stages`` context): accepted values, and the
clear error that names the setting for anything else."""

import pytest

from infra.stages import PLACEHOLDER_MAIL_DOMAIN, StageSettings, stage_settings


def test_the_evaluation_period_is_a_stage_setting_from_1_to_60_minutes() -> None:
    assert stage_settings("dev").evaluation_minutes == 5
    assert stage_settings("qa", {"qa": {"evaluation_minutes": 1}}).evaluation_minutes == 1
    assert stage_settings("qa", {"qa": {"evaluation_minutes": "60"}}).evaluation_minutes == 60
    for wrong in (0, 61, "x", 2.5, True, -5, ""):
        with pytest.raises(
            ValueError, match=r"stage qa: evaluation_minutes must be a whole number of minutes from 1 to 60"
        ):
            stage_settings("qa", {"qa": {"evaluation_minutes": wrong}})


def test_the_mail_domain_is_a_stage_setting_that_production_must_name() -> None:
    settings = stage_settings("qa", {"qa": {}})
    assert settings.mail_domain == PLACEHOLDER_MAIL_DOMAIN == "mail.example.com"
    settings.check_deployable()  # a placeholder is fine outside production
    assert (
        stage_settings("qa", {"qa": {"mail_domain": "Mail.Fleet.IO"}}).mail_from
        == "notifications@mail.fleet.io"
    )
    for wrong in ("", "not a domain", "localhost", "a..b.com", 5):
        with pytest.raises(ValueError, match=r"stage qa: mail_domain must be a domain name"):
            stage_settings("qa", {"qa": {"mail_domain": wrong}})
    for placeholder in (None, "notify.example.org", "example.net"):
        chosen = {} if placeholder is None else {"mail_domain": placeholder}
        prod = stage_settings("prod", {"prod": chosen})  # readable (make bench reads every stage) ...
        with pytest.raises(ValueError, match=r"stage prod: set mail_domain .* is a placeholder"):
            prod.check_deployable()  # ... but not deployable
    stage_settings("prod", {"prod": {"mail_domain": "mail.fleet.io"}}).check_deployable()


def test_the_sms_spend_alarm_threshold_is_a_stage_setting() -> None:
    assert stage_settings("dev").sms_spend_alarm_usd == 0.8
    assert stage_settings("qa", {"qa": {"sms_spend_alarm_usd": "4.5"}}).sms_spend_alarm_usd == 4.5
    for wrong in (0, -1, "x", True, float("nan")):
        with pytest.raises(ValueError, match=r"stage qa: sms_spend_alarm_usd must be a positive amount"):
            stage_settings("qa", {"qa": {"sms_spend_alarm_usd": wrong}})
    with pytest.raises(ValueError, match="evaluation_minutes"):
        StageSettings("qa", evaluation_minutes=0)
