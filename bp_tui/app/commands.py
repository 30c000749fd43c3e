"""The app's commands, in one table: the key bindings, the footer, the help and the command palette
are all made from it, so they cannot disagree."""

from __future__ import annotations

from typing import NamedTuple


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
    Command("left_square_bracket", "[", "prev_phase", "phase back", "back to the end of the previous phase", False),
    Command("enter", "enter", "finish", "round", "finish this round and show the new error (again: next round)"),
    Command("f", "f", "fast_forward", "fast-fwd", "fast-forward many epochs in the background"),
    Command("r", "r", "reset", "reset", "back to the start, with the scenario's weights"),
    Command("o", "o", "open", "open", "open another scenario: a built-in one or a file"),
    Command("question_mark", "?", "help", "help", "help: every key, and how to read the names"),
    Command("q", "q", "quit", "quit", "quit"),
]


def palette_title(command: Command) -> str:
    return command.description[0].upper() + command.description[1:]
