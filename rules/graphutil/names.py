"""The words of a name as people write them in configuration (CamelCase, snake_case, kebab-case, dotted): the
rules read a resource's declared purpose from them (`lambda_error_alarm`, `DeployTestResources`)."""
from __future__ import annotations

import re

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def words(name: str) -> set:
    """The words of a name, in lower case: `SlackWebhookURL` and `slack-webhook_url` give slack, webhook, url."""
    return {w.lower() for w in _WORD.findall(name)}
