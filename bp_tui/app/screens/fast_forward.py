"""Fast-forward: ask how many epochs, then compute them in a worker thread.

The worker only extends the stepper (errors and checkpoints, no step records); any key stops the
run, keeping the epochs done. The app moves the stepper to the last epoch reached once the box
closes, on the main thread.

A run asked for in the box also runs in it. One that is over in a fraction of a second (100,000
epochs of the article's network take about a quarter of one) closes the box onto its result: a
progress screen flashing past would tell the learner nothing, and drawing it would take the
interpreter from the worker for longer than the run itself. A run still going after REVEAL_AFTER
seconds replaces the question with its progress bar and error curve, unless at its pace it is
about to end (a busy machine slowed it down). Nothing on screen changes before that, not even
the box's look, for the same reason.

The worker never waits for the screen: the stepper's list of errors grows as it goes, and a timer
on the main thread redraws from it a few times a second. Every redraw takes the interpreter from
the worker for a moment, so they are kept few.
"""

from __future__ import annotations

import threading
import time

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Input, ProgressBar, Static
from textual.worker import Worker, WorkerState

from ...engine.scenario import Scenario
from ...engine.stepper import Stepper
from ..widgets.error_chart import ErrorChart
from .modal import Modal

DEFAULT_EPOCHS = 1000
MAX_EPOCHS = 1_000_000
REDRAW_EVERY = 0.2  # seconds between progress redraws
REVEAL_AFTER = 0.4  # seconds a run asked for in the box may take before its progress is shown
ALMOST_DONE = 0.25  # ... unless it looks this close (seconds) to its end: then look again after that
STOP_HINT = "press any key to stop (the epochs done so far are kept)"
ARTICLE = "A Step by Step Backpropagation Example"  # in the source of the scenarios taken from it
ARTICLE_EPOCHS = 10_000  # how far the article trains its network


def from_article(scenario: Scenario) -> bool:
    """Whether the scenario's source names Mazur's article (so its figures after 10000 epochs apply)."""
    return ARTICLE in scenario.source


def question(scenario: Scenario, completed: int) -> str:
    article = f"; the article runs {ARTICLE_EPOCHS}" if from_article(scenario) else ""
    return f"Run how many more epochs? (now at epoch {completed}{article})"


def parse_epochs(text: str) -> int | str:
    """A whole number of epochs (10000, 10,000 and 10_000 all work), or a message saying what is wrong."""
    cleaned = text.replace(",", "").replace("_", "").replace(" ", "")
    if not cleaned.isdigit():
        return "Type a whole number of epochs, e.g. 10000."
    epochs = int(cleaned)
    if not 1 <= epochs <= MAX_EPOCHS:
        return f"Choose between 1 and {MAX_EPOCHS:,} epochs."
    return epochs


class FastForwardRun(Modal[int | None]):
    """Computes epochs up to `target`, showing its progress; dismisses with the number of epochs reached."""

    DEFAULT_CSS = """
    FastForwardRun > #box { width: 80%; max-width: 76; }
    FastForwardRun #box ProgressBar { margin: 1 0 0 0; }
    #ff-chart { height: 6; }
    """

    def __init__(self, stepper: Stepper, target: int):
        super().__init__()
        self.stepper, self.target = stepper, target
        self.box_title = self.progress_title()
        self.start = stepper.computed
        self._stop = threading.Event()
        self._computing = False
        self._reached: int | None = None  # set when the worker has finished
        self._redraws = None

    def compose_box(self) -> ComposeResult:
        yield from self.progress_view()

    def progress_title(self) -> str:
        return f"fast-forwarding to epoch {self.target}"

    def progress_view(self) -> list[Widget]:
        return [ProgressBar(total=max(1, self.target - self.start), show_eta=False),
                Static("", markup=False, id="ff-count"),
                ErrorChart(id="ff-chart"),
                Static(STOP_HINT, markup=False, classes="hint")]

    def on_mount(self) -> None:
        self.opened()

    def opened(self) -> None:
        """Run at once (the prompt overrides this: it runs once the learner says how far)."""
        self.begin()
        self.show_progress()

    def begin(self) -> None:
        """Start the worker (the screen is mounted)."""
        self._computing = True
        self._began = time.perf_counter()
        self.run_worker(self.compute, thread=True, exit_on_error=False)

    def show_progress(self) -> None:
        """The progress widgets are mounted: draw them now and every REDRAW_EVERY seconds."""
        self.redraw()
        self._redraws = self.set_interval(REDRAW_EVERY, self.redraw)

    def compute(self) -> int:
        return self.stepper.extend_to(self.target, should_stop=self._stop.is_set)

    def redraw(self) -> None:
        done = min(self.target, self.stepper.computed)  # grows epoch by epoch while the worker runs
        self.query_one(ProgressBar).update(progress=max(0, done - self.start))
        self.query_one("#ff-count", Static).update(f"epoch {done} of {self.target}", layout=False)
        self.query_one(ErrorChart).plot(self.stepper.errors, done + 1)

    def on_unmount(self) -> None:
        self._stop.set()  # the app is quitting (ctrl+q): let the worker end too

    @property
    def computing(self) -> bool:
        """Whether the worker has been started (keys stop it from then on)."""
        return self._computing

    def on_key(self, event: events.Key) -> None:
        if self._computing:
            event.stop()
            event.prevent_default()
            if not self._stop.is_set():
                self._stop.set()
                self.query_one(".hint", Static).update("stopping…", layout=False)  # seen at once

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.SUCCESS:
            self.finish(min(self.target, event.worker.result))
        elif event.state == WorkerState.ERROR:
            self.notify(f"fast-forward failed: {event.worker.error}", severity="error", markup=False)
            self.finish(min(self.target, self.stepper.computed))

    def finish(self, reached: int) -> None:
        # dismiss() pops the top screen: while the too-small message covers this one, wait for it.
        self._reached = reached
        if self._redraws is not None:
            self._redraws.stop()
        if self.is_active:
            self.dismiss(reached)

    def on_screen_resume(self) -> None:
        if self._reached is not None and self.is_active:
            self.dismiss(self._reached)


class EpochsInput(Input):
    """The number of epochs. Once the run has started, keys pass it by to the screen, which stops
    the run: nothing about the box is changed (no blur, no disabled look), as changing it would
    redraw part of the screen while the worker wants the interpreter."""

    def on_key(self, event: events.Key) -> None:
        if self.screen.computing:
            event.prevent_default()  # Input's own handler (typing into the box) is skipped; the screen stops the run

    def on_paste(self, event: events.Paste) -> None:
        if self.screen.computing:
            event.prevent_default()


class FastForwardPrompt(FastForwardRun):
    """Asks how many epochs, then runs them in the same box (dismisses with None when cancelled)."""

    # (escape cancels while asking, the base's binding; while running, every key stops the run)

    def __init__(self, stepper: Stepper):
        super().__init__(stepper, stepper.completed)
        self.completed = stepper.completed
        self.box_title = "fast-forward"

    def compose_box(self) -> ComposeResult:
        yield Static(question(self.stepper.scenario, self.completed), markup=False)
        # Empty, the default as its placeholder: a box holding "1000" selects it on focus only after
        # a refresh, so fast typing (f, backspace, 10000) landed partly before the selection and
        # lost digits. Whatever is typed now is exactly the number; enter alone runs the default.
        yield EpochsInput("", placeholder=f"{DEFAULT_EPOCHS} (enter alone runs {DEFAULT_EPOCHS})", id="epochs",
                          restrict=r"[0-9,_ ]*", max_length=12)
        yield Static("", markup=False, id="ff-error")
        yield Static("enter: run · escape: cancel · while running, any key stops", markup=False, classes="hint")

    def opened(self) -> None:
        pass  # nothing runs until the learner says how far

    def on_input_submitted(self, event: Input.Submitted) -> None:
        epochs = parse_epochs(event.value if event.value.strip() else str(DEFAULT_EPOCHS))
        if isinstance(epochs, str):
            self.query_one("#ff-error", Static).update(Text(epochs, style="bold"))
            return
        self.target = self.completed + epochs
        self.begin()
        self.set_timer(REVEAL_AFTER, self.reveal)

    def time_left(self) -> float:
        """Seconds the run will still take at its pace so far (a guess)."""
        done = self.stepper.computed - self.start
        return (self.target - self.start - done) * (time.perf_counter() - self._began) / max(1, done)

    async def reveal(self, look_again: bool = True) -> None:
        """Still running: show the progress bar and the error curve instead of the question."""
        if self._reached is not None:
            return
        if look_again and self.time_left() < ALMOST_DONE:
            self.set_timer(ALMOST_DONE, lambda: self.reveal(look_again=False))
            return
        body = self.query_one("#box")
        body.border_title = self.progress_title()
        await body.remove_children()
        if self._reached is None:  # it may have finished meanwhile, and the box closed
            await body.mount_all(self.progress_view())
            self.show_progress()
