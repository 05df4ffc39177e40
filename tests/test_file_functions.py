"""file(), fileexists(), filebase64() and the file hashes, read from the scanned checkout as Terraform reads them at
plan time (linter/evaluate/files.py); terraform console agrees on the cases of tests/tf_expressions.py."""
from __future__ import annotations

import json

from helpers import run
from rlint.evaluate import files
from rlint.model import Unknown

QUEUE = '''
locals {
  data = fileexists("./app.json") ? jsondecode(file("./app.json")) : null
}
resource "aws_sqs_queue" "q" {
  delay_seconds = %s
}
'''


def _attr(directory, value: str, scan=None, name="delay_seconds"):
    (directory / "main.tf").write_text(QUEUE % value)
    result = run(scan or directory)
    return next(r for r in result.graph.resources if r.address == "aws_sqs_queue.q").attrs.get(name)


def test_a_json_file_beside_the_root_decides_the_value(tmp_path):
    (tmp_path / "app.json").write_text(json.dumps({"accounts": {"production": {"delay": 7}}}))
    assert _attr(tmp_path, "local.data.accounts.production.delay") == 7


def test_a_missing_file_makes_fileexists_false_and_file_unknown(tmp_path):
    assert _attr(tmp_path, "local.data == null ? 3 : 4") == 3
    value = _attr(tmp_path, 'length(file("./gone.json"))')
    assert isinstance(value, Unknown) and "no such file in the scanned checkout" in value.reason


def test_a_file_outside_the_scanned_directory_is_not_read(tmp_path):
    (tmp_path / "secret.json").write_text('{"delay": 9}')
    root = tmp_path / "env"
    root.mkdir()
    (root / "link.json").symlink_to(tmp_path / "secret.json")
    for expr in ('jsondecode(file("../secret.json")).delay', 'jsondecode(file("./link.json")).delay',
                 'fileexists("../secret.json") ? 1 : 2'):
        value = _attr(root, expr)
        assert isinstance(value, Unknown) and "outside the scanned directories" in value.reason, (expr, value)
    # the same file is read when the scan names the directory that holds it
    assert _attr(root, 'jsondecode(file("../secret.json")).delay', scan=tmp_path) == 9


def test_absolute_and_home_paths_are_not_read(tmp_path):
    (tmp_path / "app.json").write_text('{"delay": 1}')
    absolute = _attr(tmp_path, f'jsondecode(file("{(tmp_path / "app.json").as_posix()}")).delay')
    assert isinstance(absolute, Unknown) and "absolute path" in absolute.reason
    home = _attr(tmp_path, 'fileexists("~/app.json") ? 1 : 2')
    assert isinstance(home, Unknown) and "home directory" in home.reason


def test_errors_terraform_raises_are_errors(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "latin1.txt").write_bytes(b"caf\xe9")
    directory = _attr(tmp_path, 'fileexists("sub") ? 1 : 2')
    assert isinstance(directory, Unknown)
    assert directory.reason.endswith("error: fileexists(): sub is a directory, not a file")
    assert _attr(tmp_path, 'can(file("latin1.txt")) ? 1 : 2') == 2
    assert _attr(tmp_path, 'length(filebase64("latin1.txt"))') == 8
    assert _attr(tmp_path, 'can(file("")) ? 1 : 2') == 2  # Terraform reads its working directory: an error


def test_a_large_file_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_BYTES", 10)
    (tmp_path / "app.json").write_text('{"delay": 1, "padding": "xxxxxxxx"}')
    value = _attr(tmp_path, "local.data.delay")
    assert isinstance(value, Unknown) and "over 0 MB" in value.reason


def test_paths_in_a_called_module(tmp_path):
    """path.module names the module's directory; a literal relative path is relative to the root module (Terraform's
    working directory), in a called module too."""
    (tmp_path / "app.json").write_text('{"delay": 2}')
    mod = tmp_path / "mod"
    mod.mkdir()
    (mod / "app.json").write_text('{"delay": 5}')
    (mod / "main.tf").write_text('''
resource "aws_sqs_queue" "own" {
  delay_seconds = jsondecode(file("${path.module}/app.json")).delay
}
resource "aws_sqs_queue" "root" {
  delay_seconds = jsondecode(file("app.json")).delay
}
''')
    (tmp_path / "main.tf").write_text('module "m" {\n  source = "./mod"\n}\n')
    resources = {r.address: r for r in run(tmp_path).graph.resources}
    assert resources["module.m.aws_sqs_queue.own"].attrs["delay_seconds"] == 5
    assert resources["module.m.aws_sqs_queue.root"].attrs["delay_seconds"] == 2


def test_a_yaml_file_decides_for_each_instances_and_leaves_reader_dependent_scalars_unknown(tmp_path):
    # the shape of a platform configuration read into module and resource for_each maps
    (tmp_path / "platform.yml").write_text("queues:\n  jobs:\n    delay: 5\n  mail:\n    delay: 017\n")
    (tmp_path / "main.tf").write_text('resource "aws_sqs_queue" "q" {\n'
                                      '  for_each      = yamldecode(file("./platform.yml")).queues\n'
                                      '  delay_seconds = each.value.delay\n}\n')
    delays = {r.address: r.attrs.get("delay_seconds") for r in run(tmp_path).graph.resources}
    assert set(delays) == {'aws_sqs_queue.q["jobs"]', 'aws_sqs_queue.q["mail"]'}
    assert delays['aws_sqs_queue.q["jobs"]'] == 5
    mail = delays['aws_sqs_queue.q["mail"]']  # 017 is 17 to Terraform 1.11, 15 to YAML 1.1 readers
    assert isinstance(mail, Unknown) and "YAML scalar '017'" in mail.reason, mail
