"""The DR pictures: the Mermaid diagram in the Markdown report parses with Mermaid's own parser (Node, the
version pinned in tests/js), the SVG of the HTML report has the structure the report says (one Region per
column, each store coloured by its status, its copies and the traffic), the HTML is one file that fetches
nothing, and headless Chromium shows the diagram (its colours are on the screenshot).
"""
from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path
from xml.etree import ElementTree


from engines import mermaid_parse, screenshot
from helpers import FIXTURES, ROOT, fixture_options, run
from rlint.reporters import dr_mermaid
from rlint.reporters import html as html_report
from rlint.reporters import markdown
from rlint.reporters.dr_topology import MAX_STORES, topology

SVG = "{http://www.w3.org/2000/svg}"
VERDICTS = FIXTURES / "dr" / "verdicts"
CASES = sorted(p.parent for p in VERDICTS.glob("*/*/.rlint.yaml")) + \
    sorted(p for p in (FIXTURES / "dr").glob("[a-z]*-[a-z]*/*") if p.is_dir() and p.parent.name != "verdicts") + \
    [FIXTURES / "deployments" / "backup-vaults", ROOT / "examples" / "dr-two-regions"]


def _dr(folder: Path) -> dict:
    config = folder / ".rlint.yaml"
    options = fixture_options(config) if config.is_file() else {}
    if config.is_file() and "deployments:" in config.read_text():
        from rlint.config import load_config
        from rlint.deployments import from_config

        options["deployments"] = from_config(load_config(config).data["deployments"], folder)
    return run(folder, select=("RL7",), dr_report=True, **options).dr


def _name(folder: Path) -> str:
    return f"{folder.parent.name}/{folder.name}"


def test_mermaid_diagrams_parse_with_mermaid():
    diagrams = {_name(f): dr_mermaid.render(topology(_dr(f))) for f in CASES}
    # the check can fail: a broken diagram comes back with Mermaid's own error
    errors = mermaid_parse({**diagrams, "broken": "flowchart LR\n  a -->\n"})
    assert "Parse error" in errors.pop("broken")
    assert errors == {name: None for name in diagrams}


def test_markdown_diagram_keeps_to_what_github_renders():
    md = markdown.render(run(VERDICTS / "maintenance-secondary" / "terraform", select=("RL7",), dr_report=True,
                             **fixture_options(VERDICTS / "maintenance-secondary" / "terraform" / "x")))
    block = re.search(r"```mermaid\n(.*?)\n```", md, re.S).group(1)
    lines = block.splitlines()
    assert lines[0] == "flowchart LR"
    assert [ln.strip() for ln in lines if ln.strip().startswith("subgraph")] == [
        f'subgraph {topology({"stores": [], "entry_points": [], "traffic": {}}).column_id(c)}["{c}"]'
        for c in ("eu-west-1", "eu-central-1")]
    assert "click" not in block and "<script" not in block
    # every node id is alphanumeric and every class used is defined with fill, stroke and text colour
    for klass in set(re.findall(r":::(\w+)", block)):
        assert re.search(rf"classDef {klass} fill:#[0-9a-f]{{6}},stroke:#[0-9a-f]{{6}},color:#[0-9a-f]{{6}}", block)
    assert re.findall(r"^\s+(\w+)\[\"aws_db_instance\.orders<br/>", block, re.M)
    assert ':::missed' in next(ln for ln in lines if "aws_db_instance.orders<br/>RDS" in ln)
    assert re.search(r'-->\|"live copy"\| c[0-9a-f]{10}$', block, re.M)  # the replica, a live copy
    assert '==>|"SECONDARY · no check"|' in block  # traffic to the maintenance page
    assert "| red | a data store that misses an objective (RL701/RL702) |" in md


def _svg(folder: Path) -> ElementTree.Element:
    page = html_report.render(run(folder, select=("RL7",), dr_report=True, **fixture_options(folder / "x")))
    svg = re.search(r"<svg .*?</svg>", page, re.S).group(0)
    return ElementTree.fromstring(svg)


def test_svg_draws_regions_stores_copies_and_traffic():
    root = _svg(VERDICTS / "maintenance-secondary" / "terraform")
    regions = [g.find(f"{SVG}text").text for g in root.iter(f"{SVG}g") if g.get("class") == "region"]
    assert regions == ["eu-west-1", "eu-central-1"]
    nodes = {g.get("class"): g for g in root.iter(f"{SVG}g") if (g.get("class") or "").startswith("node ")}
    assert sorted(nodes) == ["node copy", "node dns", "node entry", "node site", "node store"]
    store = nodes["node store"]
    assert store.find(f"{SVG}rect").get("fill") == "#f8d3d6"  # missed
    assert [t.text for t in store.findall(f"{SVG}text")][:2] == ["aws_db_instance.orders", "RDS DB instance · tier default"]
    assert "main.tf:29" in store.find(f"{SVG}title").text
    edges = sorted(p.get("class") for p in root.iter(f"{SVG}path") if (p.get("class") or "").startswith("edge"))
    assert edges == ["edge live", "edge traffic", "edge traffic"]


def test_html_is_one_file_that_fetches_nothing_and_is_stable():
    folder = VERDICTS / "same-region-latency" / "cloudformation"
    result = run(folder, select=("RL7",), dr_report=True, **fixture_options(folder / "x"))
    page = html_report.render(result)
    assert page == html_report.render(result)  # the same scan, the same bytes
    for fetch in ("<script", " src=", "@import", "url(http", "<link", "<iframe"):
        assert fetch not in page, fetch


def test_a_large_scan_draws_the_first_stores_and_counts_the_rest(tmp_path):
    (tmp_path / "main.tf").write_text("".join(
        f'resource "aws_dynamodb_table" "t{i}" {{\n  name     = "t{i}"\n  hash_key = "pk"\n'
        f'  attribute {{\n    name = "pk"\n    type = "S"\n  }}\n}}\n' for i in range(MAX_STORES + 5)))
    topo = topology(run(tmp_path, select=("RL7",), dr_report=True).dr)
    assert topo.left_out == 5 and sum(1 for n in topo.nodes if n.kind == "store") == MAX_STORES


# -- what a person sees: the HTML in headless Chromium ----------------------------------------------------
def _pixels(png: Path) -> tuple:
    """(width, height, rows of RGB(A) bytes) of an 8-bit, non-interlaced PNG such as Chromium writes."""
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, head = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            head = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, colour, _c, _f, interlace = head
    assert depth == 8 and colour in (2, 6) and interlace == 0, head
    bpp = 3 if colour == 2 else 4
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        filt, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if filt == 1:
                line[i] = (line[i] + a) & 255
            elif filt == 2:
                line[i] = (line[i] + b) & 255
            elif filt == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif filt == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, bpp, rows


def _count(png: Path, colours: dict) -> dict:
    width, bpp, rows = _pixels(png)
    wanted = {bytes(int(hex_[i:i + 2], 16) for i in (1, 3, 5)): name for name, hex_ in colours.items()}
    found = dict.fromkeys(colours, 0)
    for row in rows:
        for x in range(0, width * bpp, bpp):
            name = wanted.get(row[x:x + 3])
            if name:
                found[name] += 1
    return found


def test_chromium_shows_the_diagram(tmp_path):
    folder = VERDICTS / "maintenance-secondary" / "terraform"
    page = tmp_path / "report.html"
    page.write_text(html_report.render(run(folder, select=("RL7",), dr_report=True, **fixture_options(folder / "x"))))
    png = tmp_path / "report.png"
    screenshot(page, png, 1100, 800)
    found = _count(png, {"missed store": "#f8d3d6", "entry point": "#dbe9fb", "maintenance page": "#fbe5cf",
                         "Route 53": "#efe3fa", "Region column": "#f6f7f9"})
    # each box is some 300 x 40 pixels and more: drawn, not just present in the markup
    assert all(n > 5000 for n in found.values()), found
