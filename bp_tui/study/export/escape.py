"""Escaping for Markdown and LaTeX, so that text prints literally.

Everything taken from a scenario file (title, description, source, neuron names) is escaped whole:
a title such as ``50% & $x_1$`` must not break either document. Our own sentences ("prose") use
`...` to mark code (a name or a formula); everything else in them is escaped the same way.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#|<$&~^])")


def _clean(text: str) -> str:
    """Control characters (which TOML escapes allow) become spaces; tabs become spaces too."""
    return _CONTROL.sub(" ", text.replace("\t", " "))


# --- Markdown -----------------------------------------------------------------------------------


def markdown_escape(text: str) -> str:
    """Text that Markdown prints literally: every character with a meaning gets a backslash.

    Line starts are also made harmless (no headings, lists, quotes or code blocks), so a
    multi-line description stays plain paragraphs.
    """
    return "\n".join(_md_line_start(_md_inline(line.strip())) for line in _clean(text).split("\n"))


def _md_inline(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", _clean(text))


def _md_line_start(line: str) -> str:
    line = re.sub(r"^(\d+)([.)])", r"\1\\\2", line)  # "1." would start a numbered list
    return re.sub(r"^([-+=:>])", r"\\\1", line)  # a list item, a quote, "===" making a heading


# --- LaTeX --------------------------------------------------------------------------------------

_TEX_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
    "%": r"\%", "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}", '"': r"\textquotedbl{}",
}


def tex_escape(text: str) -> str:
    """Text that LaTeX prints literally (in text mode, or inside \\text{} in maths).

    Blank lines are kept as paragraph breaks; ligatures that would change what is printed
    (-- into a dash, `` and '' into curly quotes) are broken apart.
    """
    paragraphs = re.split(r"\n\s*\n", _clean(text).strip())
    return "\n\n".join(tex_inline(" ".join(p.split())) for p in paragraphs if p.strip())


def tex_inline(text: str) -> str:
    """One line of text that LaTeX prints literally."""
    escaped = "".join(_TEX_SPECIAL.get(c, c) for c in _clean(text))
    escaped = re.sub(r"([-`',!?])(?=[-`',])", r"\1{}", escaped)
    return escaped.replace("[", "{[}").replace("]", "{]}")  # never read as an optional argument


# --- our own sentences, with `code` -------------------------------------------------------------


def _prose(text: str, code, plain) -> str:
    """`text` with its `...` parts rendered by `code` and the rest by `plain`."""
    return "".join(code(part) if i % 2 else plain(part) for i, part in enumerate(text.split("`")))


def prose_md(text: str, line_start: bool = True) -> str:
    """Our own sentences, where `...` marks code (a name or formula): Markdown."""
    out = _prose(text, lambda part: f"`{part}`", _md_inline)
    return _md_line_start(out) if line_start else out


def prose_tex(text: str) -> str:
    """Our own sentences, where `...` marks code (a name or formula): LaTeX."""
    return _prose(text, lambda part: rf"\texttt{{{tex_inline(part)}}}", tex_inline)
