"""Grades as CSV files that LMS gradebooks import: ``nbgrader export --exporter=...``.

Run inside the course directory (``make export LMS=canvas``, or by hand)::

    nbgrader export --exporter=classroom.exports.CanvasExportPlugin --to canvas_grades.csv
    nbgrader export --exporter=classroom.exports.MoodleExportPlugin --to moodle_grades.csv

One row per student of the gradebook, one column per assignment, the score after the late
penalty (a missing submission counts 0).

Canvas (Grades > Import): the columns of Canvas's own gradebook export, ``Student, ID, SIS
User ID, SIS Login ID, Section``, then one column per assignment, and a ``Points Possible``
row. Canvas finds each student by ``ID`` (the Canvas user id: nbgrader's ``lms_user_id``,
set with ``nbgrader db student add --lms-user-id``) or else by ``SIS Login ID`` (the nbgrader
student id). A column named ``name (1234)`` updates Canvas assignment 1234
(``CanvasExportPlugin.assignment_ids``); a column without an id makes a new assignment.

Moodle (Grades > Import > CSV file): ``First name, Last name, ID number, Email address``
and one column per assignment; on import, map *Email address* to *useremail* (or *ID
number*, the nbgrader student id, to *useridnumber*) and each assignment column to its grade
item.
"""
from __future__ import annotations

import csv

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import ExportPlugin
from traitlets import Dict, Unicode


class _TableExport(ExportPlugin):
    """Students x assignments, final scores (after the late penalty)."""

    default_file = "grades.csv"

    def _selected(self, gradebook: Gradebook):
        assignments = [a for a in gradebook.assignments if not self.assignment or a.name in self.assignment]
        students = [s for s in gradebook.students if not self.student or s.id in self.student]
        unknown = sorted(set(self.assignment) - {a.name for a in gradebook.assignments})
        if unknown:
            raise ValueError(f"--assignment: no such assignment in the gradebook: {', '.join(unknown)}")
        return assignments, students

    @staticmethod
    def final_score(gradebook: Gradebook, assignment: str, student: str) -> float:
        try:
            sub = gradebook.find_submission(assignment, student)
        except MissingEntry:
            return 0.0
        return max(0.0, float(sub.score) - float(sub.late_submission_penalty or 0.0))

    @staticmethod
    def fmt(x: float) -> str:
        return f"{x:.2f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))

    def export(self, gradebook: Gradebook) -> None:
        dest = self.to or self.default_file
        assignments, students = self._selected(gradebook)
        header, points = self.header(assignments)
        with open(dest, "w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            out.writerow(header)
            if points is not None:
                out.writerow(points)
            for s in students:
                scores = [self.fmt(self.final_score(gradebook, a.name, s.id)) for a in assignments]
                out.writerow(self.identity(s) + scores)
        self.log.info("Exported %d student(s) x %d assignment(s) to %s", len(students), len(assignments), dest)


class CanvasExportPlugin(_TableExport):
    default_file = "canvas_grades.csv"
    assignment_ids = Dict(Unicode(), help="Canvas assignment id of each nbgrader assignment, "
                                          "e.g. {'a01_rnn_forward': '1234'}").tag(config=True)
    section = Unicode("", help="the Section column (Canvas ignores it on import)").tag(config=True)

    def header(self, assignments):
        cols = [f"{a.name} ({self.assignment_ids[a.name]})" if a.name in self.assignment_ids else a.name
                for a in assignments]
        points = ["Points Possible", "", "", "", ""] + [self.fmt(float(a.max_score)) for a in assignments]
        return ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] + cols, points

    def identity(self, s):
        name = ", ".join(x for x in (s.last_name, s.first_name) if x) or s.id
        return [name, s.lms_user_id or "", "", s.id, self.section]


class MoodleExportPlugin(_TableExport):
    default_file = "moodle_grades.csv"

    def header(self, assignments):
        return ["First name", "Last name", "ID number", "Email address"] + [a.name for a in assignments], None

    def identity(self, s):
        return [s.first_name or "", s.last_name or "", s.id, s.email or ""]
