"""Engine recordings (tests/engines.Recordings): cases that share content share one recording, whose label does
not flip with the order the cases run in, and a changed answer is written."""
import json

import engines


def test_a_shared_recording_keeps_its_label_and_a_new_answer_is_written(tmp_path, monkeypatch):
    rec = engines.Recordings("unit")
    monkeypatch.setattr(rec, "folder", tmp_path)
    rec.put("k", "first", {"verdict": "formatted"})
    path = next(tmp_path.glob("*.json"))
    rec.put("k", "second", {"verdict": "formatted"})
    assert json.loads(path.read_text())["case"] == "first"
    rec.put("k", "second", {"verdict": "unformatted"})
    held = json.loads(path.read_text())
    assert (held["case"], held["verdict"]) == ("second", {"verdict": "unformatted"})
