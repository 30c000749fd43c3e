"""The bottom row: the keys a learner needs most, each with its label, made from the command table.

One widget drawing one line of text, rather than Textual's Footer (a widget per key, each styled and
laid out on its own): the row never changes while the stepper screen is up, and those ten widgets
cost about 40 ms of start-up and two thirds of building a stepper screen, for nothing. What the Footer gave is kept: the keys in
the theme's footer colours, the key under the mouse lit, and a click presses the key.

When the row is too narrow for every key, keys are left out from the right, but help and quit stay.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.text import Text
from textual import events
from textual.widget import Widget

from ..commands import COMMANDS

ALWAYS = frozenset({"help", "quit"})  # kept however narrow the row: the way to every other key, and out


class Key(NamedTuple):
    key: str  # the Textual key name a click presses
    shown: str  # as the row writes it ("space", "←", "]")
    label: str
    action: str


FOOTER_KEYS = [Key(c.keys.split(",")[0], c.shown.split()[0], c.label, c.action) for c in COMMANDS if c.in_footer]


def keys_that_fit(keys: list[Key], width: int) -> list[Key]:
    """As many of `keys` as fit in `width` cells, one space between, leaving out from the right all
    but those in ALWAYS."""
    kept = list(keys)
    while kept and len(row_text(kept)) > width:
        droppable = [i for i, key in enumerate(kept) if key.action not in ALWAYS]
        if not droppable:
            break
        del kept[droppable[-1]]
    return kept


def row_text(keys: list[Key]) -> str:
    return " ".join(f"{key.shown} {key.label}" for key in keys)


class KeyLine(Widget):
    COMPONENT_CLASSES = {"key-line--key", "key-line--hover"}
    DEFAULT_CSS = """
    KeyLine {
        height: 1;
        color: $footer-description-foreground;
        background: $footer-background;
        .key-line--key { color: $footer-key-foreground; background: $footer-key-background; text-style: bold; }
        .key-line--hover { background: $block-hover-background; }
    }
    """
    ALLOW_SELECT = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.spans: list[tuple[int, int, Key]] = []  # where each key shown sits on the row: start, end, key
        self.hovered: Key | None = None

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-line--key")
        hover_style = self.get_component_rich_style("key-line--hover")
        row, self.spans = Text(no_wrap=True, overflow="crop"), []
        for number, key in enumerate(keys_that_fit(FOOTER_KEYS, self.size.width)):
            if number:
                row.append(" ")
            start = len(row)  # (a cell per character: the keys and labels are all narrow characters)
            row.append(key.shown, key_style)
            row.append(f" {key.label}")
            if key == self.hovered:
                row.stylize(hover_style, start, len(row))
            self.spans.append((start, len(row), key))
        return row

    def key_at(self, x: int) -> Key | None:
        return next((key for start, end, key in self.spans if start <= x < end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self.hover(self.key_at(event.x))

    def on_leave(self) -> None:
        self.hover(None)

    def hover(self, key: Key | None) -> None:
        if key != self.hovered:
            self.hovered = key
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self.key_at(event.x)
        if key is not None:
            self.app.simulate_key(key.key)  # as if typed: the same bindings, the same quiz rules
