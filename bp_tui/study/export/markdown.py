"""The worked example as Markdown, with the maths in $$ blocks (as GitHub and most viewers show it)."""

from __future__ import annotations


from ...views.picture import paper_text
from .derivation import derivation_markdown
from .document import Document, Writer, sentence
from .escape import markdown_escape, prose_md
from .latex_math import aligned


class MarkdownWriter(Writer):
    def title(self, text):
        return f"# {markdown_escape(' '.join(text.split()))}"  # a heading is one line

    def raw(self, text):
        return markdown_escape(text.strip())

    def heading(self, level, text):
        return f"{'#' * level} {prose_md(text)}"

    def para(self, text):
        return prose_md(text)

    def list(self, items):
        return "\n".join(f"- {prose_md(item)}" for item in items)

    def math(self, latex):
        return f"$$\n{latex}\n$$"

    def table(self, title, header, align, rows):
        lines = [f"{prose_md(title)}:", "", "| " + " | ".join(header) + " |",
                 "| " + " | ".join("---:" if a == "r" else "---" for a in align) + " |"]
        lines += ["| " + " | ".join(prose_md(cell, line_start=False) for cell in row) + " |" for row in rows]
        return "\n".join(lines)

    def picture(self, scenario, start):
        return f"```text\n{paper_text(scenario, start)}\n```"

    def step(self, step, label=None):
        text = (f"`{step.quantity}`: {markdown_escape(sentence(step.explanation))}\n\n"
                f"$$\n{aligned(step, 'aligned')}\n$$")
        if label is not None:  # the expected figure under the result, and its note under that
            text += f"\n\n*{markdown_escape(label.text)}*"
            if label.note.strip():
                text += f"\n\nNote: {markdown_escape(label.note)}"
        return text

    def derivation(self, derivation):
        return derivation_markdown(derivation)


def write_markdown(doc: Document, out) -> None:
    """The document as Markdown onto the text stream `out`, a block at a time."""
    for i, block in enumerate(MarkdownWriter().render(doc)):
        out.write(block if i == 0 else "\n\n" + block)
    out.write("\n")
