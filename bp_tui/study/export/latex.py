"""The worked example as a LaTeX document that compiles with pdflatex, xelatex or lualatex."""

from __future__ import annotations

import re
import tempfile

from ...engine.expectations import BAD_MARK, OK_MARK
from ...views.picture_tikz import paper_tikz
from .derivation import derivation_latex
from .document import Document, Writer, sentence
from .escape import prose_tex, tex_escape, tex_inline
from .latex_math import aligned


class LatexWriter(Writer):
    def title(self, text):
        return rf"{{\LARGE\bfseries {tex_escape(text)}\par}}"

    def raw(self, text):
        return tex_escape(text)

    def heading(self, level, text):
        return rf"\{'sub' * (level - 2)}section*{{{prose_tex(text)}}}"

    def para(self, text):
        return prose_tex(text)

    def list(self, items):
        lines = [rf"  \item {prose_tex(item)}" for item in items]
        return "\n".join([r"\begin{itemize}", *lines, r"\end{itemize}"])

    def math(self, latex):
        return f"\\[\n{latex}\n\\]"

    def table(self, title, header, align, rows):
        lines = [rf"\begin{{longtable}}{{{align}}}",
                 rf"\multicolumn{{{len(header)}}}{{l}}{{{prose_tex(title)}:}} \\",
                 r"\hline", " & ".join(header) + r" \\", r"\hline", r"\endhead"]
        lines += [" & ".join(prose_tex(cell) for cell in row) + r" \\" for row in rows]
        return "\n".join(lines + [r"\hline", r"\end{longtable}"])

    def picture(self, scenario, start):
        return paper_tikz(scenario, start)

    def step(self, step, label=None):
        text = (rf"\texttt{{{tex_inline(step.quantity)}}}: {tex_escape(sentence(step.explanation))}"
                + "\n" + aligned(step, "align*"))
        if label is not None:  # the expected figure under the result, and its note under that
            marks = {OK_MARK: r"\ensuremath{\checkmark}", BAD_MARK: r"\ensuremath{\times}"}
            shown = "".join(marks.get(c, c) for c in tex_inline(label.text))
            text += f"\n\n\\emph{{{shown}}}"
            if label.note.strip():
                text += f"\n\nNote: {tex_escape(label.note)}"
        return text

    def derivation(self, derivation):
        return derivation_latex(derivation)


# Characters that pdfLaTeX's default set-up (T1 fonts, UTF-8 input) prints; others get a fallback.
_PDFTEX_KNOWN = re.compile(r"[\x00-\x7f\xa0-\u017e\u2013\u2014\u2018\u2019\u201c\u201d\u2026]")


def _unicode_fallbacks(characters: set[str]) -> list[str]:
    """Under pdfLaTeX, a character it has no set-up for is an error: print its code point instead.

    XeLaTeX and LuaLaTeX read Unicode themselves, so these lines are for pdfLaTeX only.
    """
    unknown = sorted(c for c in characters if not _PDFTEX_KNOWN.match(c))
    return [rf"  \DeclareUnicodeCharacter{{{ord(c):04X}}}{{[U+{ord(c):04X}]}}" for c in unknown]


def write_latex(doc: Document, out) -> None:
    """The document as LaTeX onto the text stream `out`, in constant memory: the preamble names the
    characters the body uses, so the body goes to a temporary file first and is copied after it."""
    seen: set[str] = set()
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as body:
        for i, block in enumerate(LatexWriter().render(doc)):
            seen.update(block)
            body.write(block if i == 0 else "\n\n" + block)
        out.write(preamble(seen) + "\n\n")
        body.seek(0)
        while chunk := body.read(1 << 20):
            out.write(chunk)
    out.write("\n\n\\end{document}\n")


def preamble(characters: set[str]) -> str:
    """The document's preamble, for a body made of `characters`."""
    lines = [
        "% A worked example of backpropagation, written by bp-tui.",
        "% It compiles with pdflatex, xelatex or lualatex.",
        r"\documentclass[11pt]{article}",
        r"\ifdefined\XeTeXversion\else\ifdefined\directlua\else",
        r"  \usepackage[utf8]{inputenc}",
        r"  \usepackage[T1]{fontenc}",
        *_unicode_fallbacks(characters),
        r"\fi\fi",
        r"\usepackage{amsmath}",
        r"\usepackage{amssymb}",  # the check mark of an expected figure
        r"\usepackage{longtable}",
        r"\usepackage{tikz}",
        r"\usepackage[margin=2cm]{geometry}",
        r"\allowdisplaybreaks",
        r"\setlength{\parindent}{0pt}",
        r"\setlength{\parskip}{0.6em}",
        r"\begin{document}",
    ]
    return "\n".join(lines)
