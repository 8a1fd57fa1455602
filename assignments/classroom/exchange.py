"""``nbgrader collect`` that refuses submissions made in someone else's name.

nbgrader's filesystem exchange names each submission ``<student>+<assignment>+<time>+<random>``
with the student id the submitting user *claims* (``nbgrader submit --student=bob`` works for
anyone). nbgrader's collector notices when the folder belongs to another user than the one it
names, but only logs a warning and collects it anyway, replacing the real student's work.
``OwnerCheckedCollect`` drops such a submission instead, with an error in the log; the
student's own submissions are collected as usual. Selected with
``c.ExchangeFactory.collect`` in ``assignments/nbgrader_config.py``.
"""
from __future__ import annotations

import glob
import os
import pwd

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.exchange.default.collect import ExchangeCollect, groupby
from nbgrader.utils import check_mode


def owner_of(path: str) -> str | None:
    try:
        return pwd.getpwuid(os.stat(path).st_uid).pw_name
    except (KeyError, OSError):
        return None


class OwnerCheckedCollect(ExchangeCollect):
    """nbgrader's ``init_src`` with the owner check applied before the newest submission is chosen."""

    def init_src(self):
        if self.coursedir.course_id == "":
            self.fail("No course id specified. Re-run with --course flag.")
        self.course_path = os.path.join(self.root, self.coursedir.course_id)
        self.inbound_path = os.path.join(self.course_path, "inbound")
        if not os.path.isdir(self.inbound_path):
            self.fail("Course not found: {}".format(self.inbound_path))
        if not check_mode(self.inbound_path, read=True, execute=True):
            self.fail("You don't have read permissions for the directory: {}".format(self.inbound_path))
        student_id = self.coursedir.student_id if self.coursedir.student_id else "*"
        pattern = os.path.join(self.inbound_path, "{}+{}+*".format(student_id, self.coursedir.assignment_id))
        records = []
        for path in glob.glob(pattern):
            rec = self._path_to_record(path)
            owner = owner_of(path)
            if owner != rec["username"]:
                self.log.error("Refusing submission %s: it names student %s but belongs to user %s",
                               rec["filename"], rec["username"], owner)
                continue
            records.append(rec)
        usergroups = groupby(records, lambda item: item["username"])
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            try:
                self.duedate = gb.find_assignment(self.coursedir.assignment_id).duedate
            except MissingEntry:
                self.duedate = None
        self.src_records = []
        for group in usergroups.values():
            group = self._sort_by_timestamp(group)
            if self.duedate is not None and self.before_duedate:
                on_time = [r for r in group if r["timestamp"] <= self.duedate]
                group = on_time or group
            self.src_records.append(group[0])
