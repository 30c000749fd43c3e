"""The phases of a round: ids that name themselves, and how they are written on screen.

A round is a forward pass, the error, the backward pass one section per layer (the article's
"output layer" and "hidden layer" sections), the update when it comes at the end, and the new
error. A phase id carries everything its label needs, so `phase_label(id)` works from the id alone:

    forward            forward pass
    error              error
    backward-output    backward pass · output layer
    backward-hidden    backward pass · hidden layer      (the network has one hidden layer)
    backward-hidden-2  backward pass · hidden layer 2    (numbered from the inputs up)
    update             update
    evaluate           new error
"""

from __future__ import annotations

PHASES = ("forward", "error", "backward", "update", "evaluate")  # the kinds of phase, in a round's order
PHASE_LABELS = {
    "forward": "forward pass",
    "error": "error",
    "backward": "backward pass",  # a backward phase's kind (and the one backward phase of older saved scores)
    "update": "update",
    "evaluate": "new error",
}
_BACKWARD = "backward-"


def backward_phase(layer: int, depth: int) -> str:
    """The id of the backward pass's section through `layer` (1 .. depth) of a network `depth`
    weight layers deep: backward-output, then backward-hidden or backward-hidden-N."""
    if layer == depth:
        return _BACKWARD + "output"
    return _BACKWARD + ("hidden" if depth == 2 else f"hidden-{layer}")


def phase_kind(phase: str) -> str:
    """One of PHASES: "backward" for every section of the backward pass."""
    return "backward" if phase.startswith(_BACKWARD) else phase


def phase_label(phase: str) -> str:
    """How a phase is named on screen and in documents ("backward pass · output layer"), from its id."""
    if phase.startswith(_BACKWARD):
        kind, _, number = phase[len(_BACKWARD):].partition("-")
        return f"{PHASE_LABELS['backward']} · {kind} layer" + (f" {number}" if number else "")
    return PHASE_LABELS.get(phase, phase)
