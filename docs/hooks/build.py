"""MkDocs hooks for mini_ad's site.

* **API pages from the nav.** Every nav entry ``api/<module>.md`` that has no file gets a
  generated page rendering ``<module>`` with mkdocstrings, its members listed from the
  module at build time (the public names: ``__all__`` where a module has one, else every
  public function and class it exports). Adding a module to the reference is one nav line.
* **Executed examples.** A fenced block opened with ```` ```python exec ```` is run when the
  site is built (all such blocks of a page share one namespace, top to bottom) and is
  shown followed by what it printed, so the printed jaxprs in the guides are the library's
  own output. An exception fails the build.

The notebooks reach the site through the link ``docs/notebooks -> ../notebooks`` (rendered,
and executed, by mkdocs-jupyter); the changelog and the benchmark report are included with
``pymdownx.snippets``. Each is kept in one place.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import io
import pathlib
import re
import textwrap

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

ROOT = pathlib.Path(__file__).resolve().parents[2]
API_PAGE = re.compile(r"^api/(mini_ad(?:\.\w+)*)\.md$")
EXEC_BLOCK = re.compile(r"^```python exec\n(.*?)^```\n", re.S | re.M)


def _nav_paths(nav):
    for item in nav or []:
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            for value in item.values():
                yield from _nav_paths(value if isinstance(value, list) else [value])


def public_members(module_name: str) -> list[str]:
    """The public names of a module, as the reference should list them."""
    module = importlib.import_module(module_name)
    names = getattr(module, "__all__", None)
    if names is None:
        names = [
            name
            for name, value in vars(module).items()
            if not name.startswith("_")
            and (inspect.isfunction(value) or inspect.isclass(value))
            and getattr(value, "__module__", "").startswith("mini_ad")
        ]
    return sorted(n for n in names if not inspect.ismodule(getattr(module, n, None)))


def api_page(module_name: str) -> str:
    module = importlib.import_module(module_name)
    members = public_members(module_name)
    lines = [f"# `{module_name}`", "", f"::: {module_name}"]
    if hasattr(module, "__getattr__"):
        # names imported lazily (on first use) are invisible to static analysis: render
        # each from the module that defines it, under the module's docstring
        lines += ["    options:", "      members: false", ""]
        for name in members:
            obj = getattr(module, name)
            if not hasattr(obj, "__qualname__"):  # a constant: documented in the module text
                continue
            lines += [
                f"::: {obj.__module__}.{obj.__qualname__}",
                "    options:",
                "      show_root_heading: true",
                "      heading_level: 2",
                "",
            ]
    elif members:
        lines += ["    options:", "      members:"]
        lines += [f"        - {name}" for name in members]
    return "\n".join(lines) + "\n"


@event_priority(100)  # before the other plugins see the files
def on_files(files, config):
    present = {f.src_uri for f in files}
    for path in _nav_paths(config["nav"]):
        match = API_PAGE.match(path)
        if match and path not in present:
            files.append(File.generated(config, path, content=api_page(match.group(1))))
    return files


def _run(code: str, namespace: dict, page: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            exec(compile(code, f"<{page}>", "exec"), namespace)
        except Exception as e:
            raise RuntimeError(f"an executed example in {page} raised {e!r}:\n{code}") from e
    return out.getvalue()


def on_page_markdown(markdown, page, config, files):
    namespace: dict = {"__name__": "__docs__"}

    def replace(match):
        code = textwrap.dedent(match.group(1))
        printed = _run(code, namespace, page.file.src_uri)
        block = f"```python\n{code}```\n"
        if printed:
            block += f"\n```text\n{printed.rstrip()}\n```\n"
        return block

    return EXEC_BLOCK.sub(replace, markdown)
