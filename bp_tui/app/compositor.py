"""The main screen, repainting only the rows a key changed.

After a key, Textual's compositor takes the rectangle around everything that changed (the header on
the top row and the quantities near the bottom make it nearly the whole screen) and asks every
widget in that rectangle for all of its rows, then keeps only the rows that changed. Here a partial
update asks each widget only for its rows that changed, and only if it reaches into the columns
that changed on them. The result on the terminal is the same; the work follows what changed.

This replaces Compositor.render_partial_update of Textual 8.2 (pinned in pyproject.toml): the
spans, chops and the update written to the terminal are Textual's own.
"""

from __future__ import annotations

from bisect import bisect_left

from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.screen import Screen


class RowCompositor(Compositor):
    def render_partial_update(self) -> ChopsUpdate | None:
        update_regions = self._dirty_regions.copy()
        self._dirty_regions.clear()
        if not update_regions:
            return None
        spans = list(self._regions_to_spans(update_regions))
        return ChopsUpdate(self._changed_chops(spans), spans, [cut_set[1:] for cut_set in self.cuts])

    def _changed_chops(self, spans: list[tuple[int, int, int]]) -> list[dict]:
        """Textual's chops (per row, the strip of each stretch between widget edges), filled only
        where a span will be written. Widgets come front to back; the first strip for a chop wins."""
        cuts = self.cuts
        chops: list[dict] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
        spans_at: dict[int, list[tuple[int, int]]] = {}
        for y, x1, x2 in spans:
            if y < len(cuts):
                spans_at.setdefault(y, []).append((x1, x2))
        dirty_rows = sorted(spans_at)
        # Per dirty row, the chops (by their first column) that a span will write.
        needed = {y: [cut for cut, end in zip(cuts[y], cuts[y][1:])
                      if any(cut < x2 and end > x1 for x1, x2 in spans_at[y])] for y in dirty_rows}
        for widget, (region, clip) in self.visible_widgets.items():
            shown = region.intersection(clip)
            left, right = shown.column_span
            # The widget's rows where a chop to be written is still empty (chops lie wholly inside
            # or outside a widget: every widget edge is a cut). A container or the screen behind
            # the panels is asked for nothing the panels in front of it already drew.
            rows = [y for y in dirty_rows[bisect_left(dirty_rows, shown.y):bisect_left(dirty_rows, shown.bottom)]
                    if any(left <= cut < right and chops[y][cut] is None for cut in needed[y])]
            for first, last in _runs(rows):
                crop = Region(shown.x - region.x, first - region.y, shown.width, last - first + 1)
                for y, strip in zip(range(first, last + 1), widget.render_lines(crop)):
                    row_chops = chops[y]
                    row_cuts = [cut for cut in cuts[y] if right >= cut >= left]
                    pieces = strip.divide([cut - left for cut in row_cuts[1:]])
                    for cut, piece in zip(row_cuts, pieces):
                        if row_chops.get(cut) is None:
                            row_chops[cut] = piece
        return chops


def _runs(rows: list[int]):
    """Consecutive runs in a sorted list of rows, as (first, last) pairs."""
    start = previous = None
    for y in rows:
        if start is None:
            start = previous = y
        elif y == previous + 1:
            previous = y
        else:
            yield start, previous
            start = previous = y
    if start is not None:
        yield start, previous


class StepScreen(Screen):
    """The app's main screen: Textual's Screen with the RowCompositor."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._compositor = RowCompositor()
