"""The error chart's bars: Textual's Sparkline, its rows kept framed like the panels'.

A module of its own so that the Sparkline (and the statistics module it imports) loads only once
there is a curve to draw, after round 1: the first screen usually has none (start-up, issue 6).
"""

from __future__ import annotations

from textual.widgets import Sparkline

from .lines import FramedRows


class ChartCurve(FramedRows, Sparkline):
    """The bars of the log of the error."""
