"""Generate BPMN DI (diagram interchange) for a process file.

`layout(xml)` takes BPMN 2.0 XML (bytes or str) and returns it (bytes) with one
`bpmndi:BPMNDiagram` that draws every participant, lane, flow node and sequence
flow, left to right, so that the Camunda Modeler and bpmn-js open it as a
readable diagram. Any existing diagram is replaced. Pure lxml: this module
imports nothing from SpiffWorkflow and may run where the engine does not.

How it lays out:

* A collaboration with one participant per process is added when the file has
  none. Pools are stacked top to bottom.
* Columns: longest-path layering of the sequence-flow graph after removing the
  back edges found by a depth-first walk from the start events (so loops run
  right to left). Rows: each lane is a horizontal band; a node takes the row of
  its first predecessor in the same lane when that cell is free, else the
  nearest free row.
* Edges are orthogonal. For every flow a few routes are tried in order
  (straight; out of or into a gateway's top/bottom corner; turning in the gap
  between columns; a detour along a free row) and the first that crosses no
  node is kept. Back edges run along a channel at the bottom of the source's
  lane. Lanes grow a row when a detour needs one.
* Labels: gateways above, events below, named flows above their longest
  horizontal segment.

Not handled (drawn without DI, so modelers skip them): data objects, data
stores, text annotations, associations and message flows. Embedded
sub-processes are drawn collapsed, each with a diagram of its own (a plane
referring to the sub-process) that bpmn-js and the Camunda Modeler drill into.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

from lxml import etree

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"


def _q(ns: str, tag: str) -> str:
    return "{%s}%s" % (ns, tag)


GATEWAYS = {"exclusiveGateway", "inclusiveGateway", "parallelGateway", "eventBasedGateway", "complexGateway"}
EVENTS = {"startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent"}
ACTIVITIES = {"task", "userTask", "serviceTask", "scriptTask", "businessRuleTask", "sendTask", "receiveTask",
              "manualTask", "callActivity", "subProcess", "transaction", "adHocSubProcess"}
FLOW_NODES = GATEWAYS | EVENTS | ACTIVITIES

SIZE = {"gateway": (50, 50), "event": (36, 36), "activity": (100, 80)}

COL_W = 180          # column pitch
ROW_H = 130          # row pitch inside a lane
HEADER = 30          # width of the pool's and each lane's name band
MARGIN_X = 30        # space between the lane header and the first column
CHANNEL = 14         # height added to a lane per back edge routed below its rows
POOL_GAP = 60
ORIGIN = (160, 80)
CLEAR = 6            # a route must stay this far from a node it does not connect


def _kind(tag: str) -> str:
    if tag in GATEWAYS:
        return "gateway"
    if tag in EVENTS:
        return "event"
    return "activity"


def text_width(text: str, size: float = 11) -> float:
    """Rough width of a label in pixels (CJK characters are about square)."""
    width = 0.0
    for ch in text:
        width += size if ord(ch) >= 0x2E80 else size * 0.58
    return width


def _wrap(text: str, max_width: float) -> list[str]:
    lines, line = [], ""
    for ch in text:
        if ch == "\n":
            lines.append(line)
            line = ""
            continue
        if line and text_width(line + ch) > max_width:
            lines.append(line)
            line = ""
        line += ch
    if line:
        lines.append(line)
    return lines or [""]


def label_box(text: str, max_width: float = 90) -> tuple[int, int]:
    lines = _wrap(text, max_width)
    width = max(text_width(line) for line in lines) + 4
    return int(min(max_width, width) + 0.999), 14 * len(lines)


@dataclass
class Node:
    id: str
    tag: str
    name: str
    lane: int
    order: int
    attached_to: str | None = None
    col: int = 0
    row: int = 0
    x: float = 0
    y: float = 0
    w: int = 0
    h: int = 0

    @property
    def kind(self) -> str:
        return _kind(self.tag)

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


@dataclass
class Flow:
    id: str
    source: str
    target: str
    name: str
    back: bool = False
    points: list = field(default_factory=list)


@dataclass
class Lane:
    id: str | None
    name: str
    rows: int = 1
    channels: int = 0
    y: float = 0
    h: float = 0


class _ProcessLayout:
    def __init__(self, process: etree._Element):
        self.process = process
        self.nodes: dict[str, Node] = {}
        self.flows: list[Flow] = []
        self.lanes: list[Lane] = []
        self.parent_lanes: list[tuple[str, list[int]]] = []
        self._read()

    # ---- reading -------------------------------------------------------
    def _read(self) -> None:
        lane_of: dict[str, int] = {}
        for lane_set in self.process.findall(_q(BPMN, "laneSet")):
            self._read_lanes(lane_set, lane_of)
        if not self.lanes:
            self.lanes.append(Lane(None, ""))
        order = 0
        for el in self.process:
            if not isinstance(el.tag, str):
                continue
            tag = etree.QName(el).localname
            if tag in FLOW_NODES and el.get("id"):
                node = Node(el.get("id"), tag, (el.get("name") or "").strip(),
                            lane_of.get(el.get("id"), 0), order, el.get("attachedToRef"))
                node.w, node.h = SIZE[node.kind]
                self.nodes[node.id] = node
                order += 1
        for el in self.process.iter(_q(BPMN, "sequenceFlow")):
            if el.getparent() is not self.process:
                continue
            src, tgt = el.get("sourceRef"), el.get("targetRef")
            if src in self.nodes and tgt in self.nodes:
                self.flows.append(Flow(el.get("id"), src, tgt, (el.get("name") or "").strip()))

    def _read_lanes(self, lane_set, lane_of) -> list[int]:
        indexes = []
        for lane_el in lane_set.findall(_q(BPMN, "lane")):
            child_set = lane_el.find(_q(BPMN, "childLaneSet"))
            if child_set is not None and child_set.findall(_q(BPMN, "lane")):
                children = self._read_lanes(child_set, lane_of)
                self.parent_lanes.append((lane_el.get("id"), children))
                indexes.extend(children)
                continue
            index = len(self.lanes)
            self.lanes.append(Lane(lane_el.get("id"), lane_el.get("name") or ""))
            for ref in lane_el.findall(_q(BPMN, "flowNodeRef")):
                lane_of[(ref.text or "").strip()] = index
            indexes.append(index)
        return indexes

    # ---- columns and rows ----------------------------------------------
    def _anchor(self, node_id: str) -> str:
        """Boundary events are laid out with their host."""
        node = self.nodes[node_id]
        return node.attached_to if node.attached_to in self.nodes else node_id

    def assign_columns(self) -> None:
        succ: dict[str, list[Flow]] = {n: [] for n in self.nodes}
        indeg = {n: 0 for n in self.nodes}
        for f in self.flows:
            succ[self._anchor(f.source)].append(f)
            indeg[f.target] += 1
        for n in self.nodes.values():       # a host leads to its boundary events
            if n.attached_to in self.nodes:
                indeg[n.id] += 1
        starts = [n for n in sorted(self.nodes.values(), key=lambda n: n.order)
                  if indeg[n.id] == 0 and not n.attached_to]
        state: dict[str, int] = {}          # 1 on stack, 2 done

        def dfs(root: str) -> None:
            stack = [(root, iter(succ[root]))]
            state[root] = 1
            while stack:
                node_id, it = stack[-1]
                advanced = False
                for f in it:
                    tgt = self._anchor(f.target)
                    if state.get(tgt) == 1:
                        f.back = True
                    elif tgt not in state:
                        state[tgt] = 1
                        stack.append((tgt, iter(succ[tgt])))
                        advanced = True
                        break
                if not advanced:
                    state[node_id] = 2
                    stack.pop()

        for s in starts:
            if s.id not in state:
                dfs(s.id)
        for n in sorted(self.nodes.values(), key=lambda n: n.order):
            if self._anchor(n.id) not in state:
                dfs(self._anchor(n.id))
        # longest path over forward edges (Kahn)
        fwd = [f for f in self.flows if not f.back]
        indeg = {n: 0 for n in self.nodes}
        out: dict[str, list[str]] = {n: [] for n in self.nodes}
        for f in fwd:
            a, b = self._anchor(f.source), self._anchor(f.target)
            if a != b:
                out[a].append(b)
                indeg[b] += 1
        ready = sorted((n for n in self.nodes if indeg[n] == 0), key=lambda n: self.nodes[n].order)
        col = {n: 0 for n in self.nodes}
        while ready:
            n = ready.pop(0)
            for m in out[n]:
                col[m] = max(col[m], col[n] + 1)
                indeg[m] -= 1
                if indeg[m] == 0:
                    ready.append(m)
        for n in self.nodes.values():
            n.col = col[self._anchor(n.id)]

    def assign_rows(self) -> None:
        taken: set[tuple[int, int, int]] = set()
        preds: dict[str, list[str]] = {n: [] for n in self.nodes}
        for f in self.flows:
            if not f.back:
                preds[f.target].append(self._anchor(f.source))
        reach = self._reach_counts()
        placed: set[str] = set()
        # within a column, the node that leads furthest takes the preferred row,
        # so the main path stays straight and dead ends move aside
        for n in sorted(self.nodes.values(), key=lambda n: (n.col, -reach[n.id], n.order)):
            if n.attached_to in self.nodes:
                continue
            want = 0
            for p in preds[n.id]:
                if p in placed and self.nodes[p].lane == n.lane:
                    want = self.nodes[p].row
                    break
            row = want
            for delta in range(0, 100):
                for cand in (want + delta, want - delta):
                    if cand >= 0 and (n.lane, cand, n.col) not in taken:
                        row = cand
                        break
                else:
                    continue
                break
            n.row = row
            taken.add((n.lane, row, n.col))
            placed.add(n.id)
            self.lanes[n.lane].rows = max(self.lanes[n.lane].rows, row + 1)
        for n in self.nodes.values():
            if n.attached_to in self.nodes:
                n.row, n.lane = self.nodes[n.attached_to].row, self.nodes[n.attached_to].lane

    def _reach_counts(self) -> dict[str, int]:
        out: dict[str, list[str]] = {n: [] for n in self.nodes}
        for f in self.flows:
            if not f.back:
                out[self._anchor(f.source)].append(self._anchor(f.target))
        counts = {}
        for n in self.nodes:
            seen, todo = set(), [n]
            while todo:
                for m in out[todo.pop()]:
                    if m not in seen:
                        seen.add(m)
                        todo.append(m)
            counts[n] = len(seen)
        return counts

    # ---- geometry ------------------------------------------------------
    def place(self, x0: float, y0: float) -> None:
        self.x0, self.y0 = x0, y0
        y = y0
        for lane in self.lanes:
            lane.y = y
            lane.h = lane.rows * ROW_H + lane.channels * CHANNEL + (10 if lane.channels else 0)
            y += lane.h
        self.height = y - y0
        ncols = max((n.col for n in self.nodes.values()), default=0) + 1
        self.width = 2 * HEADER + MARGIN_X * 2 + ncols * COL_W
        for n in self.nodes.values():
            if n.attached_to in self.nodes:
                continue
            cx = self.col_x(n.col)
            cy = self.lanes[n.lane].y + n.row * ROW_H + ROW_H / 2
            n.x, n.y = round(cx - n.w / 2), round(cy - n.h / 2)
        hosts: dict[str, int] = {}
        for n in sorted(self.nodes.values(), key=lambda n: n.order):
            host = self.nodes.get(n.attached_to) if n.attached_to else None
            if host is None:
                continue
            k = hosts.get(host.id, 0)
            hosts[host.id] = k + 1
            n.x = round(host.x + host.w - n.w / 2 - 10 - k * 40)
            n.y = round(host.y + host.h - n.h / 2)

    def col_x(self, col: int) -> float:
        return self.x0 + 2 * HEADER + MARGIN_X + col * COL_W + COL_W / 2

    def gap_x(self, col: int, side: str, slot: int = 0) -> float:
        """x inside the gap left of column `col`; side 'src' hugs the column on
        the left, 'tgt' the column on the right."""
        left = self.col_x(col - 1) + SIZE["activity"][0] / 2
        right = self.col_x(col) - SIZE["activity"][0] / 2
        if side == "src":
            return left + 14 + 10 * slot
        return right - 14 - 10 * slot

    # ---- routing -------------------------------------------------------
    def _hits(self, pts, ends: set[str]) -> bool:
        for (x1, y1), (x2, y2) in zip(pts, pts[1:]):
            lo_x, hi_x = min(x1, x2), max(x1, x2)
            lo_y, hi_y = min(y1, y2), max(y1, y2)
            for n in self.nodes.values():
                if n.id in ends:
                    continue
                if (lo_x < n.x + n.w + CLEAR and hi_x > n.x - CLEAR
                        and lo_y < n.y + n.h + CLEAR and hi_y > n.y - CLEAR):
                    return True
        return False

    def _overlaps(self, pts, flow: Flow) -> bool:
        """True when a segment runs along a segment of an unrelated flow."""
        for other in self.flows:
            if other is flow or not other.points:
                continue
            if other.source == flow.source or other.target == flow.target:
                continue
            for a, b in zip(pts, pts[1:]):
                for c, d in zip(other.points, other.points[1:]):
                    if a[1] == b[1] == c[1] == d[1]:
                        if min(max(a[0], b[0]), max(c[0], d[0])) - max(min(a[0], b[0]), min(c[0], d[0])) > 1:
                            return True
                    if a[0] == b[0] == c[0] == d[0]:
                        if min(max(a[1], b[1]), max(c[1], d[1])) - max(min(a[1], b[1]), min(c[1], d[1])) > 1:
                            return True
        return False

    def _slots(self) -> None:
        """Give the flows that turn in the same gap distinct x positions."""
        self.src_slot: dict[tuple[int, str], int] = {}
        self.tgt_slot: dict[tuple[int, str], int] = {}

    def _slot(self, table, col: int, key: str) -> int:
        used = [k for (c, k) in table if c == col]
        if (col, key) not in table:
            table[(col, key)] = len(used)
        return table[(col, key)]

    def _clean(self, pts):
        out = []
        for p in pts:
            p = (round(p[0]), round(p[1]))
            if out and out[-1] == p:
                continue
            out.append(p)
        # drop collinear middle points
        res = []
        for p in out:
            if len(res) >= 2 and (res[-2][0] == res[-1][0] == p[0] or res[-2][1] == res[-1][1] == p[1]):
                res[-1] = p
            else:
                res.append(p)
        return res

    def route_all(self) -> bool:
        """Route every flow; return False when a lane had to grow (call again)."""
        self._slots()
        for f in self.flows:
            f.points = []
        channel_used: dict[int, int] = {}
        order = sorted(self.flows, key=lambda f: (f.back, self.nodes[f.source].col, self.nodes[f.source].order))
        for f in order:
            s, t = self.nodes[f.source], self.nodes[f.target]
            ends = {s.id, t.id}
            if s.attached_to:
                ends.add(s.attached_to)
            if f.back or t.col <= s.col and not s.attached_to:
                k = channel_used.get(s.lane, 0)
                channel_used[s.lane] = k + 1
                if self.lanes[s.lane].channels <= k:
                    self.lanes[s.lane].channels = k + 1
                    return False
                f.points = self._clean(self._back_route(f, s, t, k, ends))
                continue
            cands = list(self._forward_candidates(f, s, t))
            best = None
            for pts in cands:
                pts = self._clean(pts)
                if not self._hits(pts, ends) and not self._overlaps(pts, f):
                    best = pts
                    break
            if best is None:
                for pts in cands:
                    pts = self._clean(pts)
                    if not self._hits(pts, ends):
                        best = pts
                        break
            if best is None:
                # no clean route: give the source lane one more row and retry
                if self.lanes[s.lane].rows < 50:
                    self.lanes[s.lane].rows += 1
                    return False
                best = self._clean(cands[-1])
            f.points = best
        return True

    def _forward_candidates(self, f, s: Node, t: Node):
        sx, sy = s.x + s.w, s.cy
        tx, ty = t.x, t.cy
        s_gw, t_gw = s.kind == "gateway", t.kind == "gateway"
        if s.attached_to:                       # boundary event: leave downwards
            yield [(s.cx, s.y + s.h), (s.cx, ty), (tx, ty)] if ty > s.y + s.h else []
            for track in self._tracks(s, t):
                yield [(s.cx, s.y + s.h), (s.cx, track), (self.gap_x(t.col, "tgt"), track),
                       (self.gap_x(t.col, "tgt"), ty), (tx, ty)]
            return
        if sy == ty:
            yield [(sx, sy), (tx, ty)]
        if s_gw and ty != sy:                   # out of the gateway's corner
            vy = s.y + s.h if ty > sy else s.y
            yield [(s.cx, vy), (s.cx, ty), (tx, ty)]
        if t_gw and ty != sy:                   # into the gateway's corner
            vy = t.y + t.h if sy > ty else t.y
            yield [(sx, sy), (t.cx, sy), (t.cx, vy)]
        xs = self.gap_x(s.col + 1, "src", self._slot(self.src_slot, s.col + 1, s.id))
        xt = self.gap_x(t.col, "tgt", self._slot(self.tgt_slot, t.col, t.id))
        yield [(sx, sy), (xs, sy), (xs, ty), (tx, ty)]
        yield [(sx, sy), (xt, sy), (xt, ty), (tx, ty)]
        for track in self._tracks(s, t):
            start = [(s.cx, s.y + s.h if track > sy else s.y), (s.cx, track)] if s_gw else \
                [(sx, sy), (xs, sy), (xs, track)]
            end = [(t.cx, track), (t.cx, t.y + t.h if track > ty else t.y)] if t_gw else \
                [(xt, track), (xt, ty), (tx, ty)]
            yield start + end

    def _tracks(self, s: Node, t: Node):
        ys = []
        for lane_index in (s.lane, t.lane):
            lane = self.lanes[lane_index]
            for r in range(lane.rows):
                y = lane.y + r * ROW_H + ROW_H / 2
                ys.append(y)
                ys.append(y + ROW_H / 2 - 8)
        seen = []
        for y in sorted(ys, key=lambda y: (abs(y - s.cy), y)):
            if y not in seen:
                seen.append(y)
        return seen

    def _back_route(self, f, s: Node, t: Node, k: int, ends):
        lane = self.lanes[s.lane]
        yc = lane.y + lane.rows * ROW_H + CHANNEL * (k + 1)
        direct = [(s.cx, s.y + s.h), (s.cx, yc), (t.cx, yc), (t.cx, t.y + t.h)]
        if not self._hits(self._clean(direct), ends):
            return direct
        xs = self.gap_x(s.col + 1, "src", self._slot(self.src_slot, s.col + 1, s.id))
        xt = self.gap_x(t.col, "tgt", self._slot(self.tgt_slot, t.col, t.id))
        down = [(s.cx, s.y + s.h), (s.cx, yc)]
        if self._hits(self._clean(down), ends):
            down = [(s.x + s.w, s.cy), (xs, s.cy), (xs, yc)]
        up = [(t.cx, yc), (t.cx, t.y + t.h)]
        if self._hits(self._clean(up), ends):
            up = [(xt, yc), (xt, t.cy), (t.x, t.cy)]
        return down + up


# ---- writing DI ---------------------------------------------------------

def _bounds(parent, x, y, w, h):
    el = etree.SubElement(parent, _q(DC, "Bounds"))
    el.set("x", str(int(round(x))))
    el.set("y", str(int(round(y))))
    el.set("width", str(int(round(w))))
    el.set("height", str(int(round(h))))
    return el


def _label(shape, x, y, w, h):
    lab = etree.SubElement(shape, _q(BPMNDI, "BPMNLabel"))
    _bounds(lab, x, y, w, h)


def _flow_label(flow: Flow):
    pts = flow.points
    best = None
    for i, (a, b) in enumerate(zip(pts, pts[1:])):
        if a[1] == b[1]:
            length = abs(b[0] - a[0])
            score = length + (1000 if i == len(pts) - 2 else 0)
            if best is None or score > best[0]:
                best = (score, a, b)
    if best is None:
        a, b = pts[0], pts[1]
        w, h = label_box(flow.name, 80)
        return a[0] + 6, (a[1] + b[1]) / 2 - h / 2, w, h
    _, a, b = best
    room = max(60, abs(b[0] - a[0]) - 12)
    w, h = label_box(flow.name, min(room, 110))
    return min(a[0], b[0]) + 6, a[1] - 4 - h, w, h


def layout(xml: bytes | str) -> bytes:
    """Return the BPMN document with freshly generated DI."""
    if isinstance(xml, str):
        xml = xml.encode("utf-8")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             remove_blank_text=True)
    root = etree.fromstring(xml, parser)
    if root.getroottree().docinfo.doctype:
        raise ValueError("a DOCTYPE is not allowed in process files")
    for old in root.findall(_q(BPMNDI, "BPMNDiagram")):
        root.remove(old)

    processes = root.findall(_q(BPMN, "process"))
    collab = root.find(_q(BPMN, "collaboration"))
    if collab is None:
        collab = etree.Element(_q(BPMN, "collaboration"))
        collab.set("id", "Collaboration_" + (processes[0].get("id") if processes else "1"))
        first = processes[0] if processes else None
        if first is not None:
            first.addprevious(collab)
        else:
            root.append(collab)
    participants = {p.get("processRef"): p for p in collab.findall(_q(BPMN, "participant"))}
    for proc in processes:
        if proc.get("id") not in participants:
            part = etree.Element(_q(BPMN, "participant"))
            part.set("id", "Participant_" + proc.get("id"))
            part.set("name", proc.get("name") or proc.get("id"))
            part.set("processRef", proc.get("id"))
            existing = collab.findall(_q(BPMN, "participant"))
            if existing:
                existing[-1].addnext(part)
            else:
                collab.insert(0, part)
            participants[proc.get("id")] = part

    diagram = etree.SubElement(root, _q(BPMNDI, "BPMNDiagram"))
    diagram.set("id", "BPMNDiagram_" + collab.get("id"))
    plane = etree.SubElement(diagram, _q(BPMNDI, "BPMNPlane"))
    plane.set("id", "BPMNPlane_" + collab.get("id"))
    plane.set("bpmnElement", collab.get("id"))

    x0, y0 = ORIGIN
    for proc in processes:
        lay = _ProcessLayout(proc)
        lay.assign_columns()
        lay.assign_rows()
        for _ in range(200):
            lay.place(x0, y0)
            if lay.route_all():
                break
        part = participants[proc.get("id")]
        shape = etree.SubElement(plane, _q(BPMNDI, "BPMNShape"))
        shape.set("id", part.get("id") + "_di")
        shape.set("bpmnElement", part.get("id"))
        shape.set("isHorizontal", "true")
        _bounds(shape, x0, y0, lay.width, lay.height)
        for lane_id, children in lay.parent_lanes:
            top = min(lay.lanes[i].y for i in children)
            bottom = max(lay.lanes[i].y + lay.lanes[i].h for i in children)
            shape = etree.SubElement(plane, _q(BPMNDI, "BPMNShape"))
            shape.set("id", lane_id + "_di")
            shape.set("bpmnElement", lane_id)
            shape.set("isHorizontal", "true")
            _bounds(shape, x0 + HEADER, top, lay.width - HEADER, bottom - top)
        for lane in lay.lanes:
            if lane.id is None:
                continue
            shape = etree.SubElement(plane, _q(BPMNDI, "BPMNShape"))
            shape.set("id", lane.id + "_di")
            shape.set("bpmnElement", lane.id)
            shape.set("isHorizontal", "true")
            _bounds(shape, x0 + HEADER, lane.y, lay.width - HEADER, lane.h)
        for n in sorted(lay.nodes.values(), key=lambda n: (n.attached_to is not None, n.order)):
            shape = etree.SubElement(plane, _q(BPMNDI, "BPMNShape"))
            shape.set("id", n.id + "_di")
            shape.set("bpmnElement", n.id)
            if n.tag == "exclusiveGateway":
                shape.set("isMarkerVisible", "true")
            if n.tag in ("subProcess", "transaction", "adHocSubProcess"):
                shape.set("isExpanded", "false")
            _bounds(shape, n.x, n.y, n.w, n.h)
            if n.name and n.kind == "gateway":
                w, h = label_box(n.name, 100)
                _label(shape, n.cx - w / 2, n.y - 5 - h, w, h)
            elif n.name and n.kind == "event":
                w, h = label_box(n.name, 90)
                _label(shape, n.cx - w / 2, n.y + n.h + 5, w, h)
        for f in lay.flows:
            edge = etree.SubElement(plane, _q(BPMNDI, "BPMNEdge"))
            edge.set("id", f.id + "_di")
            edge.set("bpmnElement", f.id)
            for px, py in f.points:
                wp = etree.SubElement(edge, _q(DI, "waypoint"))
                wp.set("x", str(int(px)))
                wp.set("y", str(int(py)))
            if f.name:
                _label(edge, *_flow_label(f))
        y0 += lay.height + POOL_GAP

    _subprocess_planes(root)
    etree.cleanup_namespaces(root, top_nsmap={"bpmndi": BPMNDI, "dc": DC, "di": DI})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


SUBPROCESS_TAGS = ("subProcess", "transaction", "adHocSubProcess")


def _subprocess_planes(root) -> None:
    """One more diagram per collapsed embedded sub-process, whose plane
    refers to the sub-process: bpmn-js and the Camunda Modeler drill into
    it. Its content is laid out like a process of its own (nested
    sub-processes get their planes the same way) and drawn from the main
    plane's origin, since bpmn-js keeps the viewbox when drilling down."""
    subs = [el for tag in SUBPROCESS_TAGS for el in root.iter(_q(BPMN, tag))
            if not any(etree.QName(a).localname in SUBPROCESS_TAGS for a in el.iterancestors())]
    for sub in subs:
        defs = etree.Element(root.tag, nsmap=root.nsmap)
        proc = etree.SubElement(defs, _q(BPMN, "process"))
        proc.set("id", sub.get("id") + "__plane")
        for child in sub:
            if etree.QName(child).localname not in ("documentation", "extensionElements", "incoming", "outgoing",
                                                     "ioSpecification", "multiInstanceLoopCharacteristics",
                                                     "standardLoopCharacteristics"):
                proc.append(copy.deepcopy(child))
        laid = etree.fromstring(layout(etree.tostring(defs)))
        first, *nested = laid.findall(_q(BPMNDI, "BPMNDiagram"))
        participant = laid.find(f".//{_q(BPMN, 'participant')}").get("id")
        items = [el for el in first.find(_q(BPMNDI, "BPMNPlane")) if el.get("bpmnElement") != participant]
        bounds = [b for el in items for b in el.iter(_q(DC, "Bounds"))]
        if not bounds:
            continue
        dx = ORIGIN[0] - min(float(b.get("x")) for b in bounds)
        dy = ORIGIN[1] - min(float(b.get("y")) for b in bounds)
        diagram = etree.SubElement(root, _q(BPMNDI, "BPMNDiagram"))
        diagram.set("id", "BPMNDiagram_" + sub.get("id"))
        plane = etree.SubElement(diagram, _q(BPMNDI, "BPMNPlane"))
        plane.set("id", "BPMNPlane_" + sub.get("id"))
        plane.set("bpmnElement", sub.get("id"))
        for el in items:
            for point in [*el.iter(_q(DC, "Bounds")), *el.iter(_q(DI, "waypoint"))]:
                point.set("x", str(int(float(point.get("x")) + dx)))
                point.set("y", str(int(float(point.get("y")) + dy)))
            plane.append(el)
        for extra in nested:
            root.append(extra)


def layout_file(path: str) -> None:
    """Rewrite a .bpmn file in place with generated DI."""
    with open(path, "rb") as fh:
        data = fh.read()
    out = layout(data)
    with open(path, "wb") as fh:
        fh.write(out)


if __name__ == "__main__":   # python -m engine.bpmn_layout FILE.bpmn ...
    import sys

    for arg in sys.argv[1:]:
        layout_file(arg)
        print("laid out", arg)
