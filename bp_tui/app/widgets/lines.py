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

import asyncio

from rich.cells import cell_len
from rich.color import Color as RichColor
from rich.segment import Segment
from rich.text import Text
from textual.content import Content, _FormattedLine
from textual._segment_tools import line_pad
from textual.geometry import Region, Size
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip
from textual.widget import Widget

CACHE_LIMIT = 4096  # distinct lines kept per panel (a few rounds' worth); then the cache starts over
FRAMED_LIMIT = 4096  # framed rows kept per panel, likewise
AHEAD_DELAY = 0.02  # seconds after a frame is shown before the next one is drawn ahead


def line_key(y: int, line: Text) -> tuple:
    """What decides how a line is drawn: its row in the text (the mouse offsets say it), its
    characters, its spans and its own style."""
    return y, line.plain, tuple(line.spans), str(line.style)


def changed_span(before: Strip, after: Strip) -> tuple[int, int] | None:
    """The columns [start, end) where two rows of a panel differ, None where they do not. Only
    those are sent to the terminal: at 160 columns a sub-step changes a few words of each row."""
    old, new = list(before), list(after)
    same = 0
    while same < len(old) and same < len(new) and old[same] == new[same]:
        same += 1
    if same == len(old) == len(new):
        return None
    start = sum(cell_len(segment.text) for segment in old[:same])
    end = max(before.cell_length, after.cell_length)
    tail = 0  # equal segments at the end
    while tail < len(old) - same and tail < len(new) - same and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    end -= sum(cell_len(segment.text) for segment in old[len(old) - tail:]) if tail else 0
    if _blank_style(old) == _blank_style(new):
        # Blank padding in the same style on both rows is the same, whatever its segments' lengths.
        end = min(end, max(before.cell_length - _blank_end(old), after.cell_length - _blank_end(new)))
    return (start, end) if end > start else None


def _blank_end(segments: list[Segment]) -> int:
    """Cells of blank padding at the end of a row (spaces in the last segment's style)."""
    style, cells = _blank_style(segments), 0
    for segment in reversed(segments):
        if segment.style != style or segment.control or segment.text.strip(" "):
            break
        cells += cell_len(segment.text)
    return cells


def _blank_style(segments: list[Segment]):
    return segments[-1].style if segments else None


class FramedRows:
    """For a Line API widget: keep each row as Textual framed it (padding, border, background, filters).

    Textual frames the rows of a refreshed widget again, and a scrolled one is refreshed whole. But a
    content row is framed the same whenever its content is the same strip object, and the widgets
    here hand out the same strip for the same content, so the framed row is kept, keyed by that strip:
    a scrolled panel costs lookups, and only rows with new content are framed again. Everything else
    that framing depends on (sizes, colours, filters, the border title) keys the whole cache.

    A content row of a panel with no side borders, outline, tint, hatch or transparency is framed here
    the way Textual's StylesCache.render_line frames it (case C: content, then padding, then the
    line filters); anything else, and every border row, is framed by Textual itself.
    """

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False):
        """A repaint goes straight to the screen's list of dirty widgets.

        Textual's refresh has the widget wake on its next idle only to post an Update message to the
        screen: with four panels changing on every key those wake-ups cost more than the drawing.
        Anything else (a layout, a widget not on the current screen) takes Textual's own path.
        """
        if layout or recompose or not repaint or not self._is_mounted or self._layout_required:
            return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
        try:
            screen = self.screen
        except Exception:  # (NoScreen) not on a screen yet
            return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
        if screen is not self.app.screen or not self.display or screen._layout_required:
            # (During a layout the screen forgets its dirty widgets once the layout is done: a
            # repaint asked for meanwhile must take Textual's path, which asks again afterwards.)
            return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
        # What Widget.refresh and then Widget._check_refresh and Screen._on_update do for a repaint.
        self._layout_cache.clear()
        self._set_dirty(*regions)
        self.clear_cached_dimensions()
        self._rich_style_cache.clear()
        screen._dirty_widgets.add(self)
        screen.check_idle()
        return self

    def _framing_key(self, size: Size) -> tuple:
        # Colours, padding, borders and opacity come from the styles of the widget and its ancestors:
        # Textual counts every change to a widget's styles (its visual_style cache does the same).
        styles = tuple(node.styles._cache_key for node in self.ancestors_with_self)
        return (self.outer_size, size, styles, tuple(self.get_line_filters()), self._border_title,
                self._border_subtitle)

    def _framing(self, size: Size | None = None) -> dict:
        """The kept rows, emptied when anything but the content changes."""
        framed = self.__dict__.setdefault("_framed", {})
        key = self._framing_key(self.size if size is None else size)
        if framed.get("key") != key or len(framed) > FRAMED_LIMIT:
            framed.clear()
            framed["key"] = key
            framed["direct"] = self._direct_framing()
        return framed

    def _direct_framing(self) -> tuple | None:
        """What framing a content row here takes, or None when it needs Textual (see the class)."""
        styles = self.styles
        if (styles.border.left[0] or styles.border.right[0] or any(edge for edge, _color in styles.outline)
                or styles.tint.a or self.opacity != 1 or styles.text_opacity != 1
                or (styles.has_rule("hatch") and styles.hatch != "none")):
            return None
        base_background, background = self.background_colors
        inner, _outer = self._styles_cache.get_inner_outer(base_background, background)
        _top, pad_right, _bottom, pad_left = styles.padding
        return (inner.rich_style, pad_left, pad_right, self.size.width, self.outer_size.width, background,
                tuple(self.get_line_filters()))

    def framed_row(self, content: Strip, framed: dict | None = None) -> Strip | None:
        """The row for `content` as Textual would frame it, kept; None if Textual must do it."""
        framed = self._framing() if framed is None else framed
        found = framed.get(id(content))
        if found is not None and found[0] is content:
            return found[1]
        direct = framed["direct"]
        if direct is None:
            return None
        inner, pad_left, pad_right, content_width, width, background, filters = direct
        line = content.adjust_cell_length(content_width, inner)
        if pad_left or pad_right:
            line = line_pad(line, pad_left, pad_right, inner)
        row = Strip(line, width)
        for line_filter in filters:
            row = row.apply_filter(line_filter, background)
        framed[id(content)] = (content, row)
        return row

    def content_rows(self, first: int, count: int, width: int) -> list[Strip]:
        """Content rows first .. first + count - 1 of a panel `width` wide (what render_line gives;
        a panel may do it faster)."""
        return [self.render_line(y) for y in range(first, first + count)]

    def render_lines(self, crop: Region) -> list[Strip]:
        if self.screen.selections.get(self) is not None or self.hover_style._link_id:
            return super().render_lines(crop)  # (text selected here: Textual draws it)
        size = self.size
        framed = self._framing(size)
        top = self.styles.gutter.top
        height = size.height
        width = self.outer_size.width
        first, last = max(crop.y, top), min(crop.bottom, top + height)
        contents = self.content_rows(first - top, last - first, size.width) if last > first else []
        rows: list[Strip | None] = []
        missing: list[int] = []
        for y in crop.line_range:
            if first <= y < last:
                row = self.framed_row(contents[y - first], framed)
            else:
                found = framed.get(("edge", y))  # a border or padding row: the same until the key changes
                row = None if found is None else found[1]
            rows.append(row)
            if row is None:
                missing.append(y)
        while missing:  # what Textual frames, a run of consecutive rows at a time
            start = end = missing.pop(0)
            while missing and missing[0] == end + 1:
                end = missing.pop(0)
            run = Region(0, start, width, end - start + 1)
            for y, row in zip(run.line_range, super().render_lines(run)):
                if 0 <= y - top < height:
                    content = self.render_line(y - top)
                    framed[id(content)] = (content, row)
                else:
                    framed[("edge", y)] = (None, row)
                rows[y - crop.y] = row
        x1, x2 = crop.column_span
        if (x1, x2) != (0, width):
            rows = [row.crop(x1, x2) for row in rows]
        return rows


class FramedScrollBar(FramedRows, ScrollBar):
    """A scrollbar whose rows are framed as FramedRows frames them (it moves on most steps).

    Its rows are the segments of Textual's own ScrollBarRender.render_bar, styled as Textual styles
    them (the widget's style under the bar's, in _Styled), one strip object per distinct segment, so
    that a moved thumb frames only the rows it changes.
    """

    def content_rows(self, first: int, count: int, width: int) -> list[Strip]:
        renderable = self.render()
        if not self.vertical or not isinstance(renderable, ScrollBarRender):
            return super().content_rows(first, count, width)
        width, height = self.size
        base = self.visual_style.rich_style
        key = (renderable.virtual_size, renderable.window_size, renderable.position, renderable.style,
               width, height, base)
        bar = self.__dict__.setdefault("_bar", {})
        if bar.get("key") != key:
            style = self.app.console.get_style(renderable.style)
            segments = renderable.render_bar(
                size=height, window_size=renderable.window_size, virtual_size=renderable.virtual_size,
                position=renderable.position, vertical=True, thickness=width,
                back_color=style.bgcolor or RichColor.parse("#555555"),
                bar_color=style.color or RichColor.parse("bright_magenta")).segments
            strips = bar.setdefault("strips", {})
            rows = []
            for segment in segments:
                styled = Segment(segment.text, base + segment.style, None) if base else segment
                found = strips.get(styled)
                if found is None:
                    found = strips[styled] = Strip([styled])
                rows.append(found)
            bar["key"], bar["rows"] = key, rows
        return bar["rows"][first:first + count]


class QuickScrollBars:
    """For a scrolling panel: its vertical scrollbar is a FramedScrollBar (Textual's own code for
    making the scrollbar, with that class)."""

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        if self._vertical_scrollbar is None:
            self._vertical_scrollbar = scroll_bar = FramedScrollBar(
                vertical=True, name="vertical", thickness=self.scrollbar_size_vertical)
            scroll_bar.display = False
            self.app._start_widget(self, scroll_bar)
        return self._vertical_scrollbar


def _has_meta(line: Text) -> bool:
    """Whether any style in the line carries meta data (links and actions do; plain styles do not)."""
    styles = [line.style, *(span.style for span in line.spans)]
    return any(not isinstance(style, str) and style._meta for style in styles)


class DrawsAhead:
    """For a panel bound to the app's frame: once a frame is on screen, draw the likely next one
    (Frame.predicted) into the panel's caches, so that the key that shows it costs lookups."""

    _ahead = None  # the pending call that will draw ahead

    def draw_ahead(self, frame) -> None:
        """Called with each new frame. After a short delay rather than right after the refresh: the
        terminal's writer thread needs the interpreter to send the frame out, and drawing ahead at
        once would hold it for milliseconds. (A plain event-loop call: a Textual timer per panel and
        key costs more than the drawing it delays.)"""
        if self._ahead is not None:
            self._ahead.cancel()
        if not getattr(self.app, "first_frame_drawn", True):
            return  # (the app asks again once its first frame is out: that frame must not wait for this)
        self._ahead = asyncio.get_running_loop().call_later(AHEAD_DELAY, self._draw_ahead, frame)

    def _draw_ahead(self, frame) -> None:
        self._ahead = None
        # (is_attached, not is_mounted: an app that has just closed leaves its panels mounted but
        # off any screen, and the call may come due after that.)
        if frame is self.frame and self.is_attached and self.text_selection is None:
            ahead = frame.predicted()
            if ahead is not None:
                self.warm_frame(ahead)

    def warm_frame(self, frame) -> None:
        """Make (and frame) the rows `frame` would show."""
        raise NotImplementedError


class LinePanel(DrawsAhead, FramedRows, Widget):
    """A panel showing the app's frame as lines of text.

    A subclass says what it shows for a frame (`state_for`, a value compared to skip redrawing) and
    how that is written at a width (`lines_of`); the app hands it each frame (`update_frame`). The
    frame most likely next is drawn ahead (a plan: its state and strips), so the key that shows it
    only swaps strips and refreshes the rows that differ (lines shared with the last frame are kept).
    """

    frame = None  # the app's frame, as last handed over

    def update_frame(self, frame) -> None:
        self.frame = frame
        if frame is not None:
            self.show_frame(frame)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._state = None  # what the panel shows (see state_for)
        self._plan: tuple | None = None  # drawn ahead: (frame, width, _cache_for, state, strips)
        self._strips: list[Strip] | None = None  # the rows drawn at _strips_width
        self._strips_width = -1
        self._cache: dict[tuple, list[Strip]] = {}
        self._cache_for: tuple | None = None  # (width, style) the cached strips were made for
        self._blank: tuple | None = None  # ((width, style), the blank row below a short text)

    def state_for(self, frame):
        raise NotImplementedError

    def lines_of(self, state, width: int) -> list[Text]:
        raise NotImplementedError

    def lines(self, width: int) -> list[Text]:
        return self.lines_of(self._state, width)

    def show_frame(self, frame) -> None:
        """Show `frame`: from the plan if it was drawn ahead, else drawn now."""
        plan, self._plan = self._plan, None
        width = self.size.width
        if plan is not None and plan[0] == frame and plan[1] == width and plan[2] == self._cache_for:
            state, strips = plan[3], plan[4]
        else:
            state, strips = self.state_for(frame), None
        if state != self._state:
            self._state = state
            self.redraw(strips)
        self.draw_ahead(frame)

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

    def redraw(self, strips: list[Strip] | None = None) -> None:
        """Show what `lines` returns now (made already: `strips`): refresh the rows that changed, or
        lay out if the height did."""
        width = self.size.width
        before = self._strips if width == self._strips_width else None
        self._strips = None
        if not self.is_mounted or not width or before is None:
            self.refresh(layout=True)
            return
        if strips is not None:
            self._strips = strips
        after = self.strips(width)
        if self.needs_layout(len(after)):  # against the height the panel has now (a layout may be pending)
            self.refresh(layout=True)
            return
        changed = []
        for y in range(max(len(before), len(after))):
            if y >= len(before) or y >= len(after):
                changed.append(Region(0, y, width, 1))
            elif before[y] is not after[y]:
                span = changed_span(before[y], after[y])
                if span is not None:
                    changed.append(Region(span[0], y, span[1] - span[0], 1))
        if changed:
            self.refresh(*changed)

    def warm_frame(self, frame) -> None:
        """Draw `frame` ahead: its state, its strips, their framed rows; kept as the plan."""
        width = self.size.width
        if width <= 0:
            return
        state = self.state_for(frame)
        strips = [strip for y, line in enumerate(self.lines_of(state, width))
                  for strip in self.line_strips(y, line, width)]
        framed = self._framing()
        for strip in strips:
            self.framed_row(strip, framed)
        self._plan = (frame, width, self._cache_for, state, strips)

    def needs_layout(self, rows: int) -> bool:
        """Whether `rows` rows of text need a new layout: when the panel is not that tall now."""
        return rows != self.size.height

    # --- Textual's hooks -----------------------------------------------------------------------

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.strips(width)) if width > 0 else 0

    def render_line(self, y: int) -> Strip:
        if self.text_selection is not None:
            return super().render_line(y)  # draw the selection the Textual way
        return self.content_rows(y, 1, self.size.width)[0]

    def content_rows(self, first: int, count: int, width: int) -> list[Strip]:
        strips = self.strips(width)
        rows = strips[first:first + count]
        if len(rows) < count:  # below the text: blank, as Textual draws a shorter text
            style = self.visual_style.rich_style
            if self._blank is None or self._blank[0] != (width, style):
                self._blank = ((width, style), Strip.blank(width, style))  # one object: its framed row is kept
            rows += [self._blank[1]] * (count - len(rows))
        return rows

    def render(self) -> Text:
        """The whole text, for selecting with the mouse (and copying)."""
        return Text("\n").join(self.lines(self.size.width))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips = None
