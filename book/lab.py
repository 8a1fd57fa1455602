"""Start JupyterLab on the repository, with the book's pages opening as notebooks (``make lab``).

    python book/lab.py [jupyter lab options ...]      # what `make lab` runs, after `make release`

The pages are MyST Markdown notebooks (``book/**/*.md``). jupytext, installed with the
course's environment, lets JupyterLab open them as notebooks and save them back as
Markdown; this script makes that the default when a ``.md`` file is double-clicked, by
writing JupyterLab's settings overrides into the environment
(``<venv>/share/jupyter/lab/settings/overrides.json``: *Document Manager* ->
``defaultViewers``), then starts ``jupyter lab`` on the repository's root (from the course
directory ``assignments/``, where nbgrader's extensions find their configuration) with every
option given here passed on (``make lab LAB_ARGS='--no-browser --port 8899'``). The
kernel is the environment's own Python, where ``rnncourse`` is installed in editable
mode; ``make lab`` first writes the student versions of the assignments into
``assignments/release/``.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCMANAGER = "@jupyterlab/docmanager-extension:plugin"
#: Open Markdown (and MyST) files with jupytext's notebook view by default.
DEFAULT_VIEWERS = {"markdown": "Jupytext Notebook", "myst": "Jupytext Notebook"}


def overrides_path(prefix: str = sys.prefix) -> Path:
    return Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"


def write_overrides(prefix: str = sys.prefix) -> Path:
    """Merge the default viewers into the environment's JupyterLab overrides; the file's path."""
    path = overrides_path(prefix)
    settings = json.loads(path.read_text()) if path.is_file() else {}
    settings.setdefault(DOCMANAGER, {}).setdefault("defaultViewers", {}).update(DEFAULT_VIEWERS)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(settings, indent=2) + "\n")
    return path


def main(argv: list[str]) -> int:
    write_overrides()
    jupyter = Path(sys.executable).parent / "jupyter"
    args = [str(jupyter), "lab", f"--ServerApp.root_dir={ROOT}", *argv]
    if hasattr(os, "geteuid") and os.geteuid() == 0 and not any(a.startswith("--allow-root") for a in argv):
        args.append("--allow-root")  # containers and CI run as root; Jupyter refuses that unless told
    print(f"book/lab.py: {' '.join(args)}", flush=True)
    # nbgrader's Jupyter extensions (validate, formgrader) read nbgrader_config.py from the
    # working directory: the course directory, a subfolder of the server's root
    os.chdir(ROOT / "assignments")
    os.execv(args[0], args)          # JupyterLab replaces this process (Ctrl-C stops it)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
