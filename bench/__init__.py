"""ServiceCycle benchmarks: ``make bench`` (``python -m bench``) from the repository root.

Three measurements, each a small module returning a Markdown section:

- ``bench.cold_start``: what importing each handler costs a fresh process (Lambda init),
  against importing boto3 and making a DynamoDB client, the floor every function pays.
- ``bench.dynamodb_calls``: DynamoDB calls each request makes, counted on the shared client.
- ``bench.throughput``: requests per second and latency of the local API over real HTTP.

``bench.report`` prints the sections and appends them to ``docs/benchmarks.md``.
"""
