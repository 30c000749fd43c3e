"""Choosing how each source's trunk fans out to its lanes: the trunks' order, left to right, and
the row where each source leaves its column, so that lines cross as little as possible and never
run along one another. A small exhaustive search, done once per layout.
"""

from __future__ import annotations

import itertools


def best_trunks(sources, fan, lane_row, choices, heights):
    """The trunk order and lead rows with the fewest crossings, none of them drawn over a line.

    A crossing costs 10, a four-way join (it would look like a crossing) 1000, a lead row that is
    not the source's preferred one (its first choice) 1, a bend (a lead row with no lane) 1. Nodes
    of their own (`heights` given) must not overlap. A lead may not run along another's lane.
    The cost of an order is a sum over pairs of sources (which of the two is left of the other),
    so pairs are scored once per choice of lead rows and orders only add them up.
    """
    rows_of = {s: [lane_row[e.id] for e in fan[s]] for s in sources}
    options = [choices[s][:6] for s in sources]
    orders = list(itertools.permutations(range(len(sources)))) if len(sources) <= 5 else [tuple(range(len(sources)))]
    combos = 1
    for o in options:
        combos *= len(o)
    while combos * len(orders) > 20000 and max(map(len, options)) > 1:
        longest = max(range(len(options)), key=lambda i: len(options[i]))
        combos = combos // len(options[longest]) * (len(options[longest]) - 1)
        options[longest] = options[longest][:-1]
    best, best_cost = None, None
    for leads in itertools.product(*options):
        lead = dict(zip(sources, leads))
        if heights is not None and _overlap(sources, lead, heights):
            continue
        base, left_of = _scores(sources, lead, rows_of, choices)
        for order in orders:
            cost = base
            for i, a in enumerate(order):
                for b in order[i + 1:]:
                    pair = left_of[a][b]
                    if pair is None:
                        break
                    cost += pair
                else:
                    continue
                break
            else:
                if best_cost is None or cost < best_cost:
                    best, best_cost = (tuple(sources[i] for i in order), lead), cost
    if best is None:  # nothing clean: the natural order (lines may touch)
        return tuple(sources), {s: choices[s][0] for s in sources}
    return best


def _scores(sources, lead, rows_of, choices):
    """(the cost of each source alone, left_of[a][b]: the cost of a's trunk left of b's, None when
    a line would run along another)."""
    spans = [(min(rows_of[s] + [lead[s]]), max(rows_of[s] + [lead[s]])) for s in sources]
    base = 0
    for i, s in enumerate(sources):
        r, (lo, hi) = lead[s], spans[i]
        base += (1000 if lo < r < hi and r in rows_of[s] else 0) + (r not in rows_of[s]) + (r != choices[s][0])
    left_of = [[0] * len(sources) for _ in sources]
    for i, a in enumerate(sources):
        for j, b in enumerate(sources):
            if i == j:
                continue
            if lead[b] in rows_of[a]:  # b's lead would pass a's trunk along a's lane
                left_of[i][j] = None
                continue
            a_lo, a_hi = spans[i]
            b_lo, b_hi = spans[j]
            passes = 10 if a_lo <= lead[b] <= a_hi else 0  # b's lead crosses a's trunk
            left_of[i][j] = passes + 10 * sum(1 for lane in rows_of[a] if b_lo <= lane <= b_hi)
    return base, left_of


def _overlap(sources, lead, heights) -> bool:
    used: set[int] = set()
    for s in sources:
        if s not in heights:
            continue
        rows = set(range(lead[s], lead[s] + heights[s]))
        if used & rows:
            return True
        used |= rows
    return False
