"""Fast-forward with the decision boundary on screen: the run's box shows the boundary as it moves.

The usual box (screens/fast_forward.py) asks how far, then runs in a worker thread. Its stepper only
knows the parameters of the epochs where a run ends, so here the run is made of stretches of about
CHUNK_SECONDS each: after each, the worker notes the parameters reached, and the box's redraw (a few
times a second) draws the boundary with them, under the progress bar and the error's figures.
A run that ends in under REVEAL_AFTER seconds closes the box as before, and the boundary in the
error chart's place shows where it ended.
"""

from __future__ import annotations

import time

from textual.widget import Widget

from ...engine.network import Params
from ...engine.stepper import Stepper
from ..widgets.boundary import BoundaryPanel
from .fast_forward import FastForwardPrompt

CHUNK_SECONDS = 0.1  # the worker notes the parameters about this often
FIRST_CHUNK = 64  # epochs in the first stretch (then sized by the pace so far)


class BoundaryFastForward(FastForwardPrompt):
    DEFAULT_CSS = """
    BoundaryFastForward #ff-chart { height: 3; }
    BoundaryFastForward #ff-boundary { height: 14; max-height: 45vh; }
    """

    def __init__(self, stepper: Stepper, hidden_lines: bool):
        super().__init__(stepper)
        self.hidden_lines = hidden_lines
        self.reached: tuple[int, Params] | None = None  # (epochs, parameters) at the end of the last stretch

    def progress_view(self) -> list[Widget]:
        widgets = super().progress_view()
        return widgets[:-1] + [BoundaryPanel(self.hidden_lines, outputs=False, id="ff-boundary"), widgets[-1]]

    def compute(self) -> int:
        stepper, chunk, stop_asked = self.stepper, FIRST_CHUNK, self._stop.is_set  # (the base's stop event)
        while stepper.computed < self.target and stepper.diverged_at is None and not stop_asked():
            began = time.perf_counter()
            stepper.extend_to(min(self.target, stepper.computed + chunk), should_stop=stop_asked)
            epochs = stepper.computed
            self.reached = (epochs, stepper.state_at(epochs).params)  # (kept by the stepper: no replay)
            took = time.perf_counter() - began
            chunk = max(1, min(chunk * 4, int(chunk * CHUNK_SECONDS / took))) if took > 0 else chunk * 4
        return stepper.computed

    def redraw(self) -> None:
        super().redraw()
        if self.reached is not None and self.query(BoundaryPanel):
            epochs, params = self.reached
            self.query_one(BoundaryPanel).show_params(self.stepper.scenario, params, epochs)
