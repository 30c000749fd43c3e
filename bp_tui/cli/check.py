"""`bp-tui check`: a learner's page of figures checked against a round, and the slip named."""

from __future__ import annotations

import shutil
import sys
import textwrap

from ..engine import records as rec
from ..views.styled import Line, Span, ansi, plain, span
from .common import USAGE_ERROR, colour_wanted


def add_parsers(sub) -> None:
    check = sub.add_parser(
        "check", help="check your own figures (name = value, one a line) against a round and name the slip; "
                      "exit 0 when all are right, 1 when one is wrong",
        description="Check a page of figures worked by hand, one `name = value` a line with the names "
                    "`bp-tui trace` prints (net_h1, delta_o1, dE_total/dw5, w5+, ...), against a round. "
                    "Every figure is marked right or wrong; the first wrong one is explained by the slip "
                    "that gives it, with the numbers. Exit status 0 when every figure is right, 1 when "
                    "one is wrong, 2 when the page cannot be read.")
    check.add_argument("scenario")
    check.add_argument("page", help="the file of figures, or - to read them from standard input")
    check.add_argument("--round", type=_round_arg, default=None,
                       help="the round to check (default: the page's own `round N` line, else 1)")
    check.add_argument("--plain", action="store_true", help="no colour (also when NO_COLOR is set, or in a pipe)")
    check.set_defaults(handler=cmd_check)


def _round_arg(text: str) -> int:
    import argparse

    from ..study.page import MAX_ROUND

    if not text.isdigit() or not 1 <= int(text) <= MAX_ROUND:
        raise argparse.ArgumentTypeError(f"expected a round from 1 to {MAX_ROUND}, got {text!r}")
    return int(text)


def cmd_check(args) -> int:
    from ..engine.scenario import load_scenario
    from ..engine.stepper import Stepper
    from ..study.check import check_page
    from ..study.page import PageError, read_page
    from ..study.round_model import RoundError

    scenario = load_scenario(args.scenario)
    try:
        page = read_page(args.page)
        if args.round and page.round and args.round != page.round:
            raise PageError(f"{page.label}: line {page.round_line}: round {page.round}, but --round "
                            f"{args.round} was given")
        result = check_page(Stepper(scenario), page, args.round)
    except (PageError, RoundError) as exc:
        print(f"bp-tui: {exc}", file=sys.stderr)
        return USAGE_ERROR
    lines = report(result, scenario) if result.verdicts else unchecked_lines(result)
    if lines:
        if sys.stdout.isatty():  # fold the sentences, indented, rather than let the terminal cut words
            lines = folded(lines, shutil.get_terminal_size().columns)
        print((ansi if colour_wanted(args.plain) else plain)(lines))
    if not result.verdicts:
        print(f"bp-tui: {page.label}: no figure to check (write one `name = value` a line, with the names "
              f"`bp-tui trace {args.scenario}` prints)", file=sys.stderr)
        return USAGE_ERROR
    return 0 if result.all_right else 1


def folded(lines: list[Line], width: int) -> list[Line]:
    """Each line longer than `width` folded at spaces in its last span: a table row's verdict goes
    on under itself, a sentence's continuations are indented 4 more than it."""
    width = max(40, width)
    out: list[Line] = []
    for line in lines:
        if sum(len(s.text) for s in line) <= width:
            out.append(line)
            continue
        *row, (text, tags) = line
        start = sum(len(s.text) for s in row)
        indent = start if row else len(text) - len(text.lstrip()) + 4
        parts = textwrap.wrap(text, width - start, subsequent_indent="" if row else " " * indent,
                              break_on_hyphens=False, break_long_words=False)
        out.append((*row, Span(parts[0], tags)))
        out += [(Span(" " * start), Span(part, tags)) if row else (Span(part, tags),) for part in parts[1:]]
    return out


def report(result, scenario) -> list[Line]:
    """The check as styled lines: a row per figure, then the first wrong one explained, then the rest."""
    from ..study.check_text import explained, summary, verdict_words

    title = "".join(c if c.isprintable() else " " for c in scenario.display_title)  # no terminal escapes
    several = len(scenario.inputs) > 1
    lines: list[Line] = [(span(f"round {result.round} of {title}", "title"),), ()]
    rows = [("line", "figure", "yours", "right value", "")]
    for v in result.verdicts:
        name = v.quantity + (f" (sample {v.step.sample + 1})" if several and v.step.sample is not None else "")
        rows.append((str(v.figure.line), name, v.figure.text, rec.num(v.exact), verdict_words(v, result)))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for index, row in enumerate(rows):
        cells = f"{row[0]:>{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:<{widths[2]}}  {row[3]:<{widths[3]}}  "
        tag = "axis" if index == 0 else ("ok" if result.verdicts[index - 1].right else "bad")
        lines.append((span("  " + cells), span(row[4], tag)))
    first = result.first_wrong
    if first is not None:
        lines += [(), (span(f"First wrong figure: {first.quantity} (line {first.figure.line})", "title"),)]
        lines += explained(first)
    others = [v for v in result.slips if v is not first]
    if others:
        lines += [(), (span("Other figures with a slip of their own", "title"),)]
        for v in others:
            lines += explained(v)
    if result.unchecked:
        lines += [()] + unchecked_lines(result)
    lines += [(), (span(summary(result)),)]
    return lines


def unchecked_lines(result) -> list[Line]:
    if not result.unchecked:
        return []
    return [(span("Not checked", "title"),)] + [
        (span(f"  line {u.figure.line}: {u.figure.name}: {u.reason}"),) for u in result.unchecked]
