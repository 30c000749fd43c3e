"""Point and ask: select a neuron, weight or bias and read its story this round (study/story.py).

s selects (the current sub-step's weight or neuron, else the first) and opens the story in the step
panel's place; tab and shift+tab move the selection in reading order (study.story.selectables); a
click on a name in the picture or the table selects it too. The selection is marked ▸ ◂ in the
picture and the table, and the story follows the learner as they step on. s again, or escape,
closes it and returns to stepping.

A mixin of StepperScreen (with WhyViews, whose step-panel views the story is one of), which
provides `stepper`, `frame`, `show`, `say` and `show_step_view`.
"""

from __future__ import annotations

STORY = "story"  # the view's id (screens/why.py)


class Pointing:
    selected = ""  # the neuron, weight or bias selected, or ""

    def names(self) -> tuple[str, ...]:
        from ...study.story import selectables  # (with the chain-rule text it needs, when first asked: start-up)

        return selectables(self.stepper.layout)

    def action_select(self) -> None:
        if self.selected:
            self.show_step_view("")
            return
        self.select(self.subject())

    def action_select_next(self) -> None:
        self.move_selection(+1)

    def action_select_previous(self) -> None:
        self.move_selection(-1)

    def move_selection(self, by: int) -> None:
        names = self.names()
        if not self.selected:
            self.select(names[0] if by > 0 else names[-1])
            return
        self.select(names[(names.index(self.selected) + by) % len(names)])

    def subject(self) -> str:
        """What the current sub-step is about: its weight or bias, else its neuron, else the first name."""
        step, names = self.stepper.current, self.names()
        if step is not None:
            for name in (*step.params, *step.neurons):
                if name in names:
                    return name
        return names[0]

    def select(self, name: str) -> None:
        if self.too_large("gathered into a story", export=False):  # (a story reads the whole round)
            return
        self.selected = name
        if self.step_view != STORY:
            self.show_step_view(STORY)  # (shows the frame: see show_step_view)
        else:
            self.show()
        self.say(f"{name} selected · tab, shift+tab or a click: another · s or escape: back")

    def show_step_view(self, view: str) -> None:
        if view != STORY:
            self.selected = ""  # (closing the story, or opening another view in its place)
        super().show_step_view(view)
        self.show()

    def on_diagram_picked(self, message) -> None:
        """A click on a name in the network panel."""
        if message.name in self.names():
            self.select(message.name)

    def forget_selection(self) -> None:
        """Another network: its names differ."""
        if self.selected:
            self.show_step_view("")
