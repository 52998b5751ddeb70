"""OpenAPI post-processing: document the error answers every operation can give.

drf-spectacular documents the success response and what a view declares; the project-wide
layers add more (404 for unknown ids, 400 for bad filters, 401/403 for writes, 413 from the body
limit, 415 for wrong content types, 429 from throttling, 503 when the database is down). A client
generated from the schema, and the schemathesis fuzz test, need to know them all.
"""

ERROR_SCHEMA = {
    "type": "object",
    "description": 'Error: {"detail": "..."} or, for validation, field name → list of messages.',
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
WRITE_METHODS = {"post", "put", "patch", "delete"}
HTTP_METHODS = WRITE_METHODS | {"get", "head", "options"}
DESCRIPTIONS = {
    "400": "Invalid input (field errors, bad filter values, malformed JSON)",
    "401": "Authentication required",
    "403": "Not allowed for this user",
    "404": "Not found (or not visible to this user)",
    "413": "Request body too large",
    "415": "Unsupported content type",
    "429": "Too many requests",
    "503": "Database temporarily unavailable (see Retry-After)",
}


def document_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {}).setdefault("Error", ERROR_SCHEMA)
    ref = {"schema": {"$ref": "#/components/schemas/Error"}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in HTTP_METHODS:
                continue
            codes = ["429", "503"]
            query = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
            if "{" in path or query & {"page", "cursor"}:  # unknown id, or a page/cursor past the end
                codes.append("404")
            if method in WRITE_METHODS or query:
                codes.append("400")
            if method in WRITE_METHODS:
                codes += ["401", "403", "413", "415"]
            responses = operation.setdefault("responses", {})
            # Errors come in whatever JSON flavour was negotiated (e.g. JSON-LD for a ClaimReview).
            media = {"application/json"} | {
                media_type
                for code, response in responses.items()
                if code.startswith("2")
                for media_type in response.get("content", {})
                if media_type.endswith("json")
            }
            error = {media_type: ref for media_type in sorted(media)}
            for code in codes:
                responses.setdefault(code, {"description": DESCRIPTIONS[code], "content": error})
    return result


def forbid_unknown_request_fields(result, generator, request, public):
    """The write serializers refuse fields they do not take (400 naming them), so every request
    body component (`…Request`, drf-spectacular's split request forms) says so."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
    return result
