"""`bp-tui compare`: two scenarios trained side by side, their error curves on one chart."""

from __future__ import annotations

from .common import add_size_options, colour_wanted, epochs_arg


def add_parsers(sub) -> None:
    compare = sub.add_parser(
        "compare", help="train two scenarios and compare their errors and round 1",
        # argparse fills in %(prog)s in a description only when it has one: a lone % stays as written
        description="Trains two scenarios (built-in names or files) for the same number of epochs and "
                    "prints both error curves on one chart, the epoch where each first falls below "
                    "10%, 1% and 0.1% of its starting error, which one diverged and when, and the "
                    "quantities of round 1 whose values differ.")
    compare.add_argument("a", metavar="A", help="the first scenario (● on the chart)")
    compare.add_argument("b", metavar="B", help="the second scenario (○ on the chart)")
    compare.add_argument("--epochs", type=epochs_arg, default=1000, help="epochs to train each (default 1000)")
    add_size_options(compare, (40, 400, 80), (6, 200, 16), "the chart")
    compare.set_defaults(handler=cmd_compare)


def cmd_compare(args) -> int:
    from ..engine.scenario import load_scenario
    from ..study import compare as cmp
    from ..views.chart import Series, chart_lines, clip
    from ..views.styled import ansi, plain, span

    a, b = load_scenario(args.a), load_scenario(args.b)  # a bad file fails here, before any training
    found = cmp.compare((args.a, a), (args.b, b), args.epochs)
    lines = [clip((span(f"{name}  ", "series1" if name == "A" else "series2"), span(f"{run.label}: "),
                   span(run.scenario.display_title)), args.width) for name, run in (("A", found.a), ("B", found.b))]
    lines.append(())
    lines += chart_lines([Series(f"A: {found.a.label}", found.a.errors), Series(f"B: {found.b.label}", found.b.errors)],
                         args.width, args.height)
    lines.append(())
    lines += table([("", "A", "B"), *cmp.summary_rows(found)])
    lines.append((span(cmp.divergence_sentence(found)),))
    lines.append(())
    lines += round_one_lines(found, cmp.difference_rows(found))
    print((ansi if colour_wanted(args.plain) else plain)(lines))
    return 0


def round_one_lines(found, rows) -> list:
    from ..views.styled import span

    if found.differences is None:
        return [(span("Round 1 cannot be compared: a run's starting error is not a finite number."),)]
    if not rows:
        return [(span(f"Round 1: all {found.same} quantities are the same in both runs."),)]
    head = (f"Round 1: {len(rows)} quantit{'y differs' if len(rows) == 1 else 'ies differ'}, "
            f"{found.same} are the same (values to 9 decimals)")
    lines = [(span(head, "title"),), *table([("quantity", "sample", "A", "B"), *rows])]
    if any("—" in r[2:] for r in rows):
        lines.append((span("— : that run has no such quantity in round 1", "dim"),))
    return lines


def table(rows: list[tuple[str, ...]]) -> list:
    """Rows as aligned columns, the first row a heading: the first column left, the others right."""
    from ..views.styled import span

    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for number, row in enumerate(rows):
        cells = [f"{row[0]:<{widths[0]}}"] + [f"{text:>{width}}" for text, width in zip(row[1:], widths[1:])]
        lines.append((span("  ".join(cells), *(("title",) if number == 0 else ())),))
    return lines
