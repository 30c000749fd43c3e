"""A panel in the step panel's place whose text is worked out for each sub-step: the chain rule
written out, or the sub-step's layer in matrix form.

Both are worked out from the whole round's numbers (bp_tui.study.explain). For the built-in scenarios
that takes a few milliseconds and is done on the spot; on a large network (a 2-64-64-64-2 network has
52,000 sub-steps a round) one can take a quarter of a second, which a key must not wait for. There
a worker thread works it out while the panel says so, and the panel shows it when it is ready, if
the learner is still on that sub-step. Either way the text is kept (by stepper, edits, round,
sub-step and width), so going back and forth costs nothing, and the next sub-step is worked out
ahead while the learner reads this one.

The text is plain (formulas hold brackets): each line becomes a rich Text, never markup.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import partial

from rich.text import Text
from textual.message import Message
from textual.worker import Worker, WorkerState

from ...engine.records import Step
from ...engine.stepper import Stepper
from ..frame import Frame, shown
from .panel import LinePanel

INLINE_MAX_STEPS = 1000  # rounds of at most this many sub-steps are worked out on the spot
KEPT = 256  # texts kept per panel (a round's worth, and more)


class WorkedPanel(LinePanel):
    """Subclasses say what they show (`what`, `work_out`, `present`, `absent`)."""

    what = ""  # what the panel shows, for its messages: "the chain rule"

    class Ready(Message):
        """A text worked out in the background is on screen: its height may have changed."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._kept: OrderedDict[tuple, list[str] | None] = OrderedDict()
        self._busy: tuple[Worker, tuple] | None = None  # the worker running, and the key it works out
        self._wanted: tuple | None = None  # (key, step, stepper, width) to work out next

    # --- for subclasses ----------------------------------------------------------------------

    def work_out(self, step: Step, stepper: Stepper, width: int) -> list[str] | None:
        """The text for a sub-step (None: it has none). May run in a worker thread."""
        raise NotImplementedError

    def present(self, step: Step, text: list[str], width: int) -> list[Text]:
        """The worked-out text as the panel shows it."""
        raise NotImplementedError

    def absent(self, step: Step) -> list[Text]:
        """What the panel says for a sub-step that has no such text."""
        raise NotImplementedError

    width_matters = False  # whether the text is worked out for the panel's width

    # --- the text for a frame ----------------------------------------------------------------

    def key(self, frame: Frame, width: int) -> tuple:
        return frame.stepper, frame.edits, frame.epoch, frame.k, width if self.width_matters else 0

    def lines_for(self, frame: Frame | None, width: int) -> list[Text]:
        if frame is None:
            return []
        step = frame.current
        if step is None:
            return [Text(f"Nothing computed yet: press space for the first sub-step, then see {self.what} "
                         "of each one here.")]
        if frame.masked:  # (it would give the value away)
            return [Text(f"{self.what[0].upper()}{self.what[1:]} of {step.quantity} is shown once you have "
                         "answered: it ends on the value asked.", style="italic")]
        if self._kept and next(iter(self._kept))[0] is not frame.stepper:
            self._kept.clear()  # (another scenario, or reopened: the texts kept are of a stepper gone)
        key = self.key(frame, width)
        if key not in self._kept:
            if frame.count > INLINE_MAX_STEPS:
                self.work_out_later(key, step, frame.stepper, width)
                return [Text(f"Working out {self.what} of {step.quantity}…", style="italic")]
            self.keep(key, self.work_out(step, frame.stepper, width))
        text = self._kept[key]
        return self.absent(step) if text is None else self.present(step, text, width)

    def keep(self, key: tuple, text: list[str] | None) -> None:
        self._kept[key] = text
        self._kept.move_to_end(key)
        while len(self._kept) > KEPT:
            self._kept.popitem(last=False)

    def prepare(self, frame: Frame) -> None:
        # On a large network the worker draws ahead once this sub-step is done (see worked_out).
        if frame.count <= INLINE_MAX_STEPS or self.key(frame, self.content_width) in self._kept:
            super().prepare(frame)

    def rows_to_keep_in_view(self) -> tuple[int, int]:
        return 0, 1  # read from the top

    # --- the worker ----------------------------------------------------------------------------

    def work_out_later(self, key: tuple, step: Step, stepper: Stepper, width: int) -> None:
        """Work the text out in a worker thread: now, or after the one being worked out."""
        if self._busy is not None:
            if self._busy[1] != key:
                self._wanted = (key, step, stepper, width)
            return
        worker = self.run_worker(partial(self.work_out, step, stepper, width), thread=True,
                                 exit_on_error=False, group="worked-out")
        self._busy = (worker, key)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if self._busy is None or event.worker is not self._busy[0]:
            return
        event.stop()
        if event.state == WorkerState.SUCCESS:
            self.worked_out(event.worker.result)
        elif event.state in (WorkerState.ERROR, WorkerState.CANCELLED):
            self.worked_out([f"{self.what} could not be worked out: {event.worker.error}"])

    def worked_out(self, text: list[str] | None) -> None:
        key = self._busy[1]
        self._busy = None
        self.keep(key, text)
        frame = self.frame
        if frame is not None and frame.current is not None and key == self.key(frame, self.content_width):
            self.redraw()
            self.post_message(self.Ready())
        wanted, self._wanted = self._wanted, None
        if wanted is not None and wanted[0] not in self._kept:
            self.work_out_later(*wanted)
        elif frame is not None:
            ahead = frame.predicted()
            if ahead is not None and ahead.current is not None:
                ahead_key = self.key(ahead, self.content_width)
                if ahead_key not in self._kept:
                    self.work_out_later(ahead_key, ahead.current, ahead.stepper, self.content_width)


def value_heading(step: Step, after: str) -> Text:
    """`dE_total/dw5 = 0.082167041` in bold, then a few words of ours."""
    return Text.assemble((f"{step.quantity} = {shown(step.value)}", "bold"), after)
