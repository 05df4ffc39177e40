"""Terraform's yamldecode() for the YAML whose meaning rlint is sure of; anything else is unknown.

Terraform decodes YAML with go-cty-yaml, a YAML 1.1 reader with its own scalar rules: `y`/`n` are booleans,
`017` is 17, `1e3` is 1000, `1_000` is a string, a timestamp becomes an RFC 3339 string. PyYAML resolves
several of these differently, and Terraform releases differ among themselves, so only plain scalars every
reading agrees on are decided (its table of words: y/n, yes/no, on/off, true/false, null; decimal integers and
fractions; strings that cannot be a number or timestamp). Any other scalar, a tagged value and an alias are
unknown in place; a key that is not a plain string, a repeated key and anything but one document make the whole
value unknown.
"""
from __future__ import annotations

import re
from decimal import Decimal

from ..model import Unknown


class Undecidable(ValueError):
    """Terraform decodes this, but rlint cannot say how (functions.py turns it into its own Undecidable)."""


_INTEGER = re.compile(r"[-+]?[1-9][0-9]{0,14}|0")
_FRACTION = re.compile(r"[-+]?[0-9]{1,15}\.[0-9]{1,15}")
# go-cty-yaml's table of plain scalars (resolve.go), less the infinities rlint does not hold
_WORDS = {**dict.fromkeys(("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
          **dict.fromkeys(("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
          **dict.fromkeys(("", "~", "null", "Null", "NULL"), None)}
# dotted versions (1.2.3) are neither numbers nor timestamps
_VERSION = re.compile(r"[0-9]+(?:\.[0-9]+){2,}")
# a scalar starting with a digit, sign or dot is tried as a timestamp (YYYY-...) and as a number; Go's number
# syntaxes (0x1F, 0o17, 0b1, 1e3, 1_000, Inf) use only these characters, and the Terraform release decides
# which it accepts, so such a scalar is left undecided; any other character makes it a string
_NUMBER_CHARACTERS = re.compile(r"[-+._0-9a-fA-FxXoOpPiInNtTyY]*")
_TIMESTAMP_START = re.compile(r"[0-9]{4}-")


def yamldecode(source: str):
    import yaml

    try:
        events = list(yaml.parse(source))  # the parser's events: no constructor, no Python objects
    except yaml.YAMLError as exc:
        raise Undecidable(f"YAML rlint does not read: {str(exc).splitlines()[0]}") from None
    documents = sum(isinstance(e, yaml.DocumentStartEvent) for e in events)
    if documents != 1:
        raise Undecidable(f"{documents} YAML documents")
    body = [e for e in events if not isinstance(e, (yaml.StreamStartEvent, yaml.StreamEndEvent,
                                                        yaml.DocumentStartEvent, yaml.DocumentEndEvent))]
    return _node(body, 0)[0]  # a document holds one node


def _node(events: list, i: int):
    """(value, index after it) of the node starting at events[i]."""
    import yaml

    event = events[i]
    if isinstance(event, yaml.AliasEvent):
        return Unknown(f"yamldecode(): YAML alias *{event.anchor} is not read"), i + 1
    if isinstance(event, yaml.ScalarEvent):
        if event.tag is not None:  # the parser names only tags written in the file
            return Unknown(f"yamldecode(): YAML tag {event.tag} is not read"), i + 1
        return _scalar(event), i + 1
    if event.tag is not None:
        raise Undecidable(f"YAML tag {event.tag}")
    if isinstance(event, yaml.SequenceStartEvent):
        items, i = [], i + 1
        while not isinstance(events[i], yaml.SequenceEndEvent):
            item, i = _node(events, i)
            items.append(item)
        return items, i + 1
    out, i = {}, i + 1  # the parser's only other node: a mapping
    while not isinstance(events[i], yaml.MappingEndEvent):
        key_event = events[i]
        if not isinstance(key_event, yaml.ScalarEvent):
            raise Undecidable("a YAML key that is not a scalar")
        key, i = _node(events, i)
        if not isinstance(key, str) or (key_event.style is None and key == "<<"):  # << merges a mapping
            raise Undecidable(f"YAML key {key_event.value!r} is not a string")
        if key in out:
            raise Undecidable(f"YAML key {key!r} repeated")
        out[key], i = _node(events, i)
    return out, i + 1


def _scalar(event):
    text = event.value
    if event.style is not None:  # quoted or block scalar: always a string
        return text
    if text in _WORDS:
        return _WORDS[text]
    if text[0] not in "+-.0123456789":  # (the empty text is null, above)
        return text  # go-cty-yaml reads a number or timestamp only from these first characters
    if _INTEGER.fullmatch(text):  # not -0 or 007
        return int(text)
    if _FRACTION.fullmatch(text):
        number = Decimal(text)  # held as functions.from_decimal holds numbers: 3.0 is 3
        return int(number) if number == number.to_integral_value() else float(number)
    if _VERSION.fullmatch(text):
        return text
    if _TIMESTAMP_START.match(text) or _NUMBER_CHARACTERS.fullmatch(text):
        return Unknown(f"yamldecode(): YAML scalar {text!r} is a number or timestamp in some Terraform releases")
    return text
