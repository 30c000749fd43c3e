"""The decision boundary in the error chart's place (key b): a two-input network's output over the
plane of its inputs, the training samples marked with their targets, and under the picture, where
there is room, each sample's outputs as `bp-tui run` prints them.

The picture is bp_tui.views.boundary's: a BoundaryView is made once per scenario, size and choice
of lines (key l: each first-hidden-layer neuron's line, where its net input is 0), and asked for a
picture of new parameters when the round shown changes (a key that stays in the round costs
nothing). During a fast-forward the box that runs it shows this panel too, fed the parameters
reached so far (screens/fast_forward_boundary.py). A network without two inputs gets one line
saying why there is no picture.
"""

from __future__ import annotations

import math

from rich.text import Text

from ...engine.network import Params
from ...engine.records import num, value_text
from ...engine.scenario import Scenario
from ...views.boundary import BoundaryView, unsupported
from ...views.plane import outputs_at
from ..frame import Frame
from .panel import LinePanel

SPARE_PICTURE_ROWS = 3  # the outputs go under the picture when it keeps this many rows above its least


def sample_lines(scenario: Scenario, params: Params) -> list[Text]:
    """Each sample's outputs, computed as the picture computes them (to 9 decimals, as run prints)."""
    names = scenario.layout.neuron_names[-1]
    outputs = outputs_at(scenario, params, scenario.inputs)
    lines = [Text("Each sample's outputs (as bp-tui run prints them):", style="italic")]
    for s, (point, out) in enumerate(zip(scenario.inputs, outputs)):
        lines.append(Text(f"sample {s + 1} at ({', '.join(num(x) for x in point)}):"))
        lines += [Text(f"  out_{name} {value_text(o)} (target {num(t)})")
                  for name, o, t in zip(names, out, scenario.targets[s])]
    return lines


def rows_of(lines: list[Text], width: int) -> int:
    """Rows the lines take when wrapped at `width` (a close estimate: words are not split)."""
    return sum(max(1, math.ceil(len(line.plain) / max(1, width - 2))) for line in lines)


class BoundaryPanel(LinePanel):
    def __init__(self, hidden_lines: bool = False, outputs: bool = True, **kwargs):
        """`outputs`: each sample's outputs under the picture (else the picture alone)."""
        super().__init__(**kwargs)
        self.hidden_lines, self.outputs = hidden_lines, outputs
        self._views: dict[tuple, BoundaryView] = {}
        self._drawn_for: tuple | None = None  # the stepper's place the picture was drawn for
        self._shown: tuple[Scenario, Params] | None = None  # what the picture shows

    def watch_frame(self, frame: Frame | None) -> None:
        if frame is None:
            return
        stepper = frame.stepper
        place = (stepper, frame.completed, frame.edits, frame.diverged_at)
        if place != self._drawn_for:  # (a new round, an edit, another scenario: not a key inside a round)
            self._drawn_for = place
            self.show_params(stepper.scenario, stepper.params, frame.completed)

    def show_params(self, scenario: Scenario, params: Params, epochs: int) -> None:
        """Draw the boundary of `scenario` with these parameters, reached after `epochs` epochs."""
        self._shown = (scenario, params)
        self.border_title = f" decision boundary after {epochs} epoch{'' if epochs == 1 else 's'} "
        self.redraw()

    def toggle_hidden_lines(self) -> bool:
        """Draw the hidden neurons' lines, or stop drawing them; returns whether they are drawn now."""
        self.hidden_lines = not self.hidden_lines
        self.redraw()
        return self.hidden_lines

    def view(self, scenario: Scenario, width: int, height: int) -> BoundaryView:
        key = (id(scenario), width, height, self.hidden_lines)  # (hashing a large scenario costs)
        found = self._views.get(key)
        if found is None or found.scenario is not scenario:
            if len(self._views) >= 4:  # (sizes and scenarios seen before a resize or an edit)
                self._views.clear()
            found = self._views[key] = BoundaryView(scenario, width, height, self.hidden_lines)
        return found

    def lines_for(self, frame: Frame | None, width: int):
        if self._shown is None or width <= 0:
            return []
        scenario, params = self._shown
        problem = unsupported(scenario)
        if problem:
            return [Text(f"No decision boundary here: {problem}.", style="italic")]
        height = self.scrollable_content_region.height
        view = self.view(scenario, width, height)
        if not self.outputs:
            return view.lines(params)
        samples = sample_lines(scenario, params)
        below = rows_of(samples, width) + 1
        if not view.too_small and height - below >= view.needed()[1] + SPARE_PICTURE_ROWS:
            view = self.view(scenario, width, height - below)  # room for the outputs under it
        return view.lines(params) + [Text("")] + samples

    def prepare(self, frame: Frame) -> None:
        pass  # (the picture changes at a round's end only)
