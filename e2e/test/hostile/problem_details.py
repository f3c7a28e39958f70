"""A schemathesis check of the platform's error contract: every 4xx is an RFC 9457 problem.

Loaded by openapi-fuzz.e2e.spec.ts through SCHEMATHESIS_HOOKS. The built-in checks hold a response to
what the document says; this one holds the 4xx responses schemathesis meets outside any document (a
route the service does not have, a method it does not take) to the same contract.
"""

import json

import schemathesis

PROBLEM_MEMBERS = ("type", "title", "status", "instance")


@schemathesis.check
def problem_details_for_client_errors(ctx, response, case):
    if not 400 <= response.status_code < 500:
        return None
    media_types = response.headers.get("content-type", [""])
    media_type = media_types[0].split(";", 1)[0].strip().lower() if media_types else ""
    if media_type != "application/problem+json":
        raise AssertionError(f"{response.status_code} answered as {media_type or 'no media type'}, not application/problem+json")
    try:
        body = json.loads(response.content)
    except ValueError as error:
        raise AssertionError(f"{response.status_code} problem body is not JSON: {error}") from None
    if not isinstance(body, dict):
        raise AssertionError(f"{response.status_code} problem body is not an object")
    missing = [member for member in PROBLEM_MEMBERS if member not in body]
    if missing:
        raise AssertionError(f"{response.status_code} problem body lacks {', '.join(missing)}")
    if body["status"] != response.status_code:
        raise AssertionError(f"problem status {body['status']} differs from the response's {response.status_code}")
    return None
