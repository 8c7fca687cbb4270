"""The cold-start baseline as a module, for ``-X importtime``: boto3 and one DynamoDB client.

Importing this module makes the client in module code, as ``shared.data.dynamo`` does, so its
self time is the client's creation in both breakdowns and the two compare like for like.
"""

import boto3

client = boto3.client("dynamodb")
