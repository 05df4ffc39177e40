"""The words of a name as people write them in configuration (CamelCase, snake_case, kebab-case, dotted): the
rules read a resource's declared purpose from them (`lambda_error_alarm`, `DeployTestResources`)."""
from __future__ import annotations

import re
from typing import Any

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def words(name: str) -> set:
    """The words of a name, in lower case: `SlackWebhookURL` and `slack-webhook_url` give slack, webhook, url."""
    return {w.lower() for w in _WORD.findall(name)}


def own_names(res: Any, named: Any) -> list:
    """The names a resource goes by, as written: its block name (Terraform) or logical id (CloudFormation), and
    `named`, the value of its name attribute, when that is decided."""
    own = res.meta.get("name") if res.format == "terraform" else res.address
    return [label for label in (own, named) if isinstance(label, str)]
