"""The files bucket (docs/files.md), the bucket its access logs go to, and what each route's
function may do in it (the route table's ``storage``).

```
client --POST form (presigned by create_file)--> files bucket: uploads/<account>/<file id>
complete_file: HEAD, copy to files/<account>/<file id>, delete the upload
client <--GET link (presigned by get_file / complete_file)-- files bucket: files/...
```

Both buckets are encrypted (SSE-S3), refuse plain HTTP and every form of public access. The files
bucket is versioned: an overwritten or deleted file can be recovered for 30 days. Uploads never
completed go after a day, as do multipart uploads left unfinished. Production keeps both buckets
when the stack is deleted; other stages delete them, which CloudFormation does only once they are
empty (nothing is lost unnoticed).
"""

from collections.abc import Sequence

from aws_cdk import Duration, Names, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.nag import accept
from infra.stages import StageSettings
from shared.domain.files import FILES, PENDING_SECONDS, UPLOADS

ACCESS_LOG_DAYS = 90
NONCURRENT_DAYS = 30
PENDING_DAYS = PENDING_SECONDS // 86400
# Server access logs are delivered by the logging service under a bucket policy (AWS's advice),
# not by the legacy log-delivery ACL, which needs ACLs enabled on the log bucket.
ACCESS_LOGS_BY_POLICY = "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy"


def _private_bucket(
    scope: Construct, construct_id: str, removal: RemovalPolicy, **props: object
) -> s3.Bucket:
    return s3.Bucket(
        scope,
        construct_id,
        encryption=s3.BucketEncryption.S3_MANAGED,
        enforce_ssl=True,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        removal_policy=removal,
        **props,  # type: ignore[arg-type]
    )


class FileStore(Construct):
    """``bucket`` (the files) and ``access_logs`` (its server access logs)."""

    def __init__(self, scope: Construct, construct_id: str, *, settings: StageSettings) -> None:
        super().__init__(scope, construct_id)
        self.node.set_context(ACCESS_LOGS_BY_POLICY, True)
        removal = RemovalPolicy.RETAIN if settings.production else RemovalPolicy.DESTROY
        self.access_logs = _private_bucket(
            self,
            "AccessLogs",
            removal,
            lifecycle_rules=[s3.LifecycleRule(id="expire-logs", expiration=Duration.days(ACCESS_LOG_DAYS))],
        )
        accept(
            self.access_logs,
            "AwsSolutions-S1",
            "this is the bucket server access logs are delivered to; logging its own deliveries "
            "would log without end, and CloudTrail records who changes it",
        )
        self.bucket = _private_bucket(
            self,
            "Bucket",
            removal,
            versioned=True,
            server_access_logs_bucket=self.access_logs,
            server_access_logs_prefix="files/",
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="abandoned-uploads",
                    prefix=UPLOADS,
                    expiration=Duration.days(PENDING_DAYS),
                    noncurrent_version_expiration=Duration.days(PENDING_DAYS),
                ),
                s3.LifecycleRule(
                    id="old-versions",
                    noncurrent_version_expiration=Duration.days(NONCURRENT_DAYS),
                    abort_incomplete_multipart_upload_after=Duration.days(1),
                    expired_object_delete_marker=True,
                ),
            ],
            cors=[
                # Browsers post the upload form and may fetch a download link from script.
                s3.CorsRule(
                    allowed_methods=[s3.HttpMethods.POST, s3.HttpMethods.GET, s3.HttpMethods.HEAD],
                    allowed_origins=["*"],
                    allowed_headers=["*"],
                    exposed_headers=["ETag"],
                    max_age=3000,
                )
            ],
        )

    def statements(self, grants: Sequence[tuple[str, str]]) -> list[iam.PolicyStatement]:
        """A route's ``storage``: each action on the objects under its prefix (or, with no prefix,
        on the bucket itself)."""
        resources: dict[str, list[str]] = {}
        for action, prefix in grants:
            resource = self.bucket.arn_for_objects(f"{prefix}*") if prefix else self.bucket.bucket_arn
            resources.setdefault(f"s3:{action}", []).append(resource)
        return [iam.PolicyStatement(actions=[action], resources=arns) for action, arns in resources.items()]

    def acknowledge(self, role: iam.IRole, grants: Sequence[tuple[str, str]]) -> None:
        """Object ARNs end in a wildcard (every object under a prefix): cdk-nag's IAM5, accepted
        for exactly the prefixes the route table grants."""
        home = Stack.of(self)
        bucket = home.get_logical_id(self.bucket.node.default_child)  # type: ignore[arg-type]
        # In a nested stack (infra/functions.py) the bucket's ARN is a parameter CDK names after it.
        arn = (
            f"{bucket}.Arn"
            if Stack.of(role) is home
            else f"referenceto{Names.unique_id(self.bucket.node.default_child)}Arn"  # type: ignore[arg-type]
        )
        for prefix in sorted({prefix for _, prefix in grants if prefix}):
            accept(
                role,
                f"AwsSolutions-IAM5[Resource::<{arn}>/{prefix}*]",
                f"objects are named by file id under {prefix}; the grant is the files bucket's "
                f"{prefix} prefix and no other ({UPLOADS}: uploads; {FILES}: kept files)",
            )
