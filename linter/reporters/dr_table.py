"""The `--dr-report` table (ScanResult.dr, built by rules/dr/report.py) as rows, shared by the text and
Markdown reporters."""
from __future__ import annotations

HEADER = ("scenario", "RPO", "RPO objective", "RTO", "RTO objective", "status")
_RANK = {"missed": 3, "unknown": 2, "met": 1, "no objective": 0}


def status(row: dict) -> str:
    """The scenario's status: the worse of its RPO and RTO (an objective on one only decides alone)."""
    return max((row["rpo"]["status"], row["rto"]["status"]), key=_RANK.__getitem__)


def rows(store: dict) -> list:
    return [(r["label"], r["rpo"]["estimate"], r["rpo"]["objective"] or "-", r["rto"]["estimate"],
             r["rto"]["objective"] or "-", status(r)) for r in store["scenarios"]]


def heading(store: dict) -> str:
    tier = f", tier {store['tier']}" if store["tier"] else ""
    deployment = f", deployment {store['deployment']}" if store.get("deployment") else ""
    return f"{store['resource']} ({store['kind']}, {store['file']}:{store['line']}{deployment}{tier})"


def bases(store: dict) -> list:
    """One line per scenario and metric saying what the estimate rests on (RPO and RTO merged when equal)."""
    out = []
    for r in store["scenarios"]:
        rpo, rto = r["rpo"]["basis"], r["rto"]["basis"]
        if rpo == rto:
            out.append(f"{r['label']}: {rpo}")
        else:
            out += [f"{r['label']} RPO: {rpo}", f"{r['label']} RTO: {rto}"]
    return out


def strategy_line(dr: dict) -> str:
    s = dr.get("strategy")
    if s is None:
        return "DR strategy: none (no data stores in the scan)"
    return f"DR strategy: {s['name']} ({s['reason']})"


def traffic_line(dr: dict) -> str:
    t = dr["traffic"]
    notes = "".join(f"; {n}" for n in t.get("notes", ()))
    if t["mode"] is None:
        return f"Traffic to another Region: not in the configuration (no entry points or Route 53 records){notes}"
    return f"Traffic to another Region: {t['basis']} (RTO {t['rto']}){notes}"


ENTRY_HEADER = ("entry point", "kind", "AZ failure RTO", "Region failure RTO", "deletion RTO")


def entry_rows(dr: dict) -> list:
    return [(e["resource"] + (f" ({e['deployment']})" if e.get("deployment") else ""), e["kind"],
             *(r["rto"] for r in e["scenarios"])) for e in dr["entry_points"]]
