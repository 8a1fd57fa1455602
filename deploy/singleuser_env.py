"""Build the single-user environment of the class: the Python every user's Jupyter server runs.

    python3 deploy/singleuser_env.py /opt/rnncourse/singleuser [--python /usr/bin/python3]

Creates a virtual environment at the given path (readable by every user, so not under a
home directory), installs ``deploy/singleuser-requirements.txt`` into it and then the
course package ``rnncourse`` from this repository (a regular, non-editable install: the
users' servers never read the repository). Run again after changing either: the
requirements are only reinstalled when they changed (a stamp file records their hash);
the course package is reinstalled every time.

The JupyterHub configuration (``deploy/jupyterhub_config.py``) starts
``<path>/bin/jupyterhub-singleuser`` for every user. On Kubernetes the same requirements
go into the single-user image instead (``deploy/kubernetes/Dockerfile``).

``--python`` defaults to the system interpreter ``/usr/bin/python3``: an interpreter
installed under a home directory (pyenv, say) cannot be run by the other users.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
REQUIREMENTS = HERE / "singleuser-requirements.txt"


def requirements_hash() -> str:
    return hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()[:16]


def build(prefix: Path, python: str = "/usr/bin/python3", quiet: bool = True) -> Path:
    """Create or update the environment at ``prefix``; return it."""
    prefix = Path(prefix)
    if not Path(python).is_file():
        raise FileNotFoundError(f"python: {python} does not exist (pass --python /path/to/python3)")
    q = ["--quiet"] if quiet else []
    pip = [str(prefix / "bin" / "python"), "-m", "pip", *q, "--disable-pip-version-check"]
    stamp = prefix / ".requirements-hash"
    if not (prefix / "bin" / "python").exists():
        subprocess.run([python, "-m", "venv", str(prefix)], check=True)
    if not stamp.is_file() or stamp.read_text().strip() != requirements_hash():
        subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "install", "-r", str(REQUIREMENTS)], check=True)
        stamp.write_text(requirements_hash() + "\n")
    # the course package, copied into the environment (no editable link into the repository)
    subprocess.run([*pip, "install", "--no-deps", "--force-reinstall", str(ROOT)], check=True)
    # everyone runs it; nobody but root changes it
    subprocess.run(["chmod", "-R", "a+rX,go-w", str(prefix)], check=True)
    return prefix


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefix", type=Path, help="where to create the environment, e.g. /opt/rnncourse/singleuser")
    parser.add_argument("--python", default="/usr/bin/python3",
                        help="interpreter every user can run (default: /usr/bin/python3)")
    args = parser.parse_args(argv)
    build(args.prefix.resolve(), args.python, quiet=False)
    print(f"single-user environment ready: {args.prefix}/bin/jupyterhub-singleuser")
    return 0


if __name__ == "__main__":
    sys.exit(main())
