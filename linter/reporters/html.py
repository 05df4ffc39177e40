"""A self-contained HTML report: one file, inline CSS and SVG, no script and nothing fetched, so it opens
offline and can be kept as a CI artifact. With `--dr-report` it leads with the DR picture (dr_svg.py) and
the tables; the findings follow."""
from __future__ import annotations

from html import escape

from ..model import Outcome
from .options import ReportOptions

CSS = """
body{font-family:Helvetica,Arial,sans-serif;margin:24px;color:#1b1e21;background:#fff;max-width:1400px}
h1{font-size:20px}h2{font-size:17px;margin-top:28px}h3{font-size:14px;margin:18px 0 6px}
table{border-collapse:collapse;margin:6px 0 12px;font-size:13px}
th,td{border:1px solid #c5cad1;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f0f2f5}
td.missed{background:#f8d3d6}td.met{background:#d8f0dc}td.unknown{background:#fff1c2}
.picture{overflow-x:auto;border:1px solid #c5cad1;border-radius:6px;padding:8px;background:#fff}
.note{color:#3a4550;font-size:13px}code{font-size:12px}details{margin:4px 0 10px;font-size:13px}
"""


def _table(header, rows, status_col: int = -1) -> str:
    out = ["<table><tr>" + "".join(f"<th>{escape(str(h))}</th>" for h in header) + "</tr>"]
    for row in rows:
        cells = []
        for i, c in enumerate(row):
            klass = f' class="{escape(str(c))}"' if i == status_col and c in ("missed", "met", "unknown") else ""
            cells.append(f"<td{klass}>{escape(str(c))}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    return "".join(out) + "</table>"


def dr_section(dr: dict) -> list:
    from . import dr_svg, dr_table
    from .dr_topology import topology

    out = ["<h2>Disaster recovery</h2>", f"<p>{escape(dr_table.strategy_line(dr))}</p>",
           f"<p>{escape(dr_table.traffic_line(dr))}</p>"]
    topo = topology(dr)
    if topo.nodes:
        out.append(f'<div class="picture">{dr_svg.render(topo)}</div>')
        if topo.left_out:
            out.append(f'<p class="note">{topo.left_out} more data stores are in the tables below but not in '
                       f'the picture.</p>')
        out.append('<p class="note">Hover a box for its file and line. Estimates are AWS\'s typical figures for '
                   'what the configuration declares, not guarantees (the sources are listed below).</p>')
    for store in dr["stores"]:
        out.append(f"<h3>{escape(dr_table.heading(store))}</h3>")
        out.append(_table(dr_table.HEADER, dr_table.rows(store), status_col=len(dr_table.HEADER) - 1))
        out.append("<details><summary>Assumptions</summary><ul>"
                   + "".join(f"<li>{escape(line)}</li>" for line in dr_table.bases(store)) + "</ul></details>")
    if dr["entry_points"]:
        out += ["<h3>Entry points</h3>", _table(dr_table.ENTRY_HEADER, dr_table.entry_rows(dr))]
    if dr["sources"]:
        out.append("<h3>Sources</h3><ul>" + "".join(f"<li>{escape(s)}</li>" for s in dr["sources"]) + "</ul>")
    return out


def render(result, options: ReportOptions = None) -> str:
    options = options or ReportOptions()
    active = [f for f in result.findings if f.suppressed is None]
    shown = [f for f in active if f.outcome is Outcome.FAIL or (options.show_unknown and f.outcome is Outcome.UNKNOWN)]
    failing = sum(1 for f in active if f.outcome is Outcome.FAIL)
    body = [f"<h1>rlint: {failing} finding{'' if failing == 1 else 's'}</h1>",
            f'<p class="note">{result.files} files, {result.resources} resources scanned.</p>']
    if getattr(result, "dr", None) is not None:
        body += dr_section(result.dr)
    if not options.quiet:
        body.append("<h2>Findings</h2>")
        rows = [(f"{f.span.file}:{f.span.line}:{f.span.column}", f.rule_id, f.severity.value, f.outcome.value,
                 f.resource, " ".join(f.message.split())) for f in shown]
        body.append(_table(("where", "rule", "severity", "outcome", "resource", "message"), rows) if rows
                    else "<p>No failing findings.</p>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>rlint report</title><style>{CSS}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")


__all__ = ["render"]
