"""``nbgrader zip_collect`` for the submission downloads of Canvas and Moodle.

nbgrader's own collector needs a regular expression that nobody configured, so on a fresh
course directory ``zip_collect`` collected nothing ("Regular expression not provided for
plugin"). ``LmsFileNameCollector`` (selected in ``assignments/nbgrader_config.py``) knows
both download formats:

- Canvas, *Download Submissions*: ``<sortablename>_[LATE_]<user id>_<attachment id>_<file>``,
  e.g. ``smithalice_12345_67890_a01_rnn_forward.ipynb``; a resubmitted file keeps its name
  with ``-1``, ``-2``... before the extension (``a01_rnn_forward-1.ipynb``).
- Moodle, *Download all submissions*: ``<Full Name>_<participant id>_assignsubmission_file_<file>``,
  or the same name as a folder holding ``<file>`` ("download submissions in folders").

The student id is the name part in lower case without spaces or punctuation (``smithalice``,
``alicesmith``), unless the gradebook has a student whose ``lms_user_id`` is the Canvas user id
(``nbgrader db student add alice --lms-user-id=12345``), or ``roster`` maps the name or the id.
When one student's download holds several attempts of the same notebook (``-1``, `` (1)``
suffixes, or a higher Canvas attachment id), the newest is collected and the others are
skipped. Files that match neither format are skipped with a warning; a file in the right
format but with another notebook name is collected as it is, and grading then gives that
student 0 with a page saying which notebook was missing (assignments/course.py).
"""
from __future__ import annotations

import os
import re

from nbgrader.plugins import FileNameCollectorPlugin
from traitlets import Dict, Unicode

CANVAS = re.compile(r"^(?P<name>[a-z0-9]+)_(?P<late>late_)?(?P<lms_id>\d+)_(?P<attachment>\d+)_(?P<file>.+)$",
                    re.IGNORECASE)
MOODLE = re.compile(r"^(?P<name>[^/]+?)_(?P<lms_id>\d+)_assignsubmission_(?:file|onlinetext)_(?:/)?(?P<file>.+)$")
ATTEMPT = re.compile(r"^(?P<stem>.*?)(?:-(?P<dash>\d+)| \((?P<paren>\d+)\))$")


def split_attempt(filename: str) -> tuple[str, int]:
    """``a01_rnn_forward-2.ipynb`` -> (``a01_rnn_forward.ipynb``, 2); no suffix -> attempt 0."""
    stem, ext = os.path.splitext(filename)
    m = ATTEMPT.match(stem)
    if m and (m.group("dash") or m.group("paren")):
        return m.group("stem") + ext, int(m.group("dash") or m.group("paren"))
    return filename, 0


def normalise(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


class LmsFileNameCollector(FileNameCollectorPlugin):
    lms = Unicode("auto", help="'canvas', 'moodle' or 'auto' (recognise each file's format)").tag(config=True)
    roster = Dict(Unicode(), help="LMS name or id -> nbgrader student id, for names that differ").tag(config=True)

    def parse(self, path: str) -> dict | None:
        """What the file's name says: student, notebook (file_id), attempt rank; None if neither format."""
        extracted = None
        if self.parent is not None and hasattr(self.parent, "extracted_directory"):
            extracted = self.parent._format_collect_path(self.parent.extracted_directory)
        rel = os.path.relpath(path, extracted) if extracted else path
        parts = rel.replace(os.sep, "/").split("/")
        candidates = ["/".join(parts[i:]) for i in range(len(parts))]        # longest first
        for text in candidates if self.lms in ("auto", "moodle") else []:
            m = MOODLE.match(text)
            if m:
                filename, attempt = split_attempt(m.group("file").lstrip("/"))
                return self._result(m.group("name"), m.group("lms_id"), filename, (attempt, 0))
        for text in candidates[-1:] if self.lms in ("auto", "canvas") else []:
            m = CANVAS.match(text)
            if m:
                filename, attempt = split_attempt(m.group("file"))
                return self._result(m.group("name"), m.group("lms_id"), filename,
                                    (attempt, int(m.group("attachment"))))
        return None

    def _result(self, name: str, lms_id: str, filename: str, rank: tuple) -> dict:
        student = (self.roster.get(lms_id) or self.roster.get(name) or self._by_lms_id(lms_id)
                   or normalise(name))
        return {"student_id": student, "file_id": filename, "rank": rank}

    def _by_lms_id(self, lms_id: str) -> str | None:
        if not hasattr(self, "_lms_ids"):
            self._lms_ids = {}
            coursedir = getattr(self.parent, "coursedir", None)
            if coursedir is not None:
                from nbgrader.api import Gradebook
                try:
                    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
                        self._lms_ids = {s.lms_user_id: s.id for s in gb.students if s.lms_user_id}
                except Exception as err:       # no gradebook yet: fall back to the names
                    self.log.debug("no gradebook to look up LMS ids: %s", err)
        return self._lms_ids.get(lms_id)

    def collect(self, submitted_file: str) -> dict | None:
        if os.path.splitext(submitted_file)[1] not in self.valid_ext:
            self.log.warning("Skipping %s: not one of %s", submitted_file, ", ".join(self.valid_ext))
            return None
        info = self.parse(submitted_file)
        if info is None:
            self.log.warning("Skipping %s: not a Canvas or Moodle submission file name", submitted_file)
            return None
        # a newer attempt of the same notebook by the same student in the same download wins
        folder = os.path.dirname(submitted_file)
        for other in os.listdir(folder) if os.path.isdir(folder) else []:
            other_path = os.path.join(folder, other)
            if other_path == submitted_file or not os.path.isfile(other_path):
                continue
            o = self.parse(other_path)
            if o and o["student_id"] == info["student_id"] and o["file_id"] == info["file_id"] \
                    and o["rank"] > info["rank"]:
                self.log.warning("Skipping %s: %s is a newer attempt", submitted_file, other)
                return None
        return {"student_id": info["student_id"], "file_id": info["file_id"]}
