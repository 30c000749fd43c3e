"""How the app draws the semantic tags of styled lines (bp_tui/views/styled.py) as Rich styles.

A view built as styled lines (the network picture, a chart) says what each span *is*; this table says
how that looks in the app. Every highlight that carries meaning is reverse video or bold, so it
survives NO_COLOR (Textual turns colours to greys there); colours only add to it.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from ...views.styled import Line

# Later tags in this order win where they set the same attribute.
TAG_STYLES = {
    "dim": Style(dim=True), "axis": Style(dim=True), "weak": Style(dim=True),
    "title": Style(bold=True), "strong": Style(bold=True),
    "pos": Style(color="blue"), "neg": Style(color="red"),
    "series1": Style(color="cyan"), "series2": Style(color="magenta"),
    "pending": Style(color="yellow", italic=True), "updated": Style(color="green"),
    "ok": Style(color="green", bold=True), "bad": Style(color="red", bold=True, reverse=True),
    "shade1": Style(color="blue"), "shade2": Style(color="cyan"), "shade3": Style(color="yellow"),
    "shade4": Style(color="red"),
    # hot (the current sub-step's path) is bold colour, not reverse video: reverse video would turn a
    # lit line into a solid bar and hide its heavy glyphs (━ ┃ ▶), which carry the highlight without
    # colour. focus (the one value or name the sub-step is about) is reverse video. Cyan, because
    # Textual's dark ANSI palette (Monokai) draws magenta as red, the colour of a negative weight.
    "hot": Style(color="cyan", bold=True), "focus": Style(reverse=True, bold=True),
    # selected (what the learner pointed at) is underlined reverse video, and ▸ ◂ mark it in the text.
    "selected": Style(reverse=True, underline=True),
}

_STYLES: dict[frozenset[str], Style] = {}


def tag_style(tags: frozenset[str]) -> Style:
    """The Rich style of a span with these tags (unknown tags are ignored)."""
    style = _STYLES.get(tags)
    if style is None:
        style = Style.combine(TAG_STYLES[tag] for tag in TAG_STYLES if tag in tags)
        _STYLES[tags] = style
    return style


def styled_text(line: Line) -> Text:
    """A styled line as one Rich Text that does not wrap (a picture is drawn to fit its width)."""
    text = Text(no_wrap=True, overflow="crop")
    for span in line:
        text.append(span.text, tag_style(span.tags) if span.tags else None)
    return text
