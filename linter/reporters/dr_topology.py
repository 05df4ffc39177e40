"""The DR picture as plain data, shared by the Mermaid diagram (Markdown) and the SVG (HTML): one column per
Region (deployments named inside it), the data stores with their copies in other Regions, the entry points,
and the Route 53 records that move traffic between Regions. Built from the `--dr-report` table
(ScanResult.dr), so the pictures say nothing the table does not.

Ids are derived from what a node is (a hash of its Region and address), never from positions, so a
picture changes only where the configuration does.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Optional

# a picture of more stores than this is not readable (and GitHub refuses large diagrams): the rest are counted
MAX_STORES = 40
UNNAMED, UNKNOWN_REGION = "another Region", "Region not known"
SCENARIO_SHORT = {"az": "AZ", "region": "Region", "deletion": "Deletion"}
STATUS_MARK = {"met": "✓", "missed": "✗", "unknown": "?", "no objective": ""}
STATUS_WORDS = {"met": "objectives met", "missed": "an objective missed", "unknown": "undecided (unknown inputs)",
                "no objective": "no objective"}


@dataclass
class Node:
    id: str
    kind: str          # store | copy | entry | dns | site
    column: Optional[str]  # the Region's label; None for Route 53 (global)
    lines: list
    status: str = "no objective"  # the colour of a store
    deployment: Optional[str] = None
    where: str = ""    # file:line


@dataclass
class Edge:
    source: str
    target: str        # a node id, or a column key (traffic to a Region)
    style: str         # live | backup | maybe | traffic
    label: str = ""
    to_column: bool = False  # `target` is a column (a Region), not a node


@dataclass
class Topology:
    columns: list = field(default_factory=list)  # Region labels, left to right
    nodes: list = field(default_factory=list)
    edges: list = field(default_factory=list)
    rows: list = field(default_factory=list)     # node ids per row: [entries...], then one row per store
    left_out: int = 0                            # stores not drawn (over MAX_STORES)

    def column_id(self, column: str) -> str:
        return ident("r", column)

    def deployments(self, column: str) -> list:
        return sorted({n.deployment for n in self.nodes if n.column == column and n.deployment})


def ident(prefix: str, *parts) -> str:
    return prefix + hashlib.sha1("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:10]


def _store_lines(store: dict) -> list:
    lines = [_title(store), store["kind"] + (f" · tier {store['tier']}" if store.get("tier") else "")]
    for row in store["scenarios"]:
        parts = []
        for metric in ("rpo", "rto"):
            cell = row[metric]
            goal = f" (goal {cell['objective']})" if cell["objective"] else ""
            mark = STATUS_MARK[cell["status"]]
            parts.append(f"{metric.upper()} {cell['estimate']}{goal}{' ' + mark if mark else ''}")
        lines.append(f"{SCENARIO_SHORT[row['scenario']]}: " + " · ".join(parts))
    return lines


def _title(item: dict) -> str:
    return item["resource"] + (f" [{item['deployment']}]" if item.get("deployment") else "")


def _copy_label(copy: dict) -> str:
    basis = copy["basis"]
    return basis if copy["certain"] else f"{basis} (may exist)"


def _shared_row(topo: Topology, store: dict, column: str, stores_rows: list) -> list:
    """The last row of stores, when this store has no copies, that row holds only stores without copies, and
    this store's column is free there: stores of different Regions side by side instead of a staircase."""
    if store.get("copies") or not stores_rows:
        return []
    row = stores_rows[-1]
    nodes = {n.id: n for n in topo.nodes}
    if all(nodes[i].kind == "store" for i in row) and all(nodes[i].column != column for i in row) and \
            not any(e.source in row or e.target in row for e in topo.edges):
        return row
    return []


def _peer_row(topo: Topology, store: dict, ids: dict, column: str) -> list:
    """The row of a store already drawn that is this store's peer (an Aurora global cluster's other member),
    when this store's column is free there: peers side by side, their edge level."""
    peers = {ids.get((p["resource"], p["deployment"])) for c in store.get("copies", []) for p in c.get("peers", [])}
    columns = {n.id: n.column for n in topo.nodes}
    for row in topo.rows:
        if peers & set(row) and all(columns.get(i) != column for i in row):
            return row
    return []


def topology(dr: dict) -> Topology:
    topo = Topology()
    columns: list = []

    def column(label: Optional[str]) -> str:
        label = label or UNKNOWN_REGION
        if label not in columns:
            columns.append(label)
        return label

    stores = dr["stores"]
    drawn, topo.left_out = stores[:MAX_STORES], max(0, len(stores) - MAX_STORES)
    for store in drawn:
        column(store.get("region"))
    entries = []
    for entry in dr["entry_points"]:
        where = column(entry.get("where"))
        region_rto = next((r["rto"] for r in entry["scenarios"] if r["scenario"] == "region"), "")
        node = Node(ident("e", where, entry["resource"]), "entry", where,
                    [_title(entry), entry["kind"] + (" (idle)" if entry.get("idle") else ""),
                     f"Region: RTO {region_rto}"], deployment=entry.get("deployment"),
                    where=f"{entry['file']}:{entry.get('line', 1)}")
        topo.nodes.append(node)
        entries.append(node)
    by_column: dict = {}
    for node in entries:
        by_column.setdefault(node.column, []).append(node.id)
    for depth in range(max((len(v) for v in by_column.values()), default=0)):
        topo.rows.append([ids[depth] for ids in by_column.values() if depth < len(ids)])
    entry_rows = len(topo.rows)
    ids = {(s["resource"], s.get("deployment")): ident("s", s.get("region") or UNKNOWN_REGION, s["resource"],
                                                        s.get("deployment")) for s in drawn}
    stores_rows: list = []
    for store in drawn:
        where = column(store.get("region"))
        node = Node(ids[(store["resource"], store.get("deployment"))], "store", where,
                    _store_lines(store), store.get("status", "no objective"), store.get("deployment"),
                    f"{store['file']}:{store['line']}")
        topo.nodes.append(node)
        row = _peer_row(topo, store, ids, where) or _shared_row(topo, store, where, stores_rows) or []
        row.append(node.id)
        for i, copy in enumerate(store.get("copies", [])):
            peers = [ids[(p["resource"], p["deployment"])] for p in copy.get("peers", [])
                     if (p["resource"], p["deployment"]) in ids]
            if peers:  # the copy is another store of the picture: one edge between them, drawn once
                for peer in peers:
                    if not any(e.source == peer and e.target == node.id for e in topo.edges):
                        topo.edges.append(Edge(node.id, peer, "live", "global database"))
                continue
            for dest in copy["to"] or [UNNAMED]:
                target = column(dest)
                copy_node = Node(ident("c", node.id, i, dest), "copy", target,
                                 [_copy_label(copy), f"copy of {store['resource']}"], deployment=None)
                topo.nodes.append(copy_node)
                row.append(copy_node.id)
                style = "maybe" if not copy["certain"] else "live" if copy["live"] else "backup"
                topo.edges.append(Edge(node.id, copy_node.id, style, "live copy" if copy["live"] else "backup copy"))
        if row[0] == node.id:
            topo.rows.append(row)
            stores_rows.append(row)
    _traffic(dr, topo, column, entry_rows)
    topo.columns = columns
    return topo


def _traffic(dr: dict, topo: Topology, column, entry_rows: int) -> None:
    """One Route 53 node per record name, with an edge to the Region each record answers from."""
    names: dict = {}
    for rec in dr["traffic"].get("records", []):
        dns = names.get(rec["name"])
        if dns is None:
            dns = names[rec["name"]] = Node(ident("d", rec["name"]), "dns", None, ["Route 53", rec["name"]],
                                            where=f"{rec['file']}:{rec['line']}")
            topo.nodes.append(dns)
        where = column(rec.get("region"))
        label = f"{rec['routing']} · {'health check' if rec['health_checked'] else 'no check'}"
        if rec["static_site"]:
            site = Node(ident("w", rec["record"]), "site", where, ["S3 static website", "(a maintenance page)"],
                        deployment=rec.get("deployment"), where=f"{rec['file']}:{rec['line']}")
            topo.nodes.append(site)
            topo.rows.insert(entry_rows, [site.id])  # below the application's entry points
            topo.edges.append(Edge(dns.id, site.id, "traffic", label))
        else:  # to the Region's entry point (of the record's own deployment) when that tells one, else the Region
            entries = [n for n in topo.nodes if n.kind == "entry" and n.column == where]
            own = [n for n in entries if n.deployment == rec.get("deployment")] if rec.get("deployment") else []
            entry = (own[0].id if len(own) == 1 else entries[0].id if len(entries) == 1 else None)
            topo.edges.append(Edge(dns.id, entry or where, "traffic", label, to_column=entry is None))


__all__ = ["Topology", "Node", "Edge", "topology", "ident", "STATUS_WORDS", "MAX_STORES"]
