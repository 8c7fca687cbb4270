"""The files bucket as CloudFormation: private, encrypted, versioned, logged, cleaned by its
lifecycle, open to browser uploads by CORS; and each route's function with exactly its grants."""

import json
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk.assertions import Template

from shared.routes import ROUTES, Route
from tests.infra.test_notifications import environment, props
from tests.infra.test_stack import as_list, logical_id, policy_statements, resources

pytestmark = pytest.mark.slow
BLOCK_ALL = {
    "BlockPublicAcls": True,
    "BlockPublicPolicy": True,
    "IgnorePublicAcls": True,
    "RestrictPublicBuckets": True,
}
SSE_S3 = {
    "ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
}


def bucket_policy(template: Template, stack: Stack, bucket: Any) -> list[dict[str, Any]]:
    [policy] = [
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in resources(template, "AWS::S3::BucketPolicy").values()
        if p["Properties"]["Bucket"] == {"Ref": logical_id(stack, bucket)}
    ]
    return policy  # type: ignore[no-any-return]


def denies_plain_http(statements: list[dict[str, Any]]) -> bool:
    return any(
        s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        for s in statements
    )


def test_the_files_bucket_is_private_encrypted_versioned_and_logged(dev: tuple) -> None:
    _, stack, template = dev
    files = props(template, stack, stack.files.bucket)
    assert files["PublicAccessBlockConfiguration"] == BLOCK_ALL
    assert files["BucketEncryption"] == SSE_S3
    assert files["VersioningConfiguration"] == {"Status": "Enabled"}
    assert files["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    assert files["LoggingConfiguration"] == {
        "DestinationBucketName": {"Ref": logical_id(stack, stack.files.access_logs)},
        "LogFilePrefix": "files/",
    }
    assert denies_plain_http(bucket_policy(template, stack, stack.files.bucket))


def test_the_log_bucket_is_private_and_takes_logs_by_policy_not_acl(dev: tuple) -> None:
    _, stack, template = dev
    logs = props(template, stack, stack.files.access_logs)
    assert logs["PublicAccessBlockConfiguration"] == BLOCK_ALL
    assert logs["BucketEncryption"] == SSE_S3
    assert "AccessControl" not in logs
    assert logs["LifecycleConfiguration"]["Rules"] == [
        {"Id": "expire-logs", "ExpirationInDays": 90, "Status": "Enabled"}
    ]
    statements = bucket_policy(template, stack, stack.files.access_logs)
    assert denies_plain_http(statements)
    [delivery] = [s for s in statements if s.get("Principal") == {"Service": "logging.s3.amazonaws.com"}]
    assert delivery["Action"] == "s3:PutObject"
    assert delivery["Condition"]["ArnLike"] == {
        "aws:SourceArn": {"Fn::GetAtt": [logical_id(stack, stack.files.bucket), "Arn"]}
    }


def test_uploads_expire_after_a_day_and_old_versions_after_30(dev: tuple) -> None:
    _, stack, template = dev
    rules = {
        rule["Id"]: rule
        for rule in props(template, stack, stack.files.bucket)["LifecycleConfiguration"]["Rules"]
    }
    assert rules["abandoned-uploads"] == {
        "Id": "abandoned-uploads",
        "Prefix": "uploads/",
        "ExpirationInDays": 1,
        "NoncurrentVersionExpiration": {"NoncurrentDays": 1},
        "Status": "Enabled",
    }
    assert rules["old-versions"] == {
        "Id": "old-versions",
        "NoncurrentVersionExpiration": {"NoncurrentDays": 30},
        "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
        "ExpiredObjectDeleteMarker": True,
        "Status": "Enabled",
    }


def test_browsers_may_post_upload_forms(dev: tuple) -> None:
    _, stack, template = dev
    [rule] = props(template, stack, stack.files.bucket)["CorsConfiguration"]["CorsRules"]
    assert set(rule["AllowedMethods"]) == {"POST", "GET", "HEAD"}
    assert rule["AllowedOrigins"] == ["*"]


def test_production_keeps_the_buckets_other_stages_delete_them_once_empty(dev: tuple, prod: tuple) -> None:
    for (_, stack, template), policy in ((dev, "Delete"), (prod, "Retain")):
        for bucket in (stack.files.bucket, stack.files.access_logs):
            resource = template.to_json()["Resources"][logical_id(stack, bucket)]
            assert resource["DeletionPolicy"] == policy
    # No custom resource empties a bucket on deletion (it would be a function of its own).
    assert not resources(dev[2], "Custom::S3AutoDeleteObjects")


def _s3_grants(stack: Stack, template: Template, route: Route) -> set[tuple[str, str]]:
    role = logical_id(stack, stack.functions.by_route[route].role)
    bucket = logical_id(stack, stack.files.bucket)
    arn = {"Fn::GetAtt": [bucket, "Arn"]}
    found = set()
    for owner, statement in policy_statements(template):
        if owner != role:
            continue
        for action in as_list(statement["Action"]):
            if not action.startswith("s3:"):
                continue
            for resource in as_list(statement["Resource"]):
                if resource == arn:
                    found.add((action.removeprefix("s3:"), ""))
                else:
                    joined = resource["Fn::Join"][1]
                    assert joined[0] == arn, resource
                    found.add((action.removeprefix("s3:"), joined[1].removeprefix("/").removesuffix("*")))
    return found


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_each_function_gets_exactly_the_storage_of_its_route_and_the_bucket_name(
    dev: tuple, route: Route
) -> None:
    _, stack, template = dev
    assert _s3_grants(stack, template, route) == set(route.storage)
    variables = environment(template, stack, stack.functions.by_route[route])
    if route.storage:
        assert variables["FILES_BUCKET"] == {"Ref": logical_id(stack, stack.files.bucket)}
    else:
        assert "FILES_BUCKET" not in variables


def test_no_function_may_do_everything_in_the_bucket(dev: tuple) -> None:
    _, _, template = dev
    for _, statement in policy_statements(template):
        actions = as_list(statement["Action"])
        assert "s3:*" not in actions
        if any(action.startswith("s3:") for action in actions):
            assert "*" not in as_list(statement["Resource"])
    assert "s3:PutObject" in json.dumps(template.to_json())
