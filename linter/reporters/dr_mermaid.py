"""The DR picture as a Mermaid flowchart for Markdown (GitHub renders ```mermaid blocks in pull requests
and job summaries). Kept to what GitHub's pinned Mermaid renders: a flowchart, subgraphs, quoted labels,
`classDef` with fill, stroke and text colour (readable in dark mode), no `click` links (GitHub ignores
them: the table under the diagram links each node to its file), alphanumeric ids.
"""
from __future__ import annotations

from .dr_topology import Topology, ident

CLASSES = {
    "met": "fill:#d8f0dc,stroke:#1e7b34,color:#0b2e13",
    "missed": "fill:#f8d3d6,stroke:#b21f2d,color:#4a0f16,stroke-width:2px",
    "unknown": "fill:#fff1c2,stroke:#a67c00,color:#3d2e00",
    "none": "fill:#e4e6e9,stroke:#5f6b76,color:#1b1e21",
    "copy": "fill:#ffffff,stroke:#5f6b76,color:#1b1e21,stroke-dasharray:4 3",
    "entry": "fill:#dbe9fb,stroke:#1f5fae,color:#0c2547",
    "dns": "fill:#efe3fa,stroke:#6f3aa8,color:#2b0d4a",
    "site": "fill:#fbe5cf,stroke:#b3621b,color:#3d1f05",
}
ARROWS = {"live": "-->", "backup": "-.->", "maybe": "-.->", "traffic": "==>"}
MAX_LABEL = 70


def label(text: str) -> str:
    """Text for inside a quoted Mermaid label: no quotes or angle brackets (entity codes), bounded length."""
    text = " ".join(str(text).split())
    if len(text) > MAX_LABEL:
        text = text[:MAX_LABEL - 1] + "…"
    return text.replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def _node(n) -> str:
    text = "<br/>".join(label(line) for line in n.lines)
    shape = {"store": ('["', '"]'), "copy": ('["', '"]'), "entry": ('(["', '"])'), "dns": ('{{"', '"}}'),
             "site": ('["', '"]')}[n.kind]
    klass = ("none" if n.status == "no objective" else n.status) if n.kind == "store" else n.kind
    return f"{n.id}{shape[0]}{text}{shape[1]}:::{klass}"


def render(topo: Topology) -> str:
    out = ["flowchart LR"]
    for n in topo.nodes:
        if n.column is None:
            out.append("  " + _node(n))
    for column in topo.columns:
        out.append(f'  subgraph {topo.column_id(column)}["{label(column)}"]')
        members = [n for n in topo.nodes if n.column == column]
        groups = topo.deployments(column)
        for n in members:
            if not n.deployment or n.deployment not in groups:
                out.append("    " + _node(n))
        for deployment in groups:
            out.append(f'    subgraph {ident("g", column, deployment)}["deployment {label(deployment)}"]')
            out += ["      " + _node(n) for n in members if n.deployment == deployment]
            out.append("    end")
        out.append("  end")
    for e in topo.edges:
        target = topo.column_id(e.target) if e.to_column else e.target
        text = f'|"{label(e.label)}"|' if e.label else ""
        out.append(f"  {e.source} {ARROWS[e.style]}{text} {target}")
    out += [f"  classDef {name} {style}" for name, style in CLASSES.items()]
    return "\n".join(out) + "\n"


LEGEND = (
    ("red", "a data store that misses an objective (RL701/RL702)"),
    ("yellow", "a data store whose objective is undecided (an input rlint cannot see)"),
    ("green", "a data store that meets its objectives"),
    ("grey", "a data store with no objective"),
    ("white, dashed", "a copy of a store in another Region"),
    ("blue, rounded", "an entry point (load-balanced group, ECS service, API function)"),
    ("purple", "Route 53: thick arrows are records routing to a Region"),
    ("orange", "an S3 static website (a maintenance page, not a standby)"),
    ("solid arrow", "a live copy (replica, global table, replication)"),
    ("dotted arrow", "a backup copy (or a copy that may exist)"),
)


def legend() -> list:
    """The legend as Markdown table rows (GitHub renders no legend inside the diagram)."""
    return ["| colour or line | means |", "|---|---|", *[f"| {a} | {b} |" for a, b in LEGEND]]


__all__ = ["render", "legend", "label", "CLASSES"]
