"""The DR picture as SVG, laid out on a fixed grid by rlint itself (no layout engine, no script, no network):
one column per Region, Route 53 on top, then the entry points, then one row per data store with its copies
in the columns of the Regions they live in. The same report gives the same bytes.
"""
from __future__ import annotations

import textwrap
from html import escape

from .dr_mermaid import CLASSES
from .dr_topology import STATUS_WORDS, Topology

PAD, COL_W, COL_GAP, BOX_W = 24, 330, 56, 300
LINE_H, BOX_PAD, CHARS, TITLE_CHARS = 15, 8, 52, 44
HEADER_H, ROW_GAP, DNS_GAP = 44, 18, 56
FONT = "font-family:Helvetica,Arial,sans-serif;font-size:11px"
EDGE_COLOURS = {"live": "#1f4e79", "backup": "#5f6b76", "maybe": "#a67c00", "traffic": "#6f3aa8"}
DASH = {"live": "", "backup": "6 4", "maybe": "2 4", "traffic": ""}


def _style(kind: str, status: str) -> dict:
    name = ("none" if status == "no objective" else status) if kind == "store" else kind
    return dict(part.split(":", 1) for part in CLASSES[name].split(","))


def _wrap(lines: list) -> list:
    """Lines wrapped to the box; the first (bold, wider glyphs) shorter, and kept apart so that only it is bold."""
    out = []
    for i, line in enumerate(lines):
        wrapped = textwrap.wrap(line, TITLE_CHARS if i == 0 else CHARS, break_long_words=True,
                                break_on_hyphens=False) or [""]
        out += [(i == 0, w) for w in wrapped]
    return out


class _Box:
    def __init__(self, node, x: float, y: float):
        self.node, self.x, self.y = node, x, y
        self.text = _wrap(node.lines)
        self.h = BOX_PAD * 2 + LINE_H * len(self.text)

    @property
    def cx(self) -> float:
        return self.x + BOX_W / 2


def render(topo: Topology) -> str:
    cols = {c: PAD + i * (COL_W + COL_GAP) for i, c in enumerate(topo.columns)}
    width = PAD * 2 + max(1, len(cols)) * COL_W + max(0, len(cols) - 1) * COL_GAP
    nodes = {n.id: n for n in topo.nodes}
    boxes: dict = {}
    # Route 53 on top, each above the Regions it routes to
    dns = [n for n in topo.nodes if n.kind == "dns"]
    y = PAD
    if dns:
        right = PAD
        for n in dns:
            targets = [cols[e.target] for e in topo.edges if e.source == n.id and e.to_column and e.target in cols]
            targets += [cols[nodes[e.target].column] for e in topo.edges if e.source == n.id and not e.to_column]
            centre = sum(targets) / len(targets) + COL_W / 2 if targets else PAD + COL_W / 2
            x = max(right, centre - BOX_W / 2)
            boxes[n.id] = _Box(n, x, y)
            right = x + BOX_W + 12
        width = max(width, int(right + PAD))
        y += max(b.h for b in boxes.values()) + DNS_GAP
    header_y = y
    y += HEADER_H + ROW_GAP
    for row in topo.rows:
        stacks: dict = {}
        for node_id in row:
            n = nodes[node_id]
            box = _Box(n, cols[n.column] + (COL_W - BOX_W) / 2, y + stacks.get(n.column, 0))
            boxes[node_id] = box
            stacks[n.column] = stacks.get(n.column, 0) + box.h + 10
        y += max(stacks.values()) - 10 + ROW_GAP
    bottom = y
    legend, height = _legend(bottom + 10, width)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="dr-title" style="{FONT}">',
           '<title id="dr-title">Disaster recovery topology: Regions, data stores and their copies, traffic</title>',
           _defs()]
    for column, x in cols.items():
        deployments = topo.deployments(column)
        out.append(f'<g class="region"><rect x="{x}" y="{header_y}" width="{COL_W}" height="{bottom - header_y}" '
                   f'rx="8" fill="#f6f7f9" stroke="#c5cad1"/>'
                   f'<text x="{x + 22}" y="{header_y + 20}" style="font-size:14px;font-weight:bold" fill="#1b1e21">'
                   f'{escape(column)}</text>')
        if deployments:
            out.append(f'<text x="{x + 22}" y="{header_y + 36}" fill="#3a4550">'
                       f'{escape("deployments: " + ", ".join(deployments))}</text>')
        out.append("</g>")
    spread = _spread(topo.edges)
    for e in topo.edges:
        out.append(_edge(e, _ends(e, boxes, cols, header_y, spread)))
    for box in boxes.values():
        out.append(_box(box))
    for e in topo.edges:
        out.append(_edge_label(e, _ends(e, boxes, cols, header_y, spread), spread))
    out += legend
    out.append("</svg>")
    return "\n".join(part for part in out if part) + "\n"


def _defs() -> str:
    markers = "".join(f'<marker id="arrow-{k}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="10" '
                      f'markerHeight="10" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{c}"/></marker>'
                      for k, c in EDGE_COLOURS.items())
    return f"<defs>{markers}</defs>"


def _box(box: _Box) -> str:
    n = box.node
    s = _style(n.kind, n.status)
    dash = f' stroke-dasharray="{s["stroke-dasharray"]}"' if "stroke-dasharray" in s else ""
    rx = 18 if n.kind == "entry" else 6
    tip = "\n".join(n.lines + ([n.where] if n.where else []) +
                    ([STATUS_WORDS[n.status]] if n.kind == "store" else []))
    parts = [f'<g class="node {n.kind}" data-id="{n.id}"><title>{escape(tip)}</title>',
             f'<rect x="{box.x}" y="{box.y}" width="{BOX_W}" height="{box.h}" rx="{rx}" fill="{s["fill"]}" '
             f'stroke="{s["stroke"]}" stroke-width="{s.get("stroke-width", "1px").rstrip("px")}"{dash}/>']
    for i, (bold, line) in enumerate(box.text):
        weight = ';font-weight:bold' if bold else ''
        parts.append(f'<text x="{box.x + BOX_PAD}" y="{box.y + BOX_PAD + LINE_H * i + 11}" fill="{s["color"]}"'
                     f'{f" style={chr(34)}{weight[1:]}{chr(34)}" if weight else ""}>{escape(line)}</text>')
    parts.append("</g>")
    return "".join(parts)


def _spread(edges: list) -> dict:
    """Where each edge leaves its source and reaches its target along the box's width (a fraction), so that
    several arrows from one Route 53 node or into one box do not lie on one another."""
    out: dict = {}
    for end in ("source", "target"):
        groups: dict = {}
        for e in edges:
            groups.setdefault(getattr(e, end), []).append(e)
        for group in groups.values():
            for i, e in enumerate(group):
                out[(id(e), end)] = (i + 1) / (len(group) + 1)
                out[(id(e), end + " index")] = i
    for i, e in enumerate(e for e in edges if e.style == "traffic"):
        out[(id(e), "traffic index")] = i
    return out


def _ends(e, boxes: dict, cols: dict, header_y: float, spread: dict) -> tuple:
    """The points an edge passes through: straight between two boxes, or for traffic into a box below another
    one, down the Region's left margin and in from the side (never across a box)."""
    a = boxes[e.source]
    if a.node.kind == "dns":
        start = (a.x + BOX_W * spread[(id(e), "source")], a.y + a.h)
        if e.to_column:
            return start, (cols[e.target] + COL_W * spread[(id(e), "target")], header_y)
        b = boxes[e.target]
        top = min(box.y for box in boxes.values() if box.node.column == b.node.column)
        if b.y <= top:
            return start, (b.x + BOX_W * spread[(id(e), "target")], b.y)
        gutter = cols[b.node.column] + 4 + 7 * spread[(id(e), "target")]
        return start, (gutter, header_y), (gutter, b.y + 14), (b.x, b.y + 14)
    b = boxes[e.target]
    if b.node.column == a.node.column:
        return (a.cx, a.y + a.h), (b.cx, b.y)
    if b.x > a.x:
        return (a.x + BOX_W, a.y + min(a.h, b.h) / 2), (b.x, b.y + min(a.h, b.h) / 2)
    return (a.x, a.y + min(a.h, b.h) / 2), (b.x + BOX_W, b.y + min(a.h, b.h) / 2)


def _edge(e, ends: tuple) -> str:
    colour = EDGE_COLOURS[e.style]
    dash = f' stroke-dasharray="{DASH[e.style]}"' if DASH[e.style] else ""
    width = 3 if e.style == "traffic" else 1.6
    d = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in ends)
    return (f'<path class="edge {e.style}" d="{d}" stroke="{colour}" '
            f'stroke-width="{width}" fill="none"{dash} marker-end="url(#arrow-{e.style})"/>')


def _edge_label(e, ends: tuple, spread: dict) -> str:
    if not e.label:
        return ""
    (x1, y1), (x2, y2) = ends[:2]
    # traffic labels near Route 53, staggered so that neighbouring arrows' labels do not overlap
    share = (0.2, 0.45, 0.7)[spread[(id(e), "traffic index")] % 3] if e.style == "traffic" else 0.5
    x, y = x1 + (x2 - x1) * share, y1 + (y2 - y1) * share
    w = 6.2 * len(e.label) + 8
    return (f'<g class="edge-label"><rect x="{x - w / 2:.1f}" y="{y - 9:.1f}" width="{w:.1f}" height="16" rx="3" '
            f'fill="#ffffff" fill-opacity="0.9"/><text x="{x:.1f}" y="{y + 3:.1f}" text-anchor="middle" '
            f'fill="{EDGE_COLOURS[e.style]}">{escape(e.label)}</text></g>')


_SWATCHES = (("missed", "store", "objective missed"), ("unknown", "store", "undecided"),
             ("met", "store", "objectives met"), ("no objective", "store", "no objective"),
             ("", "copy", "copy in another Region"), ("", "entry", "entry point"), ("", "dns", "Route 53"),
             ("", "site", "S3 static website"))
_LINES = (("live", "live copy"), ("backup", "backup copy"), ("maybe", "may exist"), ("traffic", "traffic"))


def _legend(y: float, width: int) -> tuple:
    out = [f'<g class="legend"><text x="{PAD}" y="{y + 12}" style="font-weight:bold" fill="#1b1e21">Legend</text>']
    x, row_y = PAD + 60, y
    for status, kind, text in _SWATCHES:
        s = _style(kind, status or "no objective")
        dash = f' stroke-dasharray="{s["stroke-dasharray"]}"' if "stroke-dasharray" in s else ""
        if x + 150 > width:
            x, row_y = PAD + 60, row_y + 22
        out.append(f'<rect x="{x}" y="{row_y}" width="18" height="14" rx="3" fill="{s["fill"]}" '
                   f'stroke="{s["stroke"]}"{dash}/><text x="{x + 24}" y="{row_y + 11}" fill="#1b1e21">'
                   f'{escape(text)}</text>')
        x += 150
    x, row_y = PAD + 60, row_y + 24
    for style, text in _LINES:
        if x + 150 > width:
            x, row_y = PAD + 60, row_y + 22
        dash = f' stroke-dasharray="{DASH[style]}"' if DASH[style] else ""
        out.append(f'<path d="M{x},{row_y + 7} L{x + 36},{row_y + 7}" stroke="{EDGE_COLOURS[style]}" '
                   f'stroke-width="{3 if style == "traffic" else 1.6}"{dash} marker-end="url(#arrow-{style})"/>'
                   f'<text x="{x + 44}" y="{row_y + 11}" fill="#1b1e21">{escape(text)}</text>')
        x += 150
    out.append("</g>")
    return out, int(row_y + 22 + PAD)


__all__ = ["render"]
