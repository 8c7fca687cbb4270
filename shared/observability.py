"""Logger, Tracer and Metrics, built once per process and imported by every function.

Service name, metrics namespace and log level come from the POWERTOOLS_* environment
variables that the CDK stack (and the local server) set, so nothing is configured twice.
"""

import warnings

from aws_lambda_powertools import Logger, Metrics, Tracer

# Reads publish no business metrics; an empty flush is expected, not worth a warning per request.
warnings.filterwarnings("ignore", message="No application metrics to publish")

logger = Logger()
tracer = Tracer()
metrics = Metrics()
