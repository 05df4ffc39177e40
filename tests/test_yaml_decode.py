"""yamldecode(): what rlint decides of a YAML document, and what it leaves unknown in place or as a whole
(linter/evaluate/yaml_decode.py). terraform console's answers for the shared cases are in tests/tf_expressions.py."""
from __future__ import annotations

import pytest

from rlint.evaluate.yaml_decode import Undecidable, yamldecode
from rlint.model import Unknown


@pytest.mark.parametrize("text, value", [
    ("y", True), ("Y", True), ("yes", True), ("On", True), ("TRUE", True),
    ("n", False), ("NO", False), ("off", False), ("False", False),
    ("", None), ("~", None), ("Null", None),
    ("0", 0), ("14", 14), ("-5", -5), ("+12", 12), ("3.10", 3.1), ("3.0", 3), ("0.5", 0.5),
    ("yES", "yES"), ("NaN", "NaN"), ("Xf", "Xf"), ("2x-large", "2x-large"), ("10.0.0.0/16", "10.0.0.0/16"),
    ("1.2.3", "1.2.3"), ("1:20", "1:20"), ("cache.t4g.micro", "cache.t4g.micro"), ("'017'", "017"),
    ('"yes"', "yes"), ("|\n  a\n  b", "a\nb"),
])
def test_scalars_every_terraform_release_reads_alike_are_decided(text, value):
    decoded = yamldecode(f"v: {text}")["v"]
    assert decoded == value and type(decoded) is type(value)


@pytest.mark.parametrize("text", ["017", "0x1F", "0o17", "1e3", "1.5e+3", ".5", "1.", "1_000", "-0", ".inf",
                                  "2001-12-14", "2001-1-2", "12345678901234567890", "0b101"])
def test_scalars_whose_type_depends_on_the_release_are_unknown_in_place(text):
    decoded = yamldecode(f"v: {text}\nw: kept")
    assert isinstance(decoded["v"], Unknown) and repr(text) in decoded["v"].reason, decoded
    assert decoded["w"] == "kept"


def test_tags_and_aliases_are_unknown_in_place():
    decoded = yamldecode("a: !!str 1\nb: &x {c: 1}\nd: *x\ne: [1, x]")
    assert isinstance(decoded["a"], Unknown) and "tag" in decoded["a"].reason
    assert decoded["b"] == {"c": 1}  # an anchor does not change the value it names
    assert isinstance(decoded["d"], Unknown) and "alias *x" in decoded["d"].reason
    assert decoded["e"] == [1, "x"]


@pytest.mark.parametrize("text, reason", [
    ("1: a", "YAML key '1' is not a string"),
    ("n: a", "YAML key 'n' is not a string"),  # false to go-cty-yaml, a key "false" to Terraform
    ("017: a", "YAML key '017' is not a string"),
    ("<<: {a: 1}", "YAML key '<<' is not a string"),
    ("? [a]\n: b", "a YAML key that is not a scalar"),
    ("a: 1\na: 2", "YAML key 'a' repeated"),
    ("a: 1\n---\nb: 2", "2 YAML documents"),
    ("", "0 YAML documents"),
    ("a: b: c", "YAML rlint does not read: mapping values are not allowed here"),
    ("!!map {a: 1}", "YAML tag tag:yaml.org,2002:map"),
])
def test_what_changes_the_shape_makes_the_whole_value_undecidable(text, reason):
    with pytest.raises(Undecidable) as raised:
        yamldecode(text)
    assert str(raised.value) == reason


def test_a_quoted_merge_key_is_an_ordinary_key():
    assert yamldecode('"<<": 1') == {"<<": 1}
