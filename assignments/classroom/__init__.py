"""The course's nbgrader plugins for running a class (instructor side only; not part of rnncourse).

- ``late.PerDayLatePenalty``: the late policy (nbgrader's LateSubmissionPlugin);
- ``exports.CanvasExportPlugin``, ``exports.MoodleExportPlugin``: grades as CSV files that
  Canvas's and Moodle's gradebooks import (nbgrader's ExportPlugin);
- ``lms_collect.LmsFileNameCollector``: ``nbgrader zip_collect`` for Canvas and Moodle
  downloads (nbgrader's FileNameCollectorPlugin);
- ``exchange.OwnerCheckedCollect``: ``nbgrader collect`` that refuses a submission whose
  files belong to another user than the student it names (nbgrader only warns);
- ``similarity``: a similarity report over the answer cells of one assignment's submissions.

``assignments/nbgrader_config.py`` puts this folder's parent on ``sys.path`` and selects them.
"""
