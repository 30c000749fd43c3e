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


def network_share(rows: int, squeeze: bool = False) -> int:
    """The most rows the network panel (title included) gets in `rows`: NETWORK_ROWS or half the room,
    as long as the step panel keeps STEP_MIN lines. With `squeeze`, one more: a network picture that
    fits only so takes a line from the step panel (which scrolls), rather than fall back to the table
    (the ReLU network at 80x24)."""
    room = max(0, rows - QUANTITY_ROWS - 1)
    return min(room - STEP_MIN - 1, max(NETWORK_ROWS, room // 2)) + int(squeeze)


def picture_rows(rows: int) -> tuple[int, int, int]:
    """Rows the network's picture may take in `rows` (the panel's title aside), from the roomiest
    choice to the tightest: leaving the step panel STEP_LINES (only then is a roomy layout, with
    headings, worth its rows), within the network's share, and at a squeeze."""
    room = max(0, rows - QUANTITY_ROWS - 1)
    share = network_share(rows) - 1
    return min(share, room - STEP_LINES - 2), share, network_share(rows, squeeze=True) - 1


def share_rows(rows: int, network: int, step: int, squeeze: bool = False) -> tuple[int, int]:
    """Heights of the network and step panels (titles included) in `rows` rows shared with the
    quantities: each gets what its text asks for (`network`, `step`) as far as the room goes, the
    network at most its share (`network_share`), and the step panel at least its title and STEP_MIN
    rows whenever the room allows (one fewer at a squeeze). The quantities get the rest: at least
    QUANTITY_ROWS and their title."""
    room = max(0, rows - QUANTITY_ROWS - 1)
    network_height = max(2, min(network, network_share(rows, squeeze)))
    return network_height, max(2, min(step, room - network_height))


