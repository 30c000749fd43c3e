"""The network picture as a TikZ drawing, for the LaTeX export: the same layout and the same labels
as on screen, with lines instead of box-drawing characters.

Each cell of the text picture becomes a point of a grid (one column is one character of the small
typewriter font the labels are set in, so labels stay where the screen has them). A weight's line
is dashed when it is negative and thicker the larger it is; trunks and bars are thin. A label is
set on a white ground over its line, as the text picture interrupts the line with it.
"""

from __future__ import annotations

from .picture import PictureState, lit, on_paper, slot_text, start_state
from .picture_render import sizes
from .picture_shape import E, S, Geometry

WIDTH_PT = {"strong": 1.4, "": 0.9, "weak": 0.5}  # a weight's lane, by its size
THIN_PT = 0.4  # trunks, bars, leads and the outputs' lines into the error


def tex_text(text: str) -> str:
    """A label for TeX: names are letters, digits and _; values digits, ., -, e and +."""
    return text.replace("\\", r"\textbackslash{}").replace("_", r"\_").replace("#", r"\#").replace(
        "%", r"\%").replace("&", r"\&").replace("$", r"\$").replace("{", r"\{").replace("}", r"\}")


def paper_tikz(scenario, params) -> str:
    """The network with `params` (engine Params) before a round, as a tikzpicture."""
    return tikz(on_paper(scenario), start_state(scenario, params))


def tikz(geo: Geometry, state: PictureState) -> str:
    """A tikzpicture of the network (needs \\usepackage{tikz})."""
    size = sizes(geo, state.params)
    runs: dict[tuple[float, bool], list] = {}

    def style(a, b) -> tuple[float, bool]:
        """(line width in pt, dashed) of the unit segment from cell a to cell b: a weight's own
        lane shows its sign and size, every other line is thin."""
        lane = geo.lanes.get(a)
        if lane is None or geo.lanes.get(b, lane) != lane:
            return THIN_PT, False
        param = geo.edges[lane].param
        return WIDTH_PT[size.get(param, "")], state.params.get(param, 0.0) < 0

    for (r, c), arms in sorted(geo.arms.items()):
        if arms[E]:
            runs.setdefault(style((r, c), (r, c + 1)), []).append(((c, r), (c + 1, r)))
        if arms[S]:
            runs.setdefault(style((r, c), (r + 1, c)), []).append(((c, r), (c, r + 1)))
    out = [r"\begin{center}",
           r"\begin{tikzpicture}[x=1.3mm, y=-3.4mm, line cap=round, line join=round,"
           r" font=\ttfamily\fontsize{7}{8}\selectfont]"]
    for (width, dashed), segments in sorted(runs.items()):
        options = f"line width={width}pt" + (", dashed" if dashed else "")
        path = " ".join(f"({a[0]},{a[1]}) -- ({b[0]},{b[1]})" for a, b in _merged(segments))
        out.append(rf"\draw[{options}] {path};")
    nothing = lit(geo, None)
    for slot in geo.slots:
        text = "".join(part for part, _tags in slot_text(slot, "", frozenset(), state, nothing)).strip()
        if text:
            ground = ", fill=white" if slot.edge else ""
            out.append(rf"\node[anchor=west, inner sep=0.4pt{ground}] at ({slot.col - 0.5},{slot.row}) "
                       rf"{{{tex_text(text)}}};")
    out += [r"\end{tikzpicture}", r"\end{center}"]
    return "\n".join(out)


def _merged(segments: list) -> list:
    """Unit segments joined into the longest straight runs (fewer, longer TikZ paths)."""
    horizontal = sorted((a, b) for a, b in segments if a[1] == b[1])
    vertical = sorted(((a, b) for a, b in segments if a[0] == b[0]), key=lambda s: (s[0][0], s[0][1]))
    merged = []
    for group in (horizontal, vertical):
        for a, b in group:
            if merged and merged[-1][1] == a and (merged[-1][0][1] == b[1] or merged[-1][0][0] == b[0]):
                merged[-1] = (merged[-1][0], b)
            else:
                merged.append((a, b))
    return merged
