"""Terraform's JSON syntax (`.tf.json`). Not read yet: such files contribute no blocks."""
from __future__ import annotations


def parse_tf_json(data: bytes, display: str, problems: list):
    return None
