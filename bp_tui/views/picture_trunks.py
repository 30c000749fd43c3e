"""Choosing how each source's trunk fans out to its lanes: the trunks' order, left to right, and
the row where each source leaves its column, so that lines cross as little as possible and never
run along one another. A small exhaustive search, done once per layout.
"""

from __future__ import annotations

import itertools


def best_trunks(sources, fan, lane_row, choices, heights):
    """The trunk order and lead rows with the fewest crossings, none of them drawn over a line.

    A crossing costs 10, a four-way join (it would look like a crossing) 100, a lead row that is
    not the source's preferred one (its first choice) 1, a bend (a lead row with no lane) 1. Nodes
    of their own (`heights` given) must not overlap. A lead may not run along another's lane.
    """
    rows_of = {s: [lane_row[e.id] for e in fan[s]] for s in sources}
    options = [choices[s][:8] for s in sources]
    orders = list(itertools.permutations(sources)) if len(sources) <= 5 else [tuple(sources)]
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
        spans = {s: (min(rows_of[s] + [lead[s]]), max(rows_of[s] + [lead[s]])) for s in sources}
        for order in orders:
            cost = _cost(order, lead, rows_of, spans, choices)
            if cost is not None and (best_cost is None or cost < best_cost):
                best, best_cost = (order, lead), cost
    if best is None:  # nothing clean: the natural order (lines may touch)
        return tuple(sources), {s: choices[s][0] for s in sources}
    return best


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


def _cost(order, lead, rows_of, spans, choices):
    position = {s: i for i, s in enumerate(order)}
    cost = 0
    for s in order:
        lo, hi = spans[s]
        r = lead[s]
        for t in order:
            if t == s:
                continue
            t_lo, t_hi = spans[t]
            if position[t] < position[s]:  # s's lead passes t's trunk
                if r in rows_of[t]:
                    return None  # ... and would run along t's lane
                if t_lo <= r <= t_hi:
                    cost += 10
            else:  # s's lanes pass t's trunk
                cost += 10 * sum(1 for lane in rows_of[s] if t_lo <= lane <= t_hi)
        if lo < r < hi and r in rows_of[s]:
            cost += 100
        if r not in rows_of[s]:
            cost += 1
        if r != choices[s][0]:
            cost += 1
    return cost
