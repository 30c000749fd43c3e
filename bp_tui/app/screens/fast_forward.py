"""Fast-forward: ask how many epochs, then compute them in a worker thread.

The worker only extends the stepper (errors and checkpoints, no step records); the screen shows a
progress bar and the error curve as it grows, and any key stops the run, keeping the epochs done.
The app moves the stepper to the last epoch reached once this screen closes, on the main thread.

The worker never waits for the screen: it writes how far it got into one attribute, and a timer
on the main thread redraws from it a few times a second. Every redraw takes the interpreter from
the worker for a moment, so they are kept few.
"""

from __future__ import annotations

import threading

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, ProgressBar, Static
from textual.worker import Worker, WorkerState

from ...stepper import Stepper
from ..widgets.error_chart import ErrorChart

DEFAULT_EPOCHS = 1000
MAX_EPOCHS = 1_000_000
REDRAW_EVERY = 0.2  # seconds between progress redraws


def parse_epochs(text: str) -> int | str:
    """A whole number of epochs (10000, 10,000 and 10_000 all work), or a message saying what is wrong."""
    cleaned = text.replace(",", "").replace("_", "").replace(" ", "")
    if not cleaned.isdigit():
        return "Type a whole number of epochs, e.g. 10000."
    epochs = int(cleaned)
    if not 1 <= epochs <= MAX_EPOCHS:
        return f"Choose between 1 and {MAX_EPOCHS:,} epochs."
    return epochs


class FastForwardPrompt(ModalScreen[int | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "cancel")]

    def __init__(self, completed: int):
        super().__init__()
        self.completed = completed

    def compose(self) -> ComposeResult:
        with Vertical(id="ff-body") as body:
            body.border_title = "fast-forward"
            yield Static(f"Run how many more epochs? (now at epoch {self.completed}; "
                         "the article runs 10000)", markup=False)
            yield Input(str(DEFAULT_EPOCHS), id="epochs", restrict=r"[0-9,_ ]*", max_length=12)
            yield Static("", markup=False, id="ff-error")
            yield Static("enter: run · escape: cancel · while running, any key stops", markup=False,
                         classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        epochs = parse_epochs(event.value)
        if isinstance(epochs, str):
            self.query_one("#ff-error", Static).update(Text(epochs, style="bold"))
        else:
            self.dismiss(epochs)


class FastForwardRun(ModalScreen[int]):
    """Computes epochs up to `target`; dismisses with the number of epochs reached."""

    def __init__(self, stepper: Stepper, target: int):
        super().__init__()
        self.stepper, self.target = stepper, target
        self.start = stepper.computed
        self._stop = threading.Event()
        self._done = self.start  # written by the worker, read by the redraw timer
        self._reached: int | None = None  # set when the worker has finished

    def compose(self) -> ComposeResult:
        with Vertical(id="ff-body") as body:
            body.border_title = f"fast-forwarding to epoch {self.target}"
            yield ProgressBar(total=max(1, self.target - self.start), show_eta=False)
            yield Static("", markup=False, id="ff-count")
            yield ErrorChart(id="ff-chart")
            yield Static("press any key to stop (the epochs done so far are kept)", markup=False,
                         classes="hint")

    def on_mount(self) -> None:
        self.redraw()
        self.set_interval(REDRAW_EVERY, self.redraw)
        self.run_worker(self.compute, thread=True, exit_on_error=False)

    def compute(self) -> int:
        return self.stepper.extend_to(self.target, should_stop=self._stop.is_set, progress=self.progress)

    def progress(self, done: int) -> None:
        self._done = done

    def redraw(self) -> None:
        done = self._done
        self.query_one(ProgressBar).update(progress=max(0, done - self.start))
        self.query_one("#ff-count", Static).update(f"epoch {done} of {self.target}", layout=False)
        self.query_one(ErrorChart).plot(self.stepper.errors, done + 1)

    def on_unmount(self) -> None:
        self._stop.set()  # the app is quitting (ctrl+q): let the worker end too

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self._stop.set()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.SUCCESS:
            self.finish(min(self.target, event.worker.result))
        elif event.state == WorkerState.ERROR:
            self.app.notify(f"fast-forward failed: {event.worker.error}", severity="error", markup=False)
            self.finish(min(self.target, self.stepper.computed))

    def finish(self, reached: int) -> None:
        # dismiss() pops the top screen: while the too-small message covers this one, wait for it.
        self._reached = reached
        if self.is_active:
            self.dismiss(reached)

    def on_screen_resume(self) -> None:
        if self._reached is not None and self.is_active:
            self.dismiss(self._reached)
