"""The first cell of every published notebook: is the right ``rnncourse`` installed?

A notebook of the course (a released assignment, or a page of the book downloaded as
``.ipynb``) imports ``rnncourse``. Opened where the package is missing, or where another
version is installed, its first import would end in a traceback that names neither the
cause nor the fix. So the notebooks are generated with a first code cell,
:func:`check_cell`, that says in one sentence what to install instead, and stops *Run
all* there. The cell is plain Python that does not need ``rnncourse`` to run; this
module only writes it, at build time, with the version being built:

- ``assignments/build_sources.py`` puts it before the setup cell of each assignment;
- ``book/_ext/page_notebooks.py`` puts it after the title of each page's notebook.

The fix it names is the wheel that the book publishes (:func:`wheel_name`) and the
book's page *Run it yourself*, which shows the commands.
"""
from __future__ import annotations

import re

from . import __version__ as _PACKAGE_VERSION

__all__ = ["wheel_name", "check_cell", "CHECK_CELL_MARKER"]

#: The first line of the cell, by which generators and tests recognise it.
CHECK_CELL_MARKER = "# Environment check (generated): this notebook needs the course package"


def wheel_name(version: str | None = None) -> str:
    """The file name of the wheel that the book publishes for ``version`` (default: this package's).

    ``rnncourse`` is pure Python, so its wheel is ``rnncourse-<version>-py3-none-any.whl``;
    the book build checks that the wheel it built has exactly this name.
    """
    version = version or _PACKAGE_VERSION
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)*([a-z]+[0-9]*)?(\.post[0-9]+|\.dev[0-9]+)?", version):
        raise ValueError(f"not a release version of the form 1.2.3: {version!r}")
    return f"rnncourse-{version}-py3-none-any.whl"


# The cell. It raises an exception whose ``_render_traceback_`` IPython shows instead of a
# traceback (Jupyter then shows the one sentence, and "Run all" stops at this cell).
_CELL = '''\
{marker} rnncourse {version}.
class EnvironmentProblem(Exception):
    """Shown by Jupyter as its message alone, without a traceback."""
    def _render_traceback_(self):
        return [str(self)]
_wheel = "{wheel}"
_how = f"download {{_wheel}} from the course book's page \\"Run it yourself\\" and run: pip install {{_wheel}}"
try:
    import rnncourse
except ModuleNotFoundError as _err:
    if _err.name != "rnncourse":
        raise EnvironmentProblem(f"rnncourse is installed but cannot import {{_err.name}}; {{_how}}") from None
    raise EnvironmentProblem(f"This notebook needs the course package rnncourse {version}, "
                             f"which is not installed: {{_how}}") from None
if getattr(rnncourse, "__version__", None) != "{version}":
    raise EnvironmentProblem(f"This notebook needs rnncourse {version}, but "
                             f"{{getattr(rnncourse, '__version__', 'an unknown version')}} is installed: {{_how}}")
print("rnncourse", rnncourse.__version__, "is installed: ready.")'''


def check_cell(version: str | None = None) -> str:
    """The source of the environment-check cell for notebooks written for ``version``.

    Run in a notebook, the cell imports ``rnncourse`` and compares its ``__version__``
    with ``version``. When the package is missing, cannot be imported, or has another
    version, it raises ``EnvironmentProblem`` with one sentence that names the wheel to
    install (:func:`wheel_name`) and where to get it; Jupyter shows that sentence
    without a traceback. Otherwise it prints that the environment is ready.

    Parameters
    ----------
    version : str, optional
        The version the notebook needs; this package's ``__version__`` by default.

    Returns
    -------
    str
        Python source whose first line is :data:`CHECK_CELL_MARKER` followed by the package and version.
    """
    version = version or _PACKAGE_VERSION
    return _CELL.format(marker=CHECK_CELL_MARKER, version=version, wheel=wheel_name(version))
