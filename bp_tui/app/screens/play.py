"""Auto-play: the sub-steps shown one after another at a pace, while the learner watches the picture.

p starts and pauses; + and - change the pace (the header says it: `▶ 2 steps/s`); n plays on
through the rounds. Playing stops by itself at the end of a round (unless n), at a quiz question,
where training diverged, when a box opens over the screen, and at any other key (which then does
what it does). The picture already lights each sub-step's path with arrow heads, forward lines
left to right and deltas right to left; one beat more at the end of each phase lets the learner see
one pass finish before the next begins.

One Textual timer at most: started by `start_playing`, stopped by `stop_playing` (pause, any key,
the end, a question, opening another scenario, the screen going away), which every path goes through.

A mixin of StepperScreen, which provides `stepper`, `study`, `show` and `say`.
"""

from __future__ import annotations

from textual import events

from ..commands import KEY_ACTIONS
from ..timers import StoppableTimer

PACES = (0.5, 1.0, 2.0, 4.0, 8.0)  # sub-steps per second
START_PACE = 2
PHASE_BEATS = 1  # ticks of pause after the last sub-step of a phase
PLAY_ACTIONS = frozenset({"play", "play_on", "faster", "slower"})  # keys that do not stop playing


def pace_text(pace: float) -> str:
    return f"{pace:g} step/s" if pace == 1 else f"{pace:g} steps/s"


class AutoPlay:
    play_timer: StoppableTimer | None = None
    pace_index = PACES.index(START_PACE)
    play_through = False  # n: on into the next rounds
    beats = 0  # ticks still to wait before the next sub-step (the end of a phase)

    @property
    def playing(self) -> bool:
        return self.play_timer is not None

    def playing_text(self) -> str:
        """What the header says while playing ("" when not)."""
        if not self.playing:
            return ""
        return f"{'▶▶' if self.play_through else '▶'} {pace_text(PACES[self.pace_index])}"

    # --- the keys -------------------------------------------------------------------------------

    def action_play(self) -> None:
        if self.playing:
            self.stop_playing("Paused: p plays on.")
        else:
            self.start_playing(through=False)

    def action_play_on(self) -> None:
        if self.playing and self.play_through:
            self.stop_playing("Paused: n plays on through the rounds, p to the end of this one.")
        else:
            self.start_playing(through=True)

    def action_faster(self) -> None:
        self.change_pace(+1)

    def action_slower(self) -> None:
        self.change_pace(-1)

    def change_pace(self, by: int) -> None:
        index = max(0, min(len(PACES) - 1, self.pace_index + by))
        if index == self.pace_index:
            self.say(f"{pace_text(PACES[index])} is the {'fastest' if by > 0 else 'slowest'} pace.")
            return
        self.pace_index = index
        if self.playing:
            self.start_timer()
            self.show()
        else:
            self.say(f"Pace: {pace_text(PACES[index])} (p plays).")

    def key_stops_playing(self, event: events.Key) -> None:
        """Any key but the play keys stops playing (and then does what it does)."""
        if self.playing and KEY_ACTIONS.get(event.key) not in PLAY_ACTIONS:
            self.stop_playing("Paused by a key: p plays on.")

    # --- the timer ------------------------------------------------------------------------------

    def start_playing(self, through: bool) -> None:
        if self.study.asking:
            self.say("A question is waiting for your answer: playing would skip it.")
            return
        if self.stepper.diverged_at is not None and self.stepper.completed >= self.stepper.diverged_at:
            self.say("Training diverged here: nothing further to play (r resets).")
            return
        self.play_through, self.beats = through, 0
        self.start_timer()
        self.show()
        self.say("Playing to the end of the round: p pauses, + and - change the pace, any key stops." if not through
                 else "Playing on through the rounds: n or p pauses, + and - change the pace, any key stops.")

    def start_timer(self) -> None:
        if self.play_timer is not None:
            self.play_timer.stop()  # (never two)
        self.play_timer = StoppableTimer(self, 1 / PACES[self.pace_index], self.play_tick)

    def stop_playing(self, why: str | None = None, redraw: bool = True) -> None:
        """Stop the timer; `redraw` the header without the pace and say `why` (not when the screen goes)."""
        if self.play_timer is None:
            return
        self.play_timer.stop()
        self.play_timer = None
        if redraw:
            self.show()
            self.say(why)

    def play_tick(self) -> None:
        if self.app.screen is not self:  # (a box opened over the screen: the learner is elsewhere)
            self.stop_playing("Paused while a box was open: p plays on.")
            return
        if self.beats:
            self.beats -= 1
            return
        stepper = self.stepper
        if stepper.round_done and not self.play_through:
            self.stop_playing(f"End of round {stepper.completed}: p plays the next one, n plays on through them.")
            return
        if not stepper.next():
            self.stop_playing("Nothing further to play: training diverged (r resets)."
                              if stepper.diverged_at is not None else "Nothing further to play.")
            return
        self.study.ask(stepper)  # (in quiz mode the value waits for an answer: playing stops there)
        if self.study.asking:
            self.stop_playing("A question: type your answer (p plays on after it).")
            self.quiz_summary()
            return
        following = stepper.window(stepper.k, stepper.k + 1) if stepper.k < stepper.count else []
        step = stepper.current
        if not following or (following[0].phase, following[0].sample) != (step.phase, step.sample):
            self.beats = PHASE_BEATS  # the end of a pass: a beat to see it whole
        self.show()
