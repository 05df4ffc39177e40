"""Templates deployed more than once: verdicts across the scenarios a template's parameters and conditions allow
(linter/evaluate/scenarios.py, linter/scenarios.py). Fixtures: tests/fixtures/cloudformation/conditions/."""
from __future__ import annotations

import pytest

from helpers import FIXTURES, annotations, finding_keys, run
from rlint.evaluate.scenarios import CAP, OTHER
from rlint.model import Outcome

FOLDER = FIXTURES / "cloudformation" / "conditions"
TEMPLATES = sorted(FOLDER.glob("*.yaml"))


def _scan(fixture, **kwargs):
    rules = tuple(sorted({a.rule for a in annotations(fixture)}))
    return run(fixture, select=rules, **kwargs)


@pytest.mark.parametrize("fixture", TEMPLATES, ids=lambda p: p.name)
def test_fixture_verdicts_hold_in_every_deployment_or_are_unknown(fixture):
    result = _scan(fixture)
    want = {a.key() for a in annotations(fixture)}
    assert finding_keys(result, fixture, Outcome.FAIL) == {(r, a) for r, a, k in want if k == "expect"}
    assert finding_keys(result, fixture, Outcome.UNKNOWN) == {(r, a) for r, a, k in want if k == "expect-unknown"}


def _messages(result, rule):
    return {f.resource: f.message for f in result.findings if f.rule_id == rule}


def test_failover_roles_name_the_parameter_and_the_other_deployment():
    found = _messages(_scan(FOLDER / "failover-roles.yaml"), "RL204")
    assert found["PrimaryRecord"].endswith(
        "(this template creates the SECONDARY in another deployment, where FailoverType is 'SECONDARY'; whether "
        "that deployment shares the zone is not known here)")
    assert "where FailoverType is 'PRIMARY'" in found["SecondaryRecord"]
    assert "where FailoverType is 'SECONDARY'" in found["ApiRecord"]
    assert found["LonelyRecord"].startswith("LonelyRecord is the PRIMARY failover record")


def test_a_failure_in_some_deployments_names_the_values_it_holds_for():
    found = _messages(_scan(FOLDER / "exists-where.yaml"), "RL101")
    assert found["Database"].endswith("-- holds only in the deployments where Env is 'dev' (not 'prod')")
    edges = _messages(_scan(FOLDER / "exists-where.yaml"), "RL201")
    assert edges["Web"].endswith("-- holds only in the deployments where WithLoadBalancer is 'true' (not 'false')")


def test_too_many_combinations_turn_the_default_verdict_unknown():
    found = _messages(_scan(FOLDER / "too-many.yaml"), "RL101")
    assert found["Database"].endswith(
        f"-- with the defaults; too many condition combinations to check every deployment (256 assignments of "
        f"Flag0, Flag1, Flag2, Flag3, Flag4, Flag5, Flag6, Flag7, more than {CAP})")


def test_test_only_resources_are_judged_when_the_configuration_includes_them():
    from rlint.engine import ScanOptions, load

    fixture = FOLDER / "test-only.yaml"
    result = _scan(fixture, stateful={"include": ["test-only"]})
    # the shapes as loaded (a scan lets them go once it has judged them)
    loaded = load([fixture], ScanOptions(cwd=fixture.parent, stateful={"include": ["test-only"]}))
    copies = [shape.resources["TestResults"] for g in loaded.units[0].scenario_groups for shape in g.shapes
              if "TestResults" in shape.resources]
    assert copies and all(r.meta["exists_when"] == {"Stage": ["test"]} for r in copies)
    assert all(not g.shapes for g in result.units[0].scenario_groups)
    assert {a for r, a in finding_keys(result, fixture, Outcome.FAIL)} == {"TestResults", "TransformResults", "Orders"}
    switched = {r.address: r for r in result.graph.resources}["TransformResults"]
    assert switched.meta["exists_when"] == {"DeployTestResources": ["True"]}


def test_a_given_parameter_is_one_deployment(tmp_path):
    fixture = FOLDER / "exists-where.yaml"
    result = _scan(fixture, cloudformation=__import__("rlint.inputs", fromlist=["CfnInputs"]).CfnInputs(
        parameters={"Env": "dev", "WithLoadBalancer": "true"}))
    assert finding_keys(result, fixture, Outcome.FAIL) == {("RL101", "Database"), ("RL201", "Web")}
    assert finding_keys(result, fixture, Outcome.UNKNOWN) == set()


def test_region_conditions_are_scenarios(tmp_path):
    (tmp_path / "t.yaml").write_text("""AWSTemplateFormatVersion: "2010-09-09"
Conditions:
  InHome: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      MultiAZ: !If [InHome, true, false]
""")
    found = _messages(run(tmp_path / "t.yaml", select=("RL101",)), "RL101")
    assert found["Db"].endswith("-- holds only in the deployments where AWS::Region is another value (not "
                                "'us-east-1')")


def test_free_text_parameters_take_the_compared_literals_and_any_other_value(tmp_path):
    (tmp_path / "t.yaml").write_text("""AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  ExistingDb: {Type: String, Default: ""}
Conditions:
  CreateDb: !Equals [!Ref ExistingDb, ""]
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Condition: CreateDb
    Properties:
      Engine: postgres
""")
    result = run(tmp_path / "t.yaml", select=("RL101",))
    group, = result.units[0].scenario_groups
    assert group.domains == {"ExistingDb": ["", OTHER]}
    # the instance exists only where no existing database is given: judged there, and it fails there
    assert [(f.resource, f.outcome) for f in result.findings] == [("Db", Outcome.FAIL)]


def test_only_graph_rules_read_other_templates():
    """Shapes are judged with one template's resources; a rule that asks the graph for resources by type (which
    spans every template) must say so (`graph_rule`), or its verdicts across shapes could miss another
    template's resources. Each rule runs on a graph of its own, so no cache built by another rule hides a call."""
    from rlint.engine import ScanOptions, SourceCache, _run_rules
    from rlint.graph import ResourceGraph
    from rlint.rules import all_rules

    resources = run(FIXTURES, select=("RL999",)).graph.resources
    asked: dict = {}

    class Recording(ResourceGraph):
        rule = None

        def by_type(self, *types):
            if self.rule is not None:
                asked.setdefault(self.rule.id, set()).update(types)
            return super().by_type(*types)

    for rule in all_rules():
        graph = Recording(resources)
        targets = graph.by_type(*rule.resource_types)
        graph.rule = rule
        list(_run_rules([rule], graph, ScanOptions(), SourceCache(FIXTURES), only=targets))
    assert asked and {rid for rid in asked if not next(r for r in all_rules() if r.id == rid).graph_rule} == set()


def test_only_rules_that_say_so_read_the_other_deployments():
    """The default scenario of a group takes the verdicts of the rules that read other resources from the
    template-alone pass; only the rules that read the template's other deployments (`reads_alternatives`) run
    again there, so a rule that reads ScenarioGraph.alternatives must say so."""
    from rlint.engine import ScanOptions, SourceCache, _run_rules
    from rlint.graph import ResourceGraph, ScenarioGraph
    from rlint.rules import all_rules

    resources = run(FIXTURES, select=("RL999",)).graph.resources
    asked: set = set()

    class Recording(ScenarioGraph):
        rule = None

        @property
        def alternatives(self):
            if self.rule is not None:
                asked.add(self.rule.id)
            return (self,)

        @alternatives.setter
        def alternatives(self, value):
            pass

    for rule in all_rules():
        graph = Recording(ResourceGraph(resources), 0, {}, [{}])
        targets = graph.by_type(*rule.resource_types)
        graph.rule = rule
        list(_run_rules([rule], graph, ScanOptions(), SourceCache(FIXTURES), only=targets))
    assert "RL204" in asked
    assert {rid for rid in asked if not next(r for r in all_rules() if r.id == rid).reads_alternatives} == set()


def test_the_names_rules_read_are_what_their_source_spells_between_quotes_or_dots():
    """scenarios._rules_source reads the rules' source in one pass over bytes and finds types by their literal
    prefix (for speed): the same names as the plain definition, file by file over text."""
    import re
    from pathlib import Path

    import rlint.rules as rules_pkg
    from rlint.evaluate import scenarios

    read, types = set(), set()
    for path in Path(rules_pkg.__file__).parent.rglob("*.py"):
        text = path.read_text()
        read.update(re.findall(r"[\"'.]([A-Z][A-Za-z0-9]+)(?=[\"'.])", text))
        types.update(re.findall(r"[\"'](AWS::[A-Za-z0-9]+::[A-Za-z0-9]+)[\"']", text))
    scenarios._rules_source()
    assert scenarios._TYPES == types and "AWS::RDS::DBInstance" in types
    assert scenarios._READ - read == {"DeletionPolicy", "UpdateReplacePolicy", "Condition", "Type", "DependsOn",
                                      "UpdatePolicy", "CreationPolicy"} - read
    assert read <= scenarios._READ and "MultiAZ" in read


def test_a_quote_that_closes_a_resource_type_opens_no_other(monkeypatch, tmp_path):
    """`"AWS::A::B"AWS::C::D"`: the definition takes the first type and its closing quote, so not the second."""
    import rlint.rules as rules_pkg
    from rlint.evaluate import scenarios

    (tmp_path / "rule.py").write_text("X = '\"AWS::A::B\"AWS::C::D\"', 'AWS::E::F' + \"AWS::G::H\" + .Name.\n")
    monkeypatch.setattr(rules_pkg, "__file__", str(tmp_path / "__init__.py"))
    monkeypatch.setattr(scenarios, "_READ", frozenset())
    monkeypatch.setattr(scenarios, "_TYPES", frozenset())
    scenarios._rules_source()
    assert scenarios._TYPES == {"AWS::A::B", "AWS::E::F", "AWS::G::H"}
    assert "Name" in scenarios._READ
