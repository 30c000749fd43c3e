"""A panel of text lines drawn with Textual's Line API: the base of the network, step and quantities
panels, and of any new view of the current sub-step.

A subclass says what it shows for a frame: `lines_for(frame, width)` returns rich Text lines, or
styled lines (bp_tui/views/styled.py), never markup: formulas and scenario text hold brackets. The
panel wraps and renders each distinct line once per width into rows (Strips) and keeps them, so a key
that changes a few lines renders only those. After a change it compares the new rows with those on
screen and refreshes only the ones that differ (`refresh_lines`): Textual repaints just those rows.

The panel takes its frame from the screen's reactive `frame` through `data_bind`: setting the screen's
frame sets every panel's, and `watch_frame` redraws. While the learner reads, the screen hands each
panel the likely next frame to `prepare`, so that the key which shows it finds its rows made.

When there are more rows than the panel is high, it scrolls (a ScrollView, and the mouse wheel) and
keeps the rows a subclass names (`rows_to_keep_in_view`) on screen, with as many rows above them as
fit. Its scrollbar is a column of its own rows, drawn with them. Textual's scrollbar is a widget of its
own: repainting it whenever the panel scrolls (the quantities panel scrolls on most keys) and laying
the screen out again whenever it comes or goes would cost a key press more than all its drawing.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from ...views.styled import Line
from ..frame import Frame
from .styles import styled_text

WHEEL_ROWS = 3  # rows one turn of the mouse wheel scrolls
CACHE_LIMIT = 4096  # distinct (line, width) pairs kept per panel; then the cache starts over
THUMB = "▐"  # the scrollbar's thumb (a glyph, so that it shows without colour too)


def changed_columns(before: Strip, after: Strip) -> tuple[int, int] | None:
    """The columns [start, end) where two rows differ, None where they do not."""
    old, new = list(before), list(after)
    same = 0
    while same < len(old) and same < len(new) and old[same] == new[same]:
        same += 1
    if same == len(old) == len(new):
        return None
    tail = 0  # equal segments at the end
    while tail < len(old) - same and tail < len(new) - same and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    start = sum(cell_len(segment.text) for segment in old[:same])
    end = max(before.cell_length, after.cell_length) - sum(cell_len(segment.text) for segment in old[len(old) - tail:])
    return (start, end) if end > start else None


class LinePanel(ScrollView, can_focus=False):
    DEFAULT_CSS = """
    LinePanel {
        overflow: hidden hidden;  /* (the panel scrolls itself: see set_scroll_height) */
        padding: 0 0 0 1;
    }
    """

    frame: var[Frame | None] = var(None)  # bound to the screen's frame (see StepperScreen.compose)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._rows: list[Strip] | None = None  # what lines_for gives now, as rows; None: to be made
        self._rows_width = 0
        self._strips: dict[tuple, list[Strip]] = {}  # the rows of each distinct line at a width
        self._blank: Strip | None = None
        self._base: Style | None = None  # the panel's own colours, under every row (see base_style)
        self._bar: tuple[int, int, int] = (0, 0, 0)  # (first, last + 1, rows) of the thumb on screen
        self._width: int | None = None  # see content_width
        self._ahead: tuple | None = None  # (frame, width, rows) drawn ahead (see prepare)
        self._bar_cells: tuple[Strip, Strip] | None = None  # the scrollbar's cell off and on
        self._joined: dict[tuple[int, bool], tuple[Strip, Strip]] = {}  # rows with their cell (render_line)

    # --- for subclasses ------------------------------------------------------------------------

    def lines_for(self, frame: Frame | None, width: int) -> list[Text | Line]:
        """The panel's text for `frame` at a content width of `width` cells (wrapped by the panel)."""
        raise NotImplementedError

    def rows_to_keep_in_view(self) -> tuple[int, int] | None:
        """(first row, count) that must be on screen after a redraw, or None to leave the scrolling."""
        return None

    def prepare(self, frame: Frame) -> None:
        """Draw `frame` ahead into the caches (the screen calls this with the likely next frame while
        the learner reads this one), so that showing it costs lookups."""
        width = self.content_width
        if width > 0:
            rows = [row for line in self.lines_for(frame, width) for row in self.wrapped(line, width)]
            self._ahead = (frame, width, rows)

    def total_rows(self) -> int:
        """How many rows the text has (all of them scroll)."""
        return len(self.rows())

    def row_at(self, index: int) -> Strip:
        """Row `index` of the text (0 is the first, whatever the scrolling)."""
        rows = self.rows()
        return rows[index] if index < len(rows) else self.blank_row()

    # --- drawing -------------------------------------------------------------------------------

    @property
    def content_width(self) -> int:
        """The width of the text: the panel's, less the column of its scrollbar (kept until resized)."""
        if self._width is None:
            self._width = max(0, self.scrollable_content_region.width - 1)
        return self._width

    def rows(self) -> list[Strip]:
        """Every row of the panel's text at its width (made when first asked for after a change)."""
        width = self.content_width
        if self._rows is None or width != self._rows_width:
            ahead = self._ahead
            if ahead is not None and ahead[0] == self.frame and ahead[1] == width:
                self._rows = ahead[2]  # (drawn ahead: see prepare)
            else:
                lines = self.lines_for(self.frame, width) if width > 0 else []
                self._rows = [row for line in lines for row in self.wrapped(line, width)]
            self._rows_width, self._ahead = width, None
        return self._rows

    def wanted_height(self, width: int) -> int:
        """Rows the text takes at a content width of `width` (the screen sizes panels with it)."""
        if width == self.content_width:
            return self.total_rows()
        if width <= 0:
            return 0
        return sum(len(self.wrapped(line, width)) for line in self.lines_for(self.frame, width))

    def wrapped(self, line: Text | Line, width: int) -> list[Strip]:
        """One line of text as the rows it takes at `width` (more than one when it wraps)."""
        if isinstance(line, Text):
            text, key = line, (line.plain, tuple(line.spans), str(line.style), line.no_wrap, width)
        else:  # (a styled line is its own key: made into Text only when first rendered)
            text, key = None, (line, width)
        found = self._strips.get(key)
        if found is None:
            if len(self._strips) >= CACHE_LIMIT:
                self._strips.clear()
            found = self._strips[key] = self.render_text(styled_text(line) if text is None else text, width)
        return found

    @property
    def base_style(self) -> Style:
        """The panel's colours and text style, as Rich draws them (kept until the styles change)."""
        if self._base is None:
            self._base = self.rich_style
        return self._base

    def render_text(self, text: Text, width: int) -> list[Strip]:
        console = self.app.console
        base = self.base_style
        if text.no_wrap or cell_len(text.plain) <= width:
            parts = [text]
        else:
            parts = list(text.wrap(console, width))
        strips = []
        for part in parts:
            # (Rich leaves a text's own style to whoever prints it when it has no spans: under them here.)
            style = base + console.get_style(part.style) if part.style else base
            strip = Strip(list(part.render(console, end="")), part.cell_len)
            strips.append(strip.apply_style(style).crop_extend(0, width, base))
        return strips or [self.blank_row()]

    def blank_row(self) -> Strip:
        """A row below the text (one object, reused)."""
        if self._blank is None or self._blank.cell_length != self.content_width:
            self._blank = Strip.blank(self.content_width, self.base_style)
        return self._blank

    def redraw(self) -> None:
        """Show what lines_for gives now: refresh the rows that changed."""
        before = self._rows if self._rows_width == self.content_width else None
        self._rows = None
        if not self.is_mounted or self.content_width <= 0:
            return
        after = self.rows()
        if self.set_scroll_height(len(after)) or before is None:
            self.refresh()
        else:
            self.refresh_changed(before, after)
        keep = self.rows_to_keep_in_view()
        if keep is not None:
            self.keep_in_view(*keep)

    def redraw_all(self) -> None:
        """Redraw after a change to what lines_for gives for the same frame (rows drawn ahead are
        forgotten too)."""
        self._ahead = None
        self.redraw()

    def set_scroll_height(self, rows: int) -> bool:
        """Make `rows` rows of text scrollable; True when the scrollbar changed (and so every row).

        The virtual size is set without the reactive's layout of the screen (the costliest thing a
        key could do): the panel's size does not depend on it, and it has no scrollbar of Textual's
        to show or hide. Its width is nothing: the panel never scrolls sideways.
        """
        size = Size(0, rows)
        if size == self.virtual_size:
            return False
        self.set_reactive(Widget.virtual_size, size)
        if self.thumb() != self._bar:
            self.refresh()  # (the scrollbar is drawn with the rows)
            return True
        return False

    def refresh_changed(self, before: list[Strip], after: list[Strip]) -> None:
        """Refresh what differs between two versions of the text: on each row, only the columns that
        changed (a key changes a few words of a row, and only those are sent to the terminal)."""
        top, width = self.scroll_offset.y, self.content_width
        run: list[int] | None = None  # [first row, last row, first column, end column] of changed rows
        for y in range(max(len(before), len(after)) + 1):
            old = before[y] if y < len(before) else None
            new = after[y] if y < len(after) else None
            columns = None if old is new else (0, width) if old is None or new is None else changed_columns(old, new)
            if columns is not None and run is not None and y == run[1] + 1:
                run[1:] = [y, min(run[2], columns[0]), max(run[3], columns[1])]
                continue
            if run is not None:  # (one region for each run of rows that changed)
                self.refresh(Region(run[2], run[0] - top, run[3] - run[2], run[1] - run[0] + 1))
            run = None if columns is None else [y, y, *columns]

    def keep_in_view(self, first: int, count: int) -> None:
        """Scroll to show rows first .. first + count - 1 with as many rows above them as fit; the
        start of them when they do not all fit. The scroll depends on nothing else, so a place looks
        the same however the learner got there."""
        height = self.scrollable_content_region.height
        top = first if count >= height else first + count - height
        top = max(0, min(top, self.total_rows() - height))
        if top != self.scroll_offset.y:
            self.scroll_to(y=top, animate=False, force=True)  # (forced: scrolling may start only now)

    # --- the scrollbar -----------------------------------------------------------------------------

    def thumb(self) -> tuple[int, int, int]:
        """(first, last + 1) rows of the scrollbar's thumb on screen, and the panel's height; (0, 0, h)
        when everything fits."""
        height, total, top = self.scrollable_content_region.height, self.total_rows(), self.scroll_offset.y
        if total <= height or height <= 0:
            return 0, 0, height
        first = min(height - 1, top * height // total)
        return first, max(first + 1, min(height, -(-(top + height) * height // total))), height

    def bar_cell(self, y: int) -> Strip:
        """The scrollbar's cell on row y (two Strips made once per style: every row drawn asks)."""
        if self._bar_cells is None:
            self._bar_cells = tuple(Strip([Segment(glyph, self.base_style)], 1) for glyph in (" ", THUMB))
        return self._bar_cells[self._bar[0] <= y < self._bar[1]]

    # --- Textual's hooks -------------------------------------------------------------------------

    def watch_frame(self) -> None:
        self.redraw()

    def on_resize(self) -> None:
        self._width = None
        self.redraw()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()  # rows carry the panel's colours: a new theme draws them again
        self._rows, self._blank, self._base, self._width, self._ahead = None, None, None, None, None
        self._bar_cells, self._joined = None, {}

    def scroll_by(self, rows: int) -> None:
        top = max(0, min(self.scroll_offset.y + rows, self.total_rows() - self.scrollable_content_region.height))
        self.scroll_to(y=top, animate=False, force=True)

    def on_mouse_scroll_down(self, event) -> None:
        self.scroll_by(WHEEL_ROWS)
        event.stop()

    def on_mouse_scroll_up(self, event) -> None:
        self.scroll_by(-WHEEL_ROWS)
        event.stop()

    def render_line(self, y: int) -> Strip:
        if y == 0:
            self._bar = self.thumb()  # (rows are drawn top to bottom after a change)
        row, bar = self.row_at(self.scroll_offset.y + y), self.bar_cell(y)
        # The same row beside the same cell is the same Strip object each time: a row that only moved
        # (the panel scrolled) finds its crops and its rendering cached in it, as Textual keeps them.
        key = (id(row), bar is self._bar_cells[1])
        found = self._joined.get(key)
        if found is None or found[0] is not row:
            if len(self._joined) >= CACHE_LIMIT:
                self._joined.clear()
            found = self._joined[key] = (row, Strip.join([row, bar]))
        return found[1]
