"""How the rows of the terminal are shared between the panels of the stepper screen.

The header, the status line and the footer take a row each, the quiz bar three while quiz mode is on.
The network and the step panel take the rows their text asks for within what is left, and the
quantities beside the error chart the rest: at least QUANTITY_ROWS of them, so that the current
quantity keeps some of its context at 80x24 too. What does not fit scrolls inside its own panel.
"""

from __future__ import annotations

QUANTITY_ROWS = 5  # the quantities panel never has fewer rows than this (plus its title)
FIXED_ROWS = 3  # header, status line, footer
QUIZ_ROWS = 3  # the quiz bar, in quiz mode
NETWORK_ROWS = 10  # the network may take this many rows, or half the room, whichever is more
STEP_MIN = 5  # the step panel keeps this many lines whenever the room allows: formula, numbers, value, sentence
STEP_LINES = 7  # ... and asks for this many at least: most steps' text, a note included, so its height
# changes seldom (a new height is a new layout of the screen, and a panel that resizes on every key jumps)


def share_rows(rows: int, network: int, step: int) -> tuple[int, int]:
    """Heights of the network and step panels (titles included) in `rows` rows shared with the
    quantities: each gets what its text asks for (`network`, `step`) as far as the room goes, the
    network at most NETWORK_ROWS or half the room, and the step panel at least its title and STEP_MIN
    rows whenever the room allows. The quantities get the rest: at least QUANTITY_ROWS and their title."""
    room = max(0, rows - QUANTITY_ROWS - 1)
    network_height = max(2, min(network, room - STEP_MIN - 1, max(NETWORK_ROWS, room // 2)))
    return network_height, max(2, min(step, room - network_height))


