"""Styled lines: text with semantic style tags, the one format every text picture is built in.

A picture is a list of lines; a line is a tuple of spans; a span is text with a set of tags that say
what it *is* (the current sub-step's path, a positive weight, an axis), never what colour it has.
Each surface decides how a tag looks: the app maps tags to Rich styles (and, under NO_COLOR, to bold
and reverse video), `ansi` below to terminal escapes, `plain` to nothing at all. So a picture must
stay readable in plain text: signs, arrows and line shapes carry the meaning, tags only stress it.

Tags in use (a surface ignores tags it does not know):
    hot       part of what the current sub-step computes or reads
    focus     the quantity the current sub-step computes
    pos, neg  the sign of a weight or value
    strong    large in size (a weight's magnitude near the largest of its layer)
    weak      small in size
    dim       not computed yet, or context
    pending   computed this round but not yet applied (a new weight before the update)
    updated   a value that has been replaced this round
    ok, bad   agrees / disagrees with an expected figure
    title     a heading
    selected  what the learner selected to read its story (drawn with ▸ ◂ around it too)
    axis      a chart's axes and their labels
    series1, series2   the first and second curve of a chart
    shade1 .. shade4   a value's level on a four-step scale (boundary pictures)
"""

from __future__ import annotations

from typing import Iterable, NamedTuple


class Span(NamedTuple):
    text: str
    tags: frozenset[str] = frozenset()


Line = tuple[Span, ...]


def span(text: str, *tags: str) -> Span:
    return Span(text, frozenset(tags))


def width(line: Line) -> int:
    """Cells a line takes (the pictures use characters one cell wide only)."""
    return sum(len(s.text) for s in line)


def plain(lines: Iterable[Line]) -> str:
    """The picture as plain text, trailing blanks removed from each line."""
    return "\n".join("".join(s.text for s in line).rstrip() for line in lines)


# SGR codes for `ansi`; later tags in this order win where they set the same thing.
ANSI_CODES = {
    "dim": "2", "title": "1", "axis": "2", "weak": "2", "strong": "1",
    "pos": "34", "neg": "31", "series1": "36", "series2": "35",
    "pending": "33", "updated": "32", "ok": "32", "bad": "31",
    "shade1": "34", "shade2": "36", "shade3": "33", "shade4": "31",
    "hot": "1;35", "focus": "1;7", "selected": "4;7",
}
# hot is bold colour, not reverse video: on a line drawing reverse video turns a lit line into a
# solid block and hides the heavy line that marks it; focus (one value) keeps reverse video.


def ansi(lines: Iterable[Line]) -> str:
    """The picture with ANSI colours and reverse video for a terminal (trailing blanks removed)."""
    out = []
    for line in lines:
        parts = []
        for s in line:
            codes = [ANSI_CODES[t] for t in ANSI_CODES if t in s.tags]
            parts.append(f"\x1b[{';'.join(codes)}m{s.text}\x1b[0m" if codes and s.text else s.text)
        out.append("".join(parts).rstrip())
    return "\n".join(out)
