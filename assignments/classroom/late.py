"""The course's late policy, as an nbgrader LateSubmissionPlugin.

A notebook submitted after the due date loses ``percent_per_day`` percent of the score it
earned for each started day of lateness (after ``grace_minutes``), up to ``max_percent``.
Configured in ``assignments/nbgrader_config.py``; nbgrader's ``AssignLatePenalties`` step of
``autograde`` calls it with the seconds between the due date (gradebook) and the submission's
timestamp (from the exchange or zip_collect). The penalty shows in the gradebook, formgrader,
``grades.csv`` and the LMS exports (score = raw score - penalty).
"""
from __future__ import annotations

import math

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Float, validate, TraitError


class PerDayLatePenalty(LateSubmissionPlugin):
    percent_per_day = Float(10.0, help="percent of the earned score lost per started day late").tag(config=True)
    grace_minutes = Float(0.0, help="minutes after the due date that still count as on time").tag(config=True)
    max_percent = Float(100.0, help="the largest penalty, in percent of the earned score").tag(config=True)

    @validate("percent_per_day", "grace_minutes", "max_percent")
    def _non_negative(self, proposal):
        if proposal["value"] < 0:
            raise TraitError(f"PerDayLatePenalty.{proposal['trait'].name} must be >= 0, got {proposal['value']}")
        return proposal["value"]

    def days_late(self, total_seconds_late: float) -> int:
        """Started days of lateness counted by the policy (0 within the grace period)."""
        seconds = total_seconds_late - 60.0 * self.grace_minutes
        return 0 if seconds <= 0 else math.ceil(seconds / 86400.0)

    def late_submission_penalty(self, student_id: str, score: float, total_seconds_late: float) -> float:
        days = self.days_late(total_seconds_late)
        percent = min(self.max_percent, days * self.percent_per_day)
        penalty = round(score * percent / 100.0, 4)
        self.log.info("late policy: %s is %.0f s late (%d started day(s)): -%g%% of %g = -%g points",
                      student_id, total_seconds_late, days, percent, score, penalty)
        return penalty
