"""A matrix form as lines of text: the equation, the shapes, then the matrices side by side.

    net_h = W¹ · i + b₁
    shapes: (2×1) = (2×2) · (2×1) + (1×1)
           net_h        W¹              i
       h1 [0.3775]  =  [0.15  0.2]  ·  [0.05]  +  0.35
       h2 [0.3925]     [0.25  0.3]     [ 0.1]

When they do not fit the width, each matrix gets lines of its own instead. A matrix larger than
MAX_ROWS × MAX_COLS shows its corners, with ⋮ and … for what is left out (the data keeps it all).
"""

from __future__ import annotations

from ..engine.records import num
from .matrix_parts import Matrix, MatrixForm

MAX_ROWS, MAX_COLS = 8, 6


def text_lines(form: MatrixForm, width: int = 78) -> list[str]:
    lines = [form.equation, f"shapes: {form.shapes}"]
    side_by_side = _side_by_side(form.terms)
    if max(map(len, side_by_side)) <= width:
        lines += side_by_side
    else:
        lines += _stacked(form.terms)
    return lines + list(form.notes)


def _cells(m: Matrix) -> list[list[str]]:
    """The numbers as text, with the middle rows and columns of a large matrix left out."""
    rows = [[num(x) for x in row] for row in m.values]
    if len(rows) > MAX_ROWS:
        rows = rows[:MAX_ROWS - 3] + [["⋮"] * len(rows[0])] + rows[-2:]
    if rows and len(rows[0]) > MAX_COLS:
        rows = [row[:MAX_COLS - 2] + ["…"] + row[-1:] for row in rows]
    return rows


def _row_labels(m: Matrix) -> list[str]:
    labels = list(m.rows)
    if len(labels) > MAX_ROWS:
        labels = labels[:MAX_ROWS - 3] + [""] + labels[-2:]
    return labels


def _body(m: Matrix, labels: bool) -> list[str]:
    cells = _cells(m)
    if len(cells) == 1 and len(cells[0]) == 1:
        body = [cells[0][0]]  # a scalar needs no brackets
    else:
        widths = [max(len(row[c]) for row in cells) for c in range(len(cells[0]))]
        body = ["[" + "  ".join(cell.rjust(w) for cell, w in zip(row, widths)) + "]" for row in cells]
    names = _row_labels(m)
    if labels and any(names):
        size = max(map(len, names))
        body = [f"{name.rjust(size)} {line}" for name, line in zip(names, body)]
    return body


def _side_by_side(terms) -> list[str]:
    pieces = []
    for i, item in enumerate(terms):
        if isinstance(item, Matrix):
            body = _body(item, labels=i == 0)
            offset = len(body[0]) - len(_body(item, labels=False)[0])
            pieces.append((" " * offset + item.symbol, body))
        else:
            pieces.append(("", [item]))
    height = max(len(body) for _h, body in pieces)
    middle = (height - 1) // 2
    columns = []
    for header, body in pieces:
        size = max(len(header), *map(len, body))
        top = middle if len(body) == 1 else (height - len(body)) // 2
        lines = [""] * top + body + [""] * (height - top - len(body))
        columns.append([header.ljust(size)] + [line.ljust(size) for line in lines])
    return [" ".join(column[r] for column in columns).rstrip() for r in range(height + 1)]


def _stacked(terms) -> list[str]:
    lines = []
    for item in terms:
        if isinstance(item, Matrix):
            lines.append(f"  {item.symbol} {item.shape}:")
            lines += ["    " + line for line in _body(item, labels=True)]
        elif item != "=":
            lines.append(f"  {item}")
    return lines
