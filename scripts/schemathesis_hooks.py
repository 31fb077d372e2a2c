"""Schemathesis hooks for scripts/schemathesis.sh.

polgraph takes NDJSON uploads (POST /v1/imports/...), media types
schemathesis has no serializer for: they are sent as the text they are.
"""
import schemathesis

for media_type in ("application/x-ndjson", "application/ndjson", "application/jsonl",
                   "text/tab-separated-values"):
    schemathesis.serializer.alias(media_type, "text/plain")
