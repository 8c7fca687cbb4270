"""Runtime code every Lambda function imports: models, domain, data access, HTTP helpers."""
