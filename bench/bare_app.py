"""The floor for start-up and key latency: a minimal Textual app with one Static.

Space changes the Static's text, so a key costs one repaint, as a sub-step does in bp-tui.
"""

from textual.app import App, ComposeResult
from textual.widgets import Static


class BareApp(App):
    BINDINGS = [("space", "bump", "bump"), ("q", "quit", "quit")]

    def compose(self) -> ComposeResult:
        self.count = 0
        yield Static("bench ready", id="text")

    def action_bump(self) -> None:
        self.count += 1
        self.query_one("#text", Static).update(f"bench ready {self.count}")


if __name__ == "__main__":
    BareApp().run()
