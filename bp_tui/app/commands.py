"""The app's commands, in one table: the key bindings, the footer, the help and the command palette
are all made from it, so they cannot disagree."""

from __future__ import annotations

from typing import NamedTuple

from textual.binding import Binding


class Command(NamedTuple):
    keys: str  # Textual key names, comma-separated
    shown: str  # how the help writes the keys
    action: str  # the app's action_<name>
    label: str  # short, for the footer
    description: str  # for the help and the command palette
    in_footer: bool = True


COMMANDS = [
    Command("space,right", "space  →", "next", "next", "next sub-step"),
    Command("left,backspace", "←  backspace", "back", "back", "previous sub-step (back across rounds, to the start)"),
    Command("right_square_bracket", "]", "next_phase", "phase", "rest of this phase, or the whole next one"),
    Command("left_square_bracket", "[", "prev_phase", "phase back", "start of this phase, or of the one before", False),
    Command("enter", "enter", "finish", "round", "finish this round and show the new error (again: next round)"),
    Command("f", "f", "fast_forward", "fast-fwd", "fast-forward many epochs in the background"),
    Command("r", "r", "reset", "reset", "back to the start, with the scenario's weights", False),
    Command("t", "t", "toggle_network", "table", "the network as a picture or as a table (again: back)"),
    Command("p", "p", "play", "play", "play the sub-steps on their own to the end of the round (again, or any "
            "other key: pause)", False),
    Command("n", "n", "play_on", "play on", "play on through the rounds, without stopping at the end of each", False),
    Command("plus,equals_sign", "+", "faster", "faster", "play faster (the header shows the pace)", False),
    Command("minus", "-", "slower", "slower", "play slower", False),
    Command("s", "s", "select", "select", "select a neuron, weight or bias (or click one) to read its story this "
            "round (again or escape: back)", False),
    Command("tab", "tab", "select_next", "next one", "select the next neuron, weight or bias, in reading order",
            False),
    Command("shift+tab", "shift+tab", "select_previous", "previous one", "select the one before", False),
    Command("o", "o", "open", "open", "open another scenario: a built-in one or a file"),
    Command("k", "k", "quiz", "quiz", "quiz mode on or off: type each value before it is shown", False),
    Command("x", "x", "export", "export", "export this round as a worked example (md, tex, csv or json)", False),
    Command("g", "g", "gradcheck", "grad check", "check the gradients numerically, at the weights on screen",
            False),
    Command("e", "e", "edit", "edit", "change the learning rate, the momentum, a weight or a bias", False),
    Command("w", "w", "save_scenario", "save", "save the network as it stands (with edits) as a scenario file",
            False),
    Command("y", "y", "check_figures", "your figures",
            "check your own figures: paste a page (or open a file), see each marked, go to the first wrong", False),
    Command("d", "d", "chain_rule", "chain rule", "the chain rule written out for this sub-step (again or escape: "
            "back)", False),
    Command("m", "m", "matrix_form", "matrix", "this sub-step's whole layer in matrix form, numbers and shapes "
            "(again: back)", False),
    Command("b", "b", "boundary", "boundary", "the decision boundary in the error chart's place, for two inputs "
            "(again: back)", False),
    Command("l", "l", "boundary_lines", "lines", "the hidden neurons' lines on the decision boundary, on or off",
            False),
    Command("c", "c", "compare", "compare", "compare with a second scenario: its error curve over this one's "
            "(again: close)", False),
    Command("escape", "escape", "close_view", "close", "close the chain rule or matrix form, else the boundary "
            "or comparison", False),
    Command("pagedown", "pgdn", "view_page_down", "page down", "scroll the view opened (or the step panel) a "
            "page down", False),
    Command("pageup", "pgup", "view_page_up", "page up", "scroll the view opened (or the step panel) a page up",
            False),
    Command("question_mark", "?", "help", "help", "help: every key, and how to read the names"),
    Command("q", "q", "quit", "quit", "quit"),
]


# The study commands: the help lists them in a section of their own, after the scenario's description.
STUDY_ACTIONS = frozenset({"quiz", "export", "gradcheck", "edit", "save_scenario", "check_figures"})
# ... with the views of why (screens/why.py)
STUDY_ACTIONS |= {"chain_rule", "matrix_form", "boundary", "boundary_lines", "compare", "close_view",
                  "view_page_down", "view_page_up"}


# ... with playing and pointing (screens/play.py, point.py)
STUDY_ACTIONS |= {"play", "play_on", "faster", "slower", "select", "select_next", "select_previous"}


APP_ACTIONS = frozenset({"quit"})  # the app's own actions (the others are the stepper screen's)


KEY_ACTIONS = {key: c.action for c in COMMANDS for key in c.keys.split(",")}  # Textual key name -> action


def shown_key(action: str) -> str:
    """The first key of an action as the help writes it ("]", "space")."""
    return next(c.shown.split()[0] for c in COMMANDS if c.action == action)


def palette_title(command: Command) -> str:
    return command.description[0].upper() + command.description[1:]


def bindings() -> list[Binding]:
    """The stepper screen's key bindings, one per command (the footer shows those marked in_footer)."""
    return [Binding(c.keys, f"app.{c.action}" if c.action in APP_ACTIONS else c.action, c.label,
                    show=c.in_footer, key_display=c.shown.split()[0]) for c in COMMANDS]


def help_keys(study: bool) -> list[tuple[str, str]]:
    """(keys, description) for the help: the study commands, or the others."""
    return [(c.shown, c.description) for c in COMMANDS if (c.action in STUDY_ACTIONS) == study]
