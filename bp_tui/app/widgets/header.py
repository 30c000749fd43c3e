"""One line at the top: the scenario's title on the left, where the learner is on the right.

The position (round, sample, phase, step k of n) matters more than the title, so on a narrow
terminal the title is the part that gets shortened. The title is scenario text: it is drawn as a
rich Text, never parsed as markup, so a title like "x[i] and [W]" shows exactly as written.
"""

from __future__ import annotations

from rich.text import Text

from ..frame import Frame, divergence_text, phase_title
from .lines import LinePanel


class StatusHeader(LinePanel):
    def state_for(self, frame: Frame) -> tuple:
        return frame.stepper.scenario.display_title, self.positions(frame), divergence_text(frame)

    def needs_layout(self, rows: int) -> bool:
        return False  # always one line high (a position too long for a narrow terminal is cut)

    @staticmethod
    def positions(frame: Frame) -> tuple[str, str]:
        """The position in full, then in short for narrow terminals."""
        total = frame.count
        step = frame.current
        if step is None:
            where = "not started"
        elif frame.round_done:
            where = "done" if frame.diverged_at is not None else "done, space: next round"
        else:
            where = phase_title(step, frame.samples)
        full = f"round {frame.epoch + 1} · {where} · step {frame.k} of {total}"
        return full, f"round {frame.epoch + 1} · step {frame.k}/{total}"

    def lines_of(self, shown: tuple | None, width: int) -> list[Text]:
        if shown is None:
            return [Text("")]
        title, (full, short), diverged = shown
        right = Text()
        if diverged:
            right.append(f" {diverged} ", style="reverse bold")
            right.append("  ")
        # The full position if it leaves the title some room, else the short one.
        position = full if right.cell_len + len(full) + 12 <= width else short
        right.append(position, style="bold")
        room = width - right.cell_len - 2
        # No room: no title (rich's truncate to 0 would keep it whole and push the status off the line).
        left = Text(title, no_wrap=True) if room > 1 else Text("")
        left.truncate(max(0, room), overflow="ellipsis")
        gap = max(1, width - left.cell_len - right.cell_len)
        return [Text.assemble(left, " " * gap, right, no_wrap=True, overflow="ellipsis")]
