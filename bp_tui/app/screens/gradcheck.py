"""The gradient check at the weights on screen (g), in a scrolling box.

Each parameter costs two passes over the training set, so a large network takes seconds: the check
runs in a worker thread with a progress bar, and closing the box stops it. The verdict (PASS or
FAIL, with the threshold and epsilon) comes first, then one row per weight and bias.
"""

from __future__ import annotations

import threading

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import ProgressBar, Static
from textual.worker import Worker, WorkerState

from ...study.gradcheck import GradientReport, check_gradients, connections, report_lines, verdict
from ...engine.network import Network, Params
from ...engine.scenario import Scenario
from .modal import Modal

REDRAW_EVERY = 0.2


class Stopped(Exception):
    """The box was closed before the check finished."""


def report_table(report: GradientReport, scenario: Scenario) -> Group:
    joins = connections(scenario)
    table = Table(box=None, padding=(0, 1, 0, 0), header_style="bold")
    for title in ("name", "joins", "backprop", "numerical", "rel. error"):
        table.add_column(title, justify="left" if title in ("name", "joins") else "right", no_wrap=True)
    table.add_column("ok", no_wrap=True)
    for row in report.rows:
        result = Text("ok*" if row.within_noise else "ok" if row.ok else "FAIL",
                      style="" if row.ok else "bold reverse")
        table.add_row(Text(row.name), Text(joins.get(row.name, "")), f"{row.backprop: .9e}",
                      f"{row.numeric: .9e}", f"{row.relative_error:.1e}", result)
    line = verdict(report)
    word, rest = line.split(":", 1)
    # The notes report_lines writes under its own table (ok*, fixed biases), without its verdict.
    notes = report_lines(report, scenario)[len(report.rows) + 1:-1]
    return Group(Text.assemble((word, "bold reverse"), ":", rest), Text(""), table,
                 *(Text(note, style="italic") for note in notes))


class GradcheckScreen(Modal[None]):
    BINDINGS = [Binding("escape,q,g", "close", "close")]
    DEFAULT_CSS = "GradcheckScreen > #box { max-width: 110; }"
    scrolls = True

    def __init__(self, net: Network, params: Params, where: str):
        super().__init__()
        self.net, self.params = net, params
        self.box_title = f"gradient check · {where}"
        self._stop = threading.Event()
        self._done = (0, 1)  # parameters checked, of how many: written by the worker

    def compose_box(self) -> ComposeResult:
        yield Static("Checking every gradient against (E(p+ε) − E(p−ε)) / 2ε …", markup=False, id="grad-status")
        yield ProgressBar(show_eta=False)
        yield Static("", markup=False, id="grad-report")
        yield Static("↑ ↓ scroll · escape, q or g: close", markup=False, classes="hint")

    def on_mount(self) -> None:
        self._timer = self.set_interval(REDRAW_EVERY, self.redraw)
        self.run_worker(self.compute, thread=True, exit_on_error=False)

    def compute(self) -> GradientReport:
        return check_gradients(self.net, self.params, progress=self.progress)

    def progress(self, done: int, total: int) -> None:
        if self._stop.is_set():
            raise Stopped
        self._done = (done, total)

    def redraw(self) -> None:
        done, total = self._done
        self.query_one(ProgressBar).update(total=total, progress=done)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        self._timer.stop()
        self.query_one(ProgressBar).display = False
        status = self.query_one("#grad-status", Static)
        if event.state == WorkerState.SUCCESS:
            status.display = False
            self.query_one("#grad-report", Static).update(report_table(event.worker.result, self.net.scenario))
        elif not isinstance(event.worker.error, Stopped):
            status.update(Text(f"The check failed: {event.worker.error}", style="bold"))

    def action_close(self) -> None:
        self._stop.set()
        self.dismiss()
