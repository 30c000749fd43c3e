"""The network panel: the network drawn as a picture where it fits, else as a table; t switches.

The picture (bp_tui/views/picture.py) draws each neuron as a box and each weight as a line of its
own with its name and value, the current sub-step's path heavy with an arrow for the direction of
flow. The table (network_table.py) lists the same facts in columns. Both are made from one state per
frame (`state_at`), so they agree on every value.

Which one shows: the picture, where one of its layouts fits the panel's width and the rows the
screen can give it (`offer`): the roomiest, with a row of headings, where it leaves the step panel
its usual lines, else the one with the fewest rows (the title then names the activations the
headings would). Where none fits, the table, and the title says why and that t toggles. Resizing
switches back and forth. Once the learner presses t, the panel shows what they
asked for at any size: the table, or the picture in its tightest layout, which scrolls when it is
too tall and is cut at the right (the title says so) when it is too wide.

A key costs little: the picture's layout is made once per network and size and its rows once per
distinct content (views/picture*.py); the panel renders each distinct row once into Strips and
refreshes only the rows that changed (panel.py); the frame the space bar leads to is drawn ahead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.message import Message

from ...views.picture import PictureState, draw_layout, fitting, needed, shape_of, state_at, tightest
from ...views.picture_layout import geometry
from ...views.picture_shape import Geometry, Shape, size
from ...views.styled import Line
from ..frame import LARGE_ROUND, Frame
from .panel import LinePanel
from .table_values import table_shape_of

if TYPE_CHECKING:
    from .table_values import TableValues

AUTO, PICTURE, TABLE = "auto", "picture", "table"  # what the panel shows: AUTO until the learner presses t
MOST_ROWS = 80  # a picture taller than the tallest terminal is not drawn, even when asked for (the table is)
LIT = frozenset({"hot", "focus"})  # the tags of what the current sub-step lights in the picture
PICKABLE = frozenset({"neuron", "net", "out", "target", "param", "bias", "bias-name", "bias-value"})
NAME_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def word_at(text: str, x: int) -> str | None:
    """The name around column x of a line of the table (w5 of "w5+ h1→o1", h1 of "h1 net")."""
    if not 0 <= x < len(text) or text[x] not in NAME_CHARACTERS:
        return None
    start, end = x, x
    while start > 0 and text[start - 1] in NAME_CHARACTERS:
        start -= 1
    while end < len(text) and text[end] in NAME_CHARACTERS:
        end += 1
    return text[start:end]


class Diagram(LinePanel):
    """The network panel. It takes the height its drawing asks for, within a share of the screen (see
    StepperScreen.fit_panels), and scrolls beyond that, keeping what the current sub-step lights in view."""

    class Picked(Message):
        """A click on a neuron's, weight's or bias's name (or a weight's value) in the picture or the table."""

        def __init__(self, name: str):
            super().__init__()
            self.name = name

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.choice = AUTO
        # Rows of picture the screen can give the panel (heights.picture_rows): leaving the step panel
        # its usual lines, within the network's share, and with a line of the step panel's (`squeezed`).
        self.room = (0, 0, 0)
        self._shape: tuple[object, Shape] | None = None  # (scenario, the picture's shape), per scenario
        self._states: dict[Frame, PictureState] = {}  # the frame on screen and the one drawn ahead
        # By frame and layout: (the layout, the picture's lines, the rows it lights: see lit_rows).
        self._pictures: dict[tuple[Frame, int], tuple[Geometry, list[Line], tuple[int, int]]] = {}
        self._tables: dict[tuple[TableValues, int], tuple[list[Text], tuple[int, int]]] = {}
        self._title = ""

    # --- which view, and its size ----------------------------------------------------------------

    def shape(self, frame: Frame) -> Shape:
        scenario = frame.stepper.scenario
        if self._shape is None or self._shape[0] is not scenario:
            self._shape = (scenario, shape_of(scenario))
        return self._shape[1]

    def layout(self, frame: Frame | None, width: int) -> Geometry | None:
        """The picture's layout for `frame` at `width` columns, or None when the panel shows the table."""
        if frame is None or self.choice == TABLE:
            return None
        if self.choice == AUTO and table_shape_of(frame.stepper.scenario).focused:
            return None  # (a network of hundreds of weights never fits; sizing its picture takes ~1 s)
        shape = self.shape(frame)
        roomy = fitting(shape, width, self.room[0])
        if roomy is not None:
            return roomy
        tight = tightest(shape, width)
        columns, rows = size(shape, tight)  # (known before laying it out, which takes long for a large network)
        fits = columns <= width and rows <= self.room[2]
        drawable = self.choice == PICTURE and rows <= MOST_ROWS
        return geometry(shape, tight) if fits or drawable else None

    def squeezed(self, width: int) -> bool:
        """Whether the picture takes the line of the step panel's that the screen may give it."""
        found = self.layout(self.frame, width)
        return found is not None and found.width <= width and self.room[1] < found.rows <= self.room[2]

    def offer(self, roomy: int, share: int, squeezed: int) -> None:
        """The rows of picture the screen can give the panel (see `room`)."""
        if (roomy, share, squeezed) != self.room:
            self.room = (roomy, share, squeezed)
            self.update_title()
            self.redraw_all()

    def toggle(self) -> str:
        """Switch between the picture and the table (t); say what shows now."""
        showing_picture = self.layout(self.frame, self.content_width) is not None
        self.choice = TABLE if showing_picture else PICTURE
        self.update_title()
        self.redraw_all()
        if self.layout(self.frame, self.content_width) is None and self.choice == PICTURE:
            return "This network is too large to draw as a picture: the table stays."
        if self.choice == TABLE:
            return "The network as a table; t: back to the picture."
        return "The network as a picture; t: the table."

    # --- the title -------------------------------------------------------------------------------

    def hint(self, width: int) -> str:
        """What the title adds about the view: why the table shows, or how the picture is cut."""
        if self.frame is None or width <= 0:
            return ""
        if self.choice == TABLE:
            return "table (t: picture)"
        found = self.layout(self.frame, width)
        if found is None and table_shape_of(self.frame.stepper.scenario).focused:
            return "too large to draw as a picture"  # (without sizing it: see layout)
        if found is None:
            columns, rows = needed(self.shape(self.frame))
            if rows > MOST_ROWS:
                return "too large to draw as a picture"
            wide, tall = columns > width, rows > self.room[2]
            what = "small" if wide and tall else "wide" if wide else "tall"
            return f"too {what} for the picture at this size: t toggles"
        if found.width > width:
            return f"picture cut at the right: it needs {found.width} columns (t: table)"
        if not any(slot.kind == "heading" for slot in found.row_slots[0]):
            return self.activations()
        return ""

    def activations(self) -> str:
        """The layers' activations, as the picture's headings name them ("hidden sigmoid, outputs sigmoid")."""
        activations = self.frame.stepper.scenario.activations
        hidden = len(activations) - 1
        names = ["hidden" if hidden == 1 else f"hidden {L}" for L in range(1, hidden + 1)] + ["outputs"]
        return ", ".join(f"{name} {activation}" for name, activation in zip(names, activations))

    def update_title(self) -> None:
        edited = () if self.frame is None else self.frame.edited
        parts = ["network"]
        if edited:  # (what the learner changed)
            parts.append("edited: " + ", ".join(f"{name} {value:g}" for name, value in edited))
        hint = self.hint(self.content_width if self.is_mounted else 0)
        parts += [hint] if hint else []
        title = f" {' · '.join(parts)} "
        if title != self._title:  # (a new title repaints the panel's border)
            self._title = self.border_title = title

    # --- drawing ---------------------------------------------------------------------------------

    def state(self, frame: Frame) -> PictureState:
        """What the network shows at `frame` (kept for the frame on screen and the one drawn ahead)."""
        found = self._states.get(frame)
        if found is None:
            if len(self._states) >= 4:
                self._states = {key: value for key, value in self._states.items() if key == self.frame}
            stepper = frame.stepper
            if frame.count >= LARGE_ROUND:  # (a round of millions: read around the current sample)
                from .sample_state import state_around

                found = self._states[frame] = state_around(frame)
                return found
            found = self._states[frame] = state_at(stepper, frame.revealed, frame.current, stepper.pending(frame.k),
                                                   frame.selected)
        return found

    def lines_for(self, frame: Frame | None, width: int) -> list[Text | Line]:
        if frame is None or width <= 0:
            return []
        found = self.layout(frame, width)
        if found is not None:
            return self.picture(frame, found)
        return self.table(frame, width)[0]

    def picture(self, frame: Frame, geo: Geometry) -> list[Line]:
        """The picture's lines at `frame` in layout `geo` (kept for a few frames)."""
        key = (frame, id(geo))  # (a layout is one cached object per network and size)
        found = self._pictures.get(key)
        if found is None:
            if len(self._pictures) >= 4:
                self._pictures.clear()
            lines = draw_layout(geo, self.state(frame))
            # (What it lights is found with it, off the key path when drawn ahead: a key asks for it.)
            lit = [y for y, line in enumerate(lines) if any(s.tags & LIT for s in line)]
            # (geo kept: its id stays its own)
            found = self._pictures[key] = (geo, lines, (lit[0], lit[-1] - lit[0] + 1) if lit else (0, 0))
        return found[1]

    def lit_rows(self, frame: Frame, geo: Geometry) -> tuple[int, int]:
        """(first, count) of the picture's rows that the current sub-step lights, (0, 0) for none."""
        self.picture(frame, geo)
        return self._pictures[(frame, id(geo))][2]

    def table(self, frame: Frame, width: int) -> tuple[list[Text], tuple[int, int]]:
        """The table's lines at `frame` and where its current neuron is (kept for a few frames)."""
        from .network_table import draw  # (imported when the table is first shown: start-up)
        from .table_values import TableValues

        values = TableValues.of(frame, self.state(frame))
        found = self._tables.get((values, width))
        if found is None:
            if len(self._tables) >= 4:
                self._tables.clear()
            found = self._tables[(values, width)] = draw(values, width)
        return found

    def rows_to_keep_in_view(self) -> tuple[int, int]:
        """The rows of what the current sub-step lights (the top when nothing is lit)."""
        frame, width = self.frame, self.content_width
        if frame is None or width <= 0:
            return 0, 1
        found = self.layout(frame, width)
        if found is None:
            start, count = self.table(frame, width)[1]
        else:
            start, count = self.lit_rows(frame, found)
        return (start, count) if count else (0, 1)

    def name_at(self, x: int, y: int) -> str | None:
        """The name drawn at column x of row y of the text: in the picture, of the slot there (a
        weight's label, a box, a bias); in the table, the word there."""
        frame, width = self.frame, self.content_width
        if frame is None or width <= 0:
            return None
        found = self.layout(frame, width)
        if found is not None:
            slots = found.row_slots[y] if 0 <= y < len(found.row_slots) else ()
            for slot in slots:
                if slot.col <= x < slot.col + slot.width and slot.kind in PICKABLE:
                    return slot.key
            return None
        lines = self.table(frame, width)[0]
        if not 0 <= y < len(lines):
            return None
        return word_at(lines[y].plain, x)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        name = self.name_at(offset.x, offset.y + self.scroll_offset.y)
        if name:
            self.post_message(self.Picked(name))

    def watch_frame(self, old: Frame | None, frame: Frame | None) -> None:
        if old is None or frame is None or old.edited != frame.edited or old.stepper is not frame.stepper:
            self.update_title()
        self.redraw()

    def on_resize(self) -> None:
        super().on_resize()
        self.update_title()
