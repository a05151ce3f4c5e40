"""The xAPI 1.0.3 statement format, written out from the specification
(adlnet/xAPI-Spec, xAPI-Data.md, part two §2.4 and §4) as a JSON Schema plus
the rules a schema cannot say (IRIs, UUIDs, durations, one identifier per agent).

Covers what our statements can hold; a property we never send (attachments,
sub-statements, groups as objects) is refused rather than half-checked.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any

from jsonschema import Draft202012Validator

LANG_TAG = r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$"  # RFC 5646, as the spec asks
LANGUAGE_MAP = {
    "type": "object",
    "minProperties": 1,
    "propertyNames": {"pattern": LANG_TAG},
    "additionalProperties": {"type": "string"},
}
IRI = {"type": "string", "minLength": 1}
EXTENSIONS = {"type": "object", "propertyNames": {"minLength": 1}}
ACCOUNT = {
    "type": "object",
    "additionalProperties": False,
    "required": ["homePage", "name"],
    "properties": {"homePage": IRI, "name": {"type": "string", "minLength": 1}},
}
AGENT = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "objectType": {"const": "Agent"},
        "name": {"type": "string"},
        "mbox": {"type": "string", "pattern": "^mailto:"},
        "mbox_sha1sum": {"type": "string", "pattern": "^[0-9a-f]{40}$"},
        "openid": IRI,
        "account": ACCOUNT,
    },
    # Exactly one inverse functional identifier.
    "oneOf": [{"required": [k]} for k in ("mbox", "mbox_sha1sum", "openid", "account")],
}
DEFINITION = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "name": LANGUAGE_MAP,
        "description": LANGUAGE_MAP,
        "type": IRI,
        "moreInfo": IRI,
        "extensions": EXTENSIONS,
    },
}
ACTIVITY = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id"],
    "properties": {"objectType": {"const": "Activity"}, "id": IRI, "definition": DEFINITION},
}
ACTIVITIES = {"oneOf": [ACTIVITY, {"type": "array", "items": ACTIVITY}]}
SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["actor", "verb", "object"],
    "properties": {
        "id": {"type": "string"},
        "actor": AGENT,
        "verb": {
            "type": "object",
            "additionalProperties": False,
            "required": ["id"],
            "properties": {"id": IRI, "display": LANGUAGE_MAP},
        },
        "object": ACTIVITY,
        "result": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "score": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "scaled": {"type": "number", "minimum": -1, "maximum": 1},
                        "raw": {"type": "number"},
                        "min": {"type": "number"},
                        "max": {"type": "number"},
                    },
                },
                "success": {"type": "boolean"},
                "completion": {"type": "boolean"},
                "response": {"type": "string"},
                "duration": {"type": "string"},
                "extensions": EXTENSIONS,
            },
        },
        "context": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "registration": {"type": "string"},
                "instructor": AGENT,
                "contextActivities": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": dict.fromkeys(
                        ("parent", "grouping", "category", "other"), ACTIVITIES
                    ),
                },
                "revision": {"type": "string"},
                "platform": {"type": "string"},
                "language": {"type": "string", "pattern": LANG_TAG},
                "extensions": EXTENSIONS,
            },
        },
        "timestamp": {"type": "string"},
        "version": {"type": "string", "pattern": r"^1\.0\.[0-9]+$"},
    },
}
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")  # absolute: a scheme, then no spaces
_DURATION = re.compile(
    r"^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?"
    r"(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$"
)


def problems(statement: Any) -> list[str]:
    """Everything wrong with one statement, as readable lines (empty when valid)."""
    out = [
        f"{'/'.join(map(str, e.path)) or '(statement)'}: {e.message}"
        for e in Draft202012Validator(SCHEMA).iter_errors(statement)
    ]
    if out:
        return out

    def uuid_ok(text: str, where: str) -> None:
        try:
            u = uuid.UUID(text)
        except ValueError:
            out.append(f"{where}: not a UUID")
            return
        if str(u) != text.lower() or u.variant != uuid.RFC_4122:
            out.append(f"{where}: not an RFC 4122 UUID")

    def iri(text: str, where: str) -> None:
        if not _IRI.match(text):
            out.append(f"{where}: {text!r} is not an absolute IRI")

    if "id" in statement:
        uuid_ok(statement["id"], "id")
    iri(statement["verb"]["id"], "verb/id")
    iri(statement["object"]["id"], "object/id")
    iri(statement["actor"]["account"]["homePage"], "actor/account/homePage")
    definition = statement["object"].get("definition", {})
    if "type" in definition:
        iri(definition["type"], "object/definition/type")
    result = statement.get("result", {})
    for key in result.get("extensions", {}):
        iri(key, f"result/extensions/{key}")
    if "duration" in result and not _DURATION.match(result["duration"]):
        out.append("result/duration: not an ISO 8601 duration")
    context = statement.get("context", {})
    if "registration" in context:
        uuid_ok(context["registration"], "context/registration")
    for key in context.get("extensions", {}):
        iri(key, f"context/extensions/{key}")
    for kind, acts in context.get("contextActivities", {}).items():
        for a in acts if isinstance(acts, list) else [acts]:
            iri(a["id"], f"context/contextActivities/{kind}")
    if "timestamp" in statement:
        try:
            t = datetime.fromisoformat(statement["timestamp"])
            if t.tzinfo is None:
                out.append("timestamp: has no time zone")
        except ValueError:
            out.append("timestamp: not an ISO 8601 timestamp")
    return out
