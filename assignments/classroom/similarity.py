"""Similarity report over the submissions of one assignment: ``make similarity ASSIGNMENT=...``.

    cd assignments && python -m classroom.similarity ASSIGNMENT [--threshold 0.5]

Only the answer cells count: for each student, the code cells of
``submitted/<student>/<assignment>/*.ipynb`` that are nbgrader answer cells (``solution``
in the released notebook, matched by ``grade_id``) are joined into one Python file; the
released template's answer cells (signatures, docstrings, ``raise NotImplementedError()``)
are boilerplate and never count as shared. copydetect then compares every pair with
winnowing, the fingerprinting of MOSS: identifiers, literals of names and comments are
normalised away, so renaming variables does not hide a copy, and fingerprints are compared
as a set, so neither does moving functions around.

Writes ``similarity/<assignment>.html`` (copydetect's side-by-side report with the shared code
highlighted) and ``similarity/<assignment>.csv`` (every pair above the display threshold) under
the course directory, and prints the pairs at or above ``--threshold``. Fingerprints are
taken over 25-token windows with a match guaranteed from 30 tokens (copydetect's defaults):
on the rnn-forward answers a copy with renamed variables or reordered functions scores above
0.9 and independent correct solutions below 0.35 (asserted in tests/test_classroom.py), hence
the default flag at 0.5. A high similarity is a reason to look, not a verdict: short exercises
with one natural solution look alike.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Pair:
    student_a: str
    student_b: str
    similarity_a: float       # share of a's answer code found in b's
    similarity_b: float       # share of b's answer code found in a's
    tokens: int               # overlapping tokens

    @property
    def similarity(self) -> float:
        return max(self.similarity_a, self.similarity_b)


def answer_ids(released: Path) -> list[str]:
    """grade_ids of the answer cells of the released notebook, in order."""
    nb = json.loads(released.read_text())
    return [c["metadata"]["nbgrader"]["grade_id"] for c in nb["cells"]
            if c.get("cell_type") == "code" and c.get("metadata", {}).get("nbgrader", {}).get("solution")]


def answer_code(notebook: Path, ids: list[str]) -> str | None:
    """The notebook's answer cells joined in the template's order; None if it is not a notebook."""
    try:
        nb = json.loads(notebook.read_text(encoding="utf-8"))
        cells = {c.get("metadata", {}).get("nbgrader", {}).get("grade_id"): c for c in nb["cells"]
                 if c.get("cell_type") == "code"}
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        return None
    parts = []
    for gid in ids:
        cell = cells.get(gid)
        if cell is not None:
            src = cell.get("source", "")
            parts.append(f"# --- {gid}\n" + ("".join(src) if isinstance(src, list) else str(src)).rstrip() + "\n")
    return "\n".join(parts)


def report(course: Path, assignment: str, threshold: float = 0.5, display: float = 0.2,
           noise_t: int = 25, guarantee_t: int = 30, out_dir: Path | None = None) -> list[Pair]:
    """Compare every pair of ``assignment``'s submissions; the pairs at or above ``display``, most similar first."""
    from copydetect import CopyDetector

    course = Path(course)
    if not 0 < threshold <= 1 or not 0 < display <= 1:
        raise ValueError(f"threshold and display must be in (0, 1], got threshold={threshold}, display={display}")
    release = course / "release" / assignment
    if not release.is_dir():
        raise FileNotFoundError(f"assignment: {release} does not exist; generate the student version first "
                                "(make release)")
    submitted = sorted(p for p in (course / "submitted").glob(f"*/{assignment}") if p.is_dir())
    out_dir = Path(out_dir or course / "similarity")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "students").mkdir()
        (tmp / "template").mkdir()
        n = 0
        for released in sorted(release.glob("*.ipynb")):
            ids = answer_ids(released)
            (tmp / "template" / f"{released.stem}.py").write_text(answer_code(released, ids) or "")
            for folder in submitted:
                code = answer_code(folder / released.name, ids)
                if code is None:
                    print(f"skipped {folder.parent.name}: {released.name} is missing or not a notebook", file=sys.stderr)
                    continue
                (tmp / "students" / f"{folder.parent.name}.py").write_text(code)
                n += 1
        detector = CopyDetector(test_dirs=[str(tmp / "students")], ref_dirs=[str(tmp / "students")],
                                boilerplate_dirs=[str(tmp / "template")], extensions=["py"],
                                noise_t=noise_t, guarantee_t=guarantee_t, display_t=display,
                                autoopen=False, silent=True, force_language="python",
                                out_file=str(out_dir / f"{assignment}.html"))
        pairs = []
        if n >= 2:
            detector.run()
            for sim_a, sim_b, file_a, file_b, *_, overlap in detector.get_copied_code_list():
                a, b = Path(file_a).stem, Path(file_b).stem
                if a != b:
                    pairs.append(Pair(a, b, float(sim_a), float(sim_b), int(overlap)))
            detector.generate_html_report()
    pairs.sort(key=lambda p: -p.similarity)
    with open(out_dir / f"{assignment}.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["student_a", "student_b", "similarity_a", "similarity_b", "overlapping_tokens", "flagged"])
        for p in pairs:
            w.writerow([p.student_a, p.student_b, f"{p.similarity_a:.3f}", f"{p.similarity_b:.3f}", p.tokens,
                        int(p.similarity >= threshold)])
    return pairs


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignment")
    parser.add_argument("--course", type=Path, default=Path.cwd(), help="course directory (default: here)")
    parser.add_argument("--threshold", type=float, default=0.5,
                        help="flag pairs where this share of one student's answer code is in the other's")
    args = parser.parse_args(argv)
    pairs = report(args.course, args.assignment, args.threshold)
    flagged = [p for p in pairs if p.similarity >= args.threshold]
    out = args.course / "similarity" / args.assignment
    print(f"{len(flagged)} pair(s) at or above {args.threshold:.0%} similarity; report: {out}.html, {out}.csv")
    for p in flagged:
        print(f"  {p.student_a} ~ {p.student_b}: {p.similarity_a:.0%} / {p.similarity_b:.0%} ({p.tokens} tokens)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
