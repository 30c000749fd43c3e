"""The footer: the keys of the screen's bindings on one line, drawn as Textual's compact Footer draws them.

Textual's Footer is a container of one FooterKey widget per key, composed only after the first
refresh: at start-up its ten keys cost ten widgets to style, mount and lay out and a second frame,
about as much as the rest of the screen (issue 6, target 3). This footer is a single widget that is
drawn in the first frame. It looks the same (the same CSS and component classes give the same
segments, offsets included) and does what the keys do: a click presses the key, the key under the pointer is
highlighted, the mouse wheel scrolls a line too long for the terminal, and the line follows the
bindings when they change (focus, another screen).

What the app does not use is left out: binding groups, the command palette key, the non-compact look.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget


class Key(NamedTuple):
    key: str  # the key pressed on a click
    display: str
    description: str
    enabled: bool
    tooltip: str


class Footer(Widget, can_focus=False):
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer-key--key", "footer-key--description", "footer-key--hover"}
    # Textual's Footer and compact FooterKey rules, for one widget: the item background is transparent,
    # the margin between keys is a space of the footer's own style.
    DEFAULT_CSS = """
    Footer {
        color: $footer-foreground;
        background: $footer-background;
        dock: bottom;
        height: 1;
        text-wrap: nowrap;
        .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .footer-key--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
    }
    """

    def __init__(self, *, compact: bool = True, show_command_palette: bool = False, id: str | None = None,
                 classes: str | None = None):
        if not compact or show_command_palette:
            raise ValueError("this footer draws only the compact look, without the command palette key")
        super().__init__(id=id, classes=classes)
        self._keys: tuple[Key, ...] | None = None
        self._spans: list[tuple[int, int]] = []  # the cells of each key on the line
        self._hover: int | None = None
        self._scroll = 0

    # --- what to show --------------------------------------------------------------------------

    def keys(self) -> tuple[Key, ...]:
        """The keys to show, one per action (its first binding), as Textual's Footer picks them."""
        if self._keys is None:
            self._keys = self._read_keys()
        return self._keys

    def _read_keys(self) -> tuple[Key, ...]:
        seen: set[str] = set()
        keys = []
        for _namespace, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in seen:
                seen.add(binding.action)
                keys.append(Key(binding.key, self.app.get_key_display(binding), binding.description, enabled,
                                tooltip or ""))
        return tuple(keys)

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        keys = self._read_keys()
        if keys != self._keys:
            self._keys, self._hover = keys, None
            self.refresh()

    # --- drawing -------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """The keys as Textual's FooterKeys draw them (the key, then a space and the description), one
        cell of the footer's background between them; the rest of the line is the footer's background."""
        base = self.rich_style
        background = Style(bgcolor=base.bgcolor)
        if y:
            return Strip.blank(self.size.width, background)
        key_style = base + self.get_component_rich_style("footer-key--key")
        description_style = base + self.get_component_rich_style("footer-key--description")
        hover = Style(bgcolor=self.get_component_rich_style("footer-key--hover").bgcolor)
        segments: list[Segment] = []
        self._spans = []
        x = 0
        for index, key in enumerate(self.keys()):
            if index:
                segments.append(Segment(" ", background))  # the compact footer's margin between keys
                x += 1
            # Each part carries its offset in the key, as Textual's Content gives it to a FooterKey.
            item = [Segment(key.display, key_style + Style.from_meta({"offset": (0, 0)}))]
            if key.description:
                offset = Style.from_meta({"offset": (len(key.display), 0)})
                item.append(Segment(" " + key.description, description_style + offset))
            if not key.enabled:
                item = list(Segment.apply_style(item, post_style=Style(dim=True)))
            if index == self._hover:
                item = list(Segment.apply_style(item, post_style=hover))
            width = Segment.get_line_length(item)
            self._spans.append((x, x + width))
            segments += item
            x += width
        self._scroll = max(0, min(self._scroll, x - self.size.width))
        strip = Strip(segments, x)
        if self._scroll:
            strip = strip.crop(self._scroll, x)
        return strip.crop_extend(0, self.size.width, background)

    # --- the mouse -----------------------------------------------------------------------------

    def _key_at(self, x: int) -> int | None:
        """The index of the key drawn at column x of the widget, if any."""
        x += self._scroll
        count = len(self.keys())
        return next((i for i, (start, end) in enumerate(self._spans) if start <= x < end and i < count), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        index = self._key_at(event.x)
        if index != self._hover:
            self._hover = index
            self.tooltip = (self.keys()[index].tooltip if index is not None else "") or None
            self.refresh()

    def on_leave(self, _event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        index = self._key_at(event.x)
        if index is None:
            return
        key = self.keys()[index]
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()

    def _scroll_by(self, cells: int, event: events.Event) -> None:
        self._scroll = max(0, self._scroll + cells)
        self.refresh()
        event.stop()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self._scroll_by(2, event)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._scroll_by(-2, event)
