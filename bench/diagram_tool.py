#!/usr/bin/env python3
"""Small text helpers for bench/diagram-speed.sh (Python 3 standard library only).

  diagram_tool.py nodes FILE.mmd        rough node count of a Mermaid diagram
  diagram_tool.py flowchart G N [linked]
                                        a flowchart of G subgraphs of N nodes each;
                                        "linked" adds an edge between two subgraphs
  diagram_tool.py svg-size FILE.svg     "W H" of the first <svg>'s viewBox (or "? ?")
  diagram_tool.py first-svg HTML OUT    copy the light SVG of the first diagram of a
                                        coursebook page to OUT, print its size as svg-size

The node count is deliberately rough (a table column, not a parser): flowchart
node ids, sequence participants, states, classes or entities, whichever the
diagram type calls a node.
"""

import re
import sys

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"

FLOW_SKIP = ("style ", "classDef ", "class ", "linkStyle ", "click ", "direction ")
FLOW_KEYWORDS = {"end", "subgraph", "flowchart", "graph", "TB", "TD", "BT", "LR", "RL"}


def strip_comment(line):
    return "" if line.strip().startswith("%%") else line


def flowchart_nodes(lines):
    # Quoted labels may span lines (as in the seeds): blank them out first.
    lines = re.sub(r'"[^"]*"', '""', "\n".join(lines)).splitlines()
    nodes, subgraphs = set(), set()
    for raw in lines:
        line = strip_comment(raw).strip()
        if not line or line.startswith(FLOW_SKIP):
            continue
        if line.startswith("subgraph"):
            m = re.match(r"subgraph\s+(" + IDENT + ")", line)
            if m:
                subgraphs.add(m.group(1))
            continue
        # Drop everything that is label text rather than an id: quoted strings,
        # bracketed shapes, |edge labels|, `-- text -->` and `-. text .->` labels.
        line = re.sub(r"\|[^|]*\|", " ", line)
        line = re.sub(r"--\s[^->]*?\s-->", "-->", line)
        line = re.sub(r"-\.\s[^.]*?\s\.->", "-.->", line)
        prev = None
        while prev != line:
            prev = line
            line = re.sub(r"\([^()]*\)|\[[^\[\]]*\]|\{[^{}]*\}|(?<=\w)>[^\]]*\]", " ", line)
        line = re.sub(r":::" + IDENT, " ", line)
        for tok in re.findall(IDENT, line):
            if tok not in FLOW_KEYWORDS:
                nodes.add(tok)
    return len(nodes - subgraphs)


def sequence_nodes(lines):
    names = set()
    for raw in lines:
        line = strip_comment(raw).strip()
        m = re.match(r"(?:participant|actor)\s+(\S+)", line)
        if m:
            names.add(m.group(1))
            continue
        m = re.match(r"([^-+\s][^-]*?)\s*(?:-{1,2}>>|-{1,2}>|-{1,2}[x)]|<<-{1,2}>>)[+-]?\s*([^:]+?)\s*:", line)
        if m:
            names.update((m.group(1).strip(), m.group(2).strip()))
    return len(names)


def state_nodes(lines):
    names = set()
    for raw in lines:
        line = strip_comment(raw).strip()
        if line.startswith(("stateDiagram", "note", "end note", "direction", "classDef", "class ")):
            continue
        line = line.split(":", 1)[0]
        m = re.match(r"state\s+(?:\"[^\"]*\"\s+as\s+)?(" + IDENT + ")", line)
        if m:
            names.add(m.group(1))
            continue
        for tok in re.findall(r"\[\*\]|" + IDENT, line):
            names.add(tok)
    return len(names)


def class_nodes(lines):
    names, depth = set(), 0
    rel = re.compile(
        r"^\s*(" + IDENT + r")\s*(?:\"[^\"]*\"\s*)?"
        r"(?:<\|--|\*--|o--|-->|--|\.\.>|\.\.\|>|\.\.|--\|>|--\*|--o|<--|<\.\.)"
        r"\s*(?:\"[^\"]*\"\s*)?(" + IDENT + ")"
    )
    for raw in lines:
        line = strip_comment(raw).strip()
        if depth:
            depth += line.count("{") - line.count("}")
            continue
        m = re.match(r"class\s+(" + IDENT + ")", line)
        if m:
            names.add(m.group(1))
            depth += line.count("{") - line.count("}")
            continue
        m = rel.match(line)
        if m:
            names.update(m.groups())
    return len(names)


def er_nodes(lines):
    names, depth = set(), 0
    for raw in lines:
        line = strip_comment(raw).strip()
        if depth:
            depth += line.count("{") - line.count("}")
            continue
        m = re.match(r"(" + IDENT + r")\s*\{", line)
        if m:
            names.add(m.group(1))
            depth += line.count("{") - line.count("}")
            continue
        m = re.match(r"(" + IDENT + r")\s+\S*--\S*\s+(" + IDENT + r")\s*:", line)
        if m:
            names.update(m.groups())
    return len(names)


def count_nodes(text):
    lines = text.splitlines()
    kind = next((l.split()[0] for l in lines if l.strip() and not l.strip().startswith("%%")), "")
    body = lines[1:]
    if kind in ("flowchart", "graph"):
        return flowchart_nodes(body)
    if kind == "sequenceDiagram":
        return sequence_nodes(body)
    if kind.startswith("stateDiagram"):
        return state_nodes(body)
    if kind == "classDiagram":
        return class_nodes(body)
    if kind == "erDiagram":
        return er_nodes(body)
    return "?"


SHAPES = [('["{}"]', None), ('("{}")', None), ('{{"{}"}}', None), ('(["{}"])', None), ('[("{}")]', None)]


def flowchart(groups, per, linked=False):
    """Deterministic: chains inside each subgraph, a few skip edges, labels on some
    edges, links from each subgraph into the next and back to the first, and with
    `linked` one edge from the first subgraph (as a whole) to the last."""
    out = ["flowchart LR"]
    names = ["Source", "Build", "Test", "Release"]
    for g in range(1, groups + 1):
        title = names[g - 1] if g <= len(names) else f"Group {g}"
        out.append(f'    subgraph G{g}["{title} stage"]')
        out.append("        direction TB")
        for n in range(1, per + 1):
            shape = SHAPES[(g + n) % len(SHAPES)][0]
            out.append(f"        G{g}N{n}" + shape.format(f"{title} step {n}"))
        for n in range(1, per):
            if n % 3 == 0:
                out.append(f'        G{g}N{n} -->|"ok {n}"| G{g}N{n + 1}')
            else:
                out.append(f"        G{g}N{n} --> G{g}N{n + 1}")
        for n in range(1, per - 2, 4):
            out.append(f"        G{g}N{n} -.-> G{g}N{n + 3}")
        out.append("    end")
    for g in range(1, groups):
        out.append(f'    G{g}N{per} -->|"hand off"| G{g + 1}N1')
        out.append(f"    G{g}N{per // 2} -. feedback .-> G{g + 1}N{per // 2}")
    if groups > 1:
        out.append(f'    G{groups}N{per} ==>|"report"| G1N1')
    if groups > 1 and linked:
        out.append(f"    G1 --> G{groups}")
    out.append("    classDef hot fill:#FFF3E0,stroke:#EF6C00")
    out.append(f"    class G1N1,G{groups}N{per} hot")
    return "\n".join(out) + "\n"


def svg_size(svg):
    m = re.search(r"<svg\b[^>]*?\bviewBox=\"\s*([-0-9.e]+)[ ,]+([-0-9.e]+)[ ,]+([0-9.e]+)[ ,]+([0-9.e]+)", svg)
    if not m:
        return "? ?"
    return f"{float(m.group(3)):.0f} {float(m.group(4)):.0f}"


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = argv[1], argv[2:]
    if cmd == "nodes" and len(args) == 1:
        with open(args[0], encoding="utf-8") as f:
            print(count_nodes(f.read()))
    elif cmd == "flowchart" and len(args) in (2, 3) and args[2:] in ([], ["linked"]):
        sys.stdout.write(flowchart(int(args[0]), int(args[1]), args[2:] == ["linked"]))
    elif cmd == "svg-size" and len(args) == 1:
        with open(args[0], encoding="utf-8", errors="replace") as f:
            print(svg_size(f.read()))
    elif cmd == "first-svg" and len(args) == 2:
        with open(args[0], encoding="utf-8", errors="replace") as f:
            html = f.read()
        # The light-theme render of the page's first diagram (the page has icon SVGs too).
        at = html.find('class="diagram-svg diagram-light"')
        m = re.search(r"<svg\b.*?</svg>", html[at:], re.S) if at >= 0 else None
        svg = m.group(0) if m else ""
        with open(args[1], "w", encoding="utf-8") as f:
            f.write(svg)
        print(svg_size(svg))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
