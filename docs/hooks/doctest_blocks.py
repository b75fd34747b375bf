"""A griffe extension: show doctest examples written in a docstring's free text as code.

Google-style docstrings render ``>>>`` lines as code only inside an ``Example:`` section;
mini_ad's docstrings also put them in the free text. This wraps every run of lines that
starts with ``>>>`` at the left margin (until the next blank line) in a ``pycon`` fence, so
the reference shows them as code and never reads ``x[...][:3]`` as a Markdown link.
"""

from __future__ import annotations

import griffe


def fence_doctests(text: str) -> str:
    out, in_block = [], False
    for line in text.splitlines():
        if not in_block and line.startswith(">>>"):
            out.append("```pycon")
            in_block = True
        elif in_block and not line.strip():
            out.append("```")
            in_block = False
        out.append(line)
    if in_block:
        out.append("```")
    return "\n".join(out)


class DoctestBlocks(griffe.Extension):
    def on_instance(self, *, obj: griffe.Object, **kwargs) -> None:
        if obj.docstring is not None and ">>>" in obj.docstring.value:
            obj.docstring.value = fence_doctests(obj.docstring.value)
