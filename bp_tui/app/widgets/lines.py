"""Panels drawn line by line, repainting only the lines that changed.

Textual repaints a widget whole: refresh it and every line of its text is turned into segments again,
then copied to the screen. On a key press four panels change, but only by a few lines each (a value
appears, the highlight moves). A LinePanel keeps each line of its text as strips, made once per
distinct line and width and then reused, and after a change it refreshes only the rows whose strips
differ. It asks for a new layout only when its number of rows changes.

Each line becomes strips exactly as Textual draws a line of a whole text (the same Content, wrapping,
styles and the offsets the mouse uses to select text), so the screen looks the same either way. While
text is selected the panel draws the Textual way, so the selection shows.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content, _FormattedLine
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

CACHE_LIMIT = 4096  # distinct lines kept per panel (a few rounds' worth); then the cache starts over
FRAMED_LIMIT = 4096  # framed rows kept per panel, likewise


def line_key(y: int, line: Text) -> tuple:
    """What decides how a line is drawn: its row in the text (the mouse offsets say it), its
    characters, its spans and its own style."""
    return y, line.plain, tuple(line.spans), str(line.style)


class FramedRows:
    """For a Line API widget: keep each row as Textual framed it (padding, border, background, filters).

    Textual frames the rows of a refreshed widget again, and a scrolled one is refreshed whole. But a
    content row is framed the same whenever its content is the same strip object, and the widgets
    here hand out the same strip for the same content, so the framed row is kept, keyed by that strip:
    a scrolled panel costs lookups, and only rows with new content are framed again. Everything else
    that framing depends on (sizes, colours, filters, the border title) keys the whole cache.
    """

    def _framing_key(self) -> tuple:
        return (self.outer_size, self.size, self.background_colors, self.visual_style, self.opacity,
                tuple(self.get_line_filters()), self._border_title, self._border_subtitle)

    def render_lines(self, crop: Region) -> list[Strip]:
        if self.text_selection is not None or self.hover_style._link_id:
            return super().render_lines(crop)
        framed = self.__dict__.setdefault("_framed", {})
        key = self._framing_key()
        if framed.get("key") != key or len(framed) > FRAMED_LIMIT:
            framed.clear()
            framed["key"] = key
        top = self.styles.gutter.top
        height = self.size.height
        width = self.outer_size.width

        def row_key(y: int) -> tuple:
            """(what the framed row is kept under, what it was made from)"""
            if 0 <= y - top < height:
                content = self.render_line(y - top)
                return id(content), content
            return ("edge", y), None  # a border or padding row: the same until the key above changes

        rows: list[Strip | None] = []
        missing: list[int] = []
        for y in crop.line_range:
            kept, content = row_key(y)
            found = framed.get(kept)
            if found is None or found[0] is not content:
                missing.append(y)
                rows.append(None)
            else:
                rows.append(found[1])
        while missing:  # frame the rows not kept, a run of consecutive rows at a time
            start = end = missing.pop(0)
            while missing and missing[0] == end + 1:
                end = missing.pop(0)
            run = Region(0, start, width, end - start + 1)
            for y, row in zip(run.line_range, super().render_lines(run)):
                kept, content = row_key(y)
                framed[kept] = (content, row)
                rows[y - crop.y] = row
        x1, x2 = crop.column_span
        if (x1, x2) != (0, width):
            rows = [row.crop(x1, x2) for row in rows]
        return rows


def _has_meta(line: Text) -> bool:
    """Whether any style in the line carries meta data (links and actions do; plain styles do not)."""
    styles = [line.style, *(span.style for span in line.spans)]
    return any(not isinstance(style, str) and style._meta for style in styles)


class LinePanel(FramedRows, Widget):
    """A widget whose content is the list of lines returned by `lines(width)`.

    Subclasses call `redraw()` whenever what `lines` returns may have changed.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._strips: list[Strip] | None = None  # the rows drawn at _strips_width
        self._strips_width = -1
        self._cache: dict[tuple, list[Strip]] = {}
        self._cache_for: tuple | None = None  # (width, style) the cached strips were made for

    def lines(self, width: int) -> list[Text]:
        raise NotImplementedError

    # --- drawing -----------------------------------------------------------------------------

    def line_strips(self, y: int, line: Text, width: int) -> list[Strip]:
        """Line y of the text as the rows Textual would draw for it (more than one if it wraps).

        This is Textual's own Content.render_strips for one line of a whole text (Textual 8.2).
        """
        style = self.visual_style
        if self._cache_for != (width, style):
            self._cache_for = (width, style)
            self._cache.clear()
        key = line_key(y, line)
        strips = self._cache.get(key)
        if strips is None:
            if len(self._cache) >= CACHE_LIMIT:
                self._cache.clear()
            strips = self._cache[key] = self._draw_line(y, line, width, style)
        return strips

    def _draw_line(self, y: int, line: Text, width: int, style) -> list[Strip]:
        rules = self.styles
        get_rule = rules.get_rule
        content = Content.from_rich_text(line, console=self.app.console)
        align = get_rule("text_align", "left")
        no_wrap = get_rule("text_wrap", "wrap") == "nowrap"
        line_pad = get_rule("line_pad", 0)
        if content.cell_length <= width and not line_pad and "\t" not in content.plain:
            # A line that fits: what _wrap_and_format makes of it, without looking for breaks.
            formatted = [_FormattedLine(self._get_style, content, width, 0, y, align=align, line_end=not no_wrap)]
        else:
            formatted = content._wrap_and_format(
                width, align=align, overflow=get_rule("text_overflow", "fold"), no_wrap=no_wrap,
                line_pad=line_pad, get_style=self._get_style)
            for row in formatted:
                row.y = y  # the row of this line in the whole text, as the mouse offsets count it
        strips = [Strip(*row.to_strip(style)) for row in formatted]
        if self.auto_links and _has_meta(line) and not self.is_container and not self.screen._selecting:
            strips = [strip._apply_link_style(self.link_style) for strip in strips]
        return strips

    def strips(self, width: int) -> list[Strip]:
        if width <= 0:
            return []  # (as Textual draws no rows at no width)
        if self._strips is None or width != self._strips_width or self._cache_for != (width, self.visual_style):
            self._strips = [strip for y, line in enumerate(self.lines(width))
                            for strip in self.line_strips(y, line, width)]
            self._strips_width = width
        return self._strips

    def redraw(self) -> None:
        """Show what `lines` returns now: refresh the rows that changed, or lay out if the height did."""
        width = self.size.width
        before = self._strips if width == self._strips_width else None
        self._strips = None
        if not self.is_mounted or not width or before is None:
            self.refresh(layout=True)
            return
        after = self.strips(width)
        if self.needs_layout(len(after)):  # against the height the panel has now (a layout may be pending)
            self.refresh(layout=True)
            return
        rows = range(max(len(before), len(after)))
        changed = [Region(0, y, width, 1) for y in rows
                   if y >= len(before) or y >= len(after) or before[y] is not after[y]]
        if changed:
            self.refresh(*changed)

    def needs_layout(self, rows: int) -> bool:
        """Whether `rows` rows of text need a new layout: when the panel is not that tall now."""
        return rows != self.size.height

    # --- Textual's hooks -----------------------------------------------------------------------

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.strips(width)) if width > 0 else 0

    def render_line(self, y: int) -> Strip:
        if self.text_selection is not None:
            return super().render_line(y)  # draw the selection the Textual way
        strips = self.strips(self.size.width)
        return strips[y] if y < len(strips) else Strip.blank(self.size.width, self.visual_style.rich_style)

    def render(self) -> Text:
        """The whole text, for selecting with the mouse (and copying)."""
        return Text("\n").join(self.lines(self.size.width))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips = None
