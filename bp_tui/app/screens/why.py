"""Four ways to see why, on the stepper screen: the chain rule written out (d) and the layer in matrix
form (m) in the step panel's place; the decision boundary (b, with the hidden neurons' lines: l) and
a comparison with a second run (c) in the error chart's place. Escape closes them, the step panel's
first; page up and down scroll the view opened.

Each view is a panel of its own (widgets/chain_rule.py, matrix_form.py, boundary.py, comparison.py),
made when it is first asked for (none exists at start-up) and shown by switching `display`: the
step panel and the error chart stay as they are underneath. The views follow the screen's `frame`
through `watch_frame` here (a panel mounted after compose cannot be bound with data_bind). While a
view is open the network gives up rows to it (down to VIEW_NETWORK_ROWS), and with a view in the
error chart's place the step panel too (down to its least), so the picture has room at 80x24.

A mixin of StepperScreen, which provides `frame`, `stepper`, `say` and `fit_panels`.
"""

from __future__ import annotations

from ..heights import QUANTITY_ROWS, STEP_MIN
from ..widgets.panel import LinePanel

VIEW_NETWORK_ROWS = 5  # the network keeps at least these rows (title included) while a view is open
CHART_VIEW_ROWS = 16  # the boundary or the comparison asks for these (title included), as far as they go

# id -> (title, what the status line says when it opens)
STEP_VIEWS = {
    "chain-rule": (" the chain rule ", "The chain rule: d or escape goes back · m the matrix form · pgdn pgup "
                                       "scroll"),
    "matrix": (" matrix form: the whole layer ", "The matrix form: m or escape goes back · d the chain rule · pgdn "
                                                 "pgup scroll"),
    "story": (" what you selected, this round ", ""),  # (screens/point.py; it keeps the network's rows)
}
CHART_VIEWS = ("boundary", "comparison")
PLACES = {"step": ("formula", STEP_VIEWS), "chart": ("chart", CHART_VIEWS)}  # the usual panel, the views


class WhyViews:
    step_view = ""  # the view in the step panel's place: "" (the step panel), "chain-rule" or "matrix"
    chart_view = ""  # ... in the error chart's place: "" (the chart), "boundary" or "comparison"

    made: dict[str, LinePanel] | None = None  # the views' panels made so far, by id
    # The most rows the open step view has asked for, and for which view and room: it keeps them
    # while the learner steps, so that the network above it does not jump with each text's length.
    view_ask: tuple[tuple[str, int, int], int] = (("", 0, 0), 0)

    def watch_frame(self, frame) -> None:
        for panel in (self.made or {}).values():  # (on every key: a dict, not a query of the screen)
            panel.frame = frame
        if self.step_view:
            self.place_view("step")  # (a question asked, or answered, in quiz mode)

    def why_panel(self, view: str) -> LinePanel:
        """The panel of a view, made and mounted when first asked for."""
        if self.made is None:
            self.made = {}
        if view in self.made:
            return self.made[view]
        if view == "story":
            from ..widgets.story import StoryPanel

            panel = StoryPanel(id=view)
            panel.border_title = STEP_VIEWS[view][0]
            self.mount(panel, before="#formula")
        elif view in STEP_VIEWS:
            from ..widgets.chain_rule import ChainRulePanel
            from ..widgets.matrix_form import MatrixPanel

            panel = (ChainRulePanel if view == "chain-rule" else MatrixPanel)(id=view)
            panel.border_title = STEP_VIEWS[view][0]
            self.mount(panel, before="#formula")
        else:
            from ..widgets.boundary import BoundaryPanel
            from ..widgets.comparison import ComparisonChart

            panel = (BoundaryPanel if view == "boundary" else ComparisonChart)(id=view)
            self.query_one("#lower").mount(panel)
        panel.display = False
        panel.frame = self.frame
        self.made[view] = panel
        return panel

    def step_panel(self) -> LinePanel:
        """The panel in the step panel's place now (the screen sizes it)."""
        view = self.shown_view("step")
        return self.made[view] if view else self.query_one("#formula", LinePanel)

    def panel_asks(self, rows: int, network: int, step: int) -> tuple[int, int]:
        """The rows the network and the step panel ask for (titles included) in `rows` shared with
        the lower row, given the views open: the views get their room before the network, which
        keeps at least VIEW_NETWORK_ROWS (or what it asks, if less)."""
        step_view = self.shown_view("step")
        if step_view == "story" and not self.chart_view:
            return network, step  # (a story is about what the picture shows: the network keeps its rows)
        if not (step_view or self.chart_view):
            return network, step
        if step_view:
            step = self.steady_ask(step_view, rows, step)
        lower = QUANTITY_ROWS + 1  # (what share_rows keeps for the lower row anyway)
        if self.chart_view:
            lower = CHART_VIEW_ROWS
            if not step_view:
                step = max(1 + STEP_MIN, min(step, rows - lower - VIEW_NETWORK_ROWS))
        return max(min(network, VIEW_NETWORK_ROWS), min(network, rows - lower - step)), step

    def steady_ask(self, view: str, rows: int, step: int) -> int:
        """What the open step view asks for: the most it has asked since it opened at this size. A
        derivation's text is longer on some sub-steps than on others; were the view sized to each,
        the network's picture would shrink and grow on every key."""
        place = (view, rows, self.size.width)
        before = self.view_ask[1] if self.view_ask[0] == place else 0
        self.view_ask = (place, max(before, step))
        return self.view_ask[1]

    # --- switching ------------------------------------------------------------------------------

    def show_step_view(self, view: str) -> None:
        self.show_view("step", view)

    def show_chart_view(self, view: str) -> None:
        if self.chart_view == "comparison" and view != "comparison":
            self.made["comparison"].close()
        self.show_view("chart", view)

    def show_view(self, place: str, view: str) -> None:
        """Show `view` in a place ("step" or "chart"), or with "" the panel that is usually there."""
        if view:
            self.why_panel(view)
        setattr(self, f"{place}_view", view)
        self.view_ask = WhyViews.view_ask  # (opened afresh: sized to its text again)
        self.place_view(place)
        self.fit_panels()

    def shown_view(self, place: str) -> str:
        """The view on screen in a place: while a value is asked in quiz mode, the step panel (it holds
        the question, and the chain rule or the matrix form would give the value away)."""
        view = getattr(self, f"{place}_view")
        return "" if place == "step" and self.frame is not None and self.frame.masked else view

    def place_view(self, place: str) -> None:
        usual, views = PLACES[place]
        view = self.shown_view(place)
        for name, panel in (self.made or {}).items():
            if name in views:
                panel.display = name == view
        self.query_one(f"#{usual}").display = not view

    def toggle_step_view(self, view: str) -> None:
        if self.step_view == view:
            self.show_step_view("")
        else:
            self.show_step_view(view)
            self.say(STEP_VIEWS[view][1])

    # --- the keys -------------------------------------------------------------------------------

    def action_chain_rule(self) -> None:
        self.toggle_step_view("chain-rule")

    def action_matrix_form(self) -> None:
        self.toggle_step_view("matrix")

    def action_boundary(self) -> None:
        if self.chart_view == "boundary":
            self.show_chart_view("")
            return
        from ...views.boundary import unsupported

        self.show_chart_view("boundary")
        problem = unsupported(self.stepper.scenario)
        self.say(f"No decision boundary: {problem}." if problem else
                 "The decision boundary: b or escape goes back · l the hidden neurons' lines")

    def action_boundary_lines(self) -> None:
        from ...views.boundary import unsupported

        if self.chart_view != "boundary":
            self.show_chart_view("boundary")
        scenario = self.stepper.scenario
        problem = unsupported(scenario) or (None if len(scenario.layers) > 2 else "the network has no hidden layer")
        if problem:
            self.say(f"No lines of hidden neurons to draw: {problem}.")
            return
        drawn = self.why_panel("boundary").toggle_hidden_lines()
        self.say("The hidden neurons' lines, where each one's net input is 0: l hides them" if drawn else
                 "The hidden neurons' lines are hidden: l draws them")

    def action_compare(self) -> None:
        if self.chart_view == "comparison":
            self.show_chart_view("")
            self.say("Comparison closed.")
            return
        from .open import OpenScreen

        if self.too_large("compared with another run", export=False):  # (a comparison reads it whole)
            return
        box = OpenScreen()
        box.box_title = "compare with a second scenario"
        self.app.push_screen(box, self.compare_with)

    def compare_with(self, scenario) -> None:
        if scenario is None:
            return
        from ..widgets.comparison import run_label

        label = run_label(scenario)
        self.why_panel("comparison").compare_with(label, scenario)
        self.show_chart_view("comparison")
        self.say(f"Comparing with {label} (○), trained as far as this run · c or escape closes it")

    def action_close_view(self) -> None:
        if self.step_view:
            self.show_step_view("")
        elif self.chart_view:
            self.show_chart_view("")

    def action_view_page_down(self) -> None:
        self.scroll_view(1)

    def action_view_page_up(self) -> None:
        self.scroll_view(-1)

    def scroll_view(self, direction: int) -> None:
        """A page of the view open (the step panel's place first), else of the step panel."""
        panel = self.step_panel() if self.step_view or not self.chart_view else self.made[self.chart_view]
        panel.scroll_by(direction * max(1, panel.scrollable_content_region.height - 1))

    def on_worked_panel_ready(self) -> None:
        self.fit_panels()  # (a text worked out in the background may want another height)

    def fast_forward_box(self):
        """The fast-forward box: with the boundary on screen, one that shows it as it moves."""
        from ...views.boundary import unsupported

        if self.chart_view == "boundary" and unsupported(self.stepper.scenario) is None:
            from .fast_forward_boundary import BoundaryFastForward

            return BoundaryFastForward(self.stepper, self.why_panel("boundary").hidden_lines)
        from .fast_forward import FastForwardPrompt

        return FastForwardPrompt(self.stepper)
