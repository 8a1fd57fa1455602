"""nbgrader configuration of the course (nbgrader reads it from the working directory:
the make targets run nbgrader from assignments/)."""
import os
import sys

c = get_config()  # noqa: F821 (provided by nbgrader)

HERE = os.path.dirname(os.path.abspath(__file__))

# The hidden tests and the nbgrader plugins are the package `graders` in this directory
# (not in rnncourse, which students install), like the class plugins in `classroom`
# (late policy, collection, LMS). nbgrader's own process imports the plugins
# (sys.path); the kernels it starts to run the notebooks import the hidden tests, and
# inherit this process's environment (PYTHONPATH). So any nbgrader command run here
# (generate_assignment, autograde, generate_feedback, formgrader) finds them.
if HERE not in sys.path:
    sys.path.insert(0, HERE)
os.environ["PYTHONPATH"] = os.pathsep.join(
    [HERE] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != HERE])

c.CourseDirectory.course_id = "rnn-from-scratch"
c.CourseDirectory.root = HERE
# SQLite next to this file by default (not committed); any SQLAlchemy URL, e.g.
# postgresql://user@host/gradebook for a large course, through an environment variable.
c.CourseDirectory.db_url = os.environ.get("RNNCOURSE_GRADEBOOK_URL",
                                          "sqlite:///" + os.path.join(HERE, "gradebook.db"))

# Autograding: a per-cell time limit (an endless loop loses that cell's points only),
# a kernel restart when one dies, and minimal tracebacks so feedback shows the message
# of a failed check but not the lines of the hidden test that raised it.
c.Execute.timeout = int(os.environ.get("RNNCOURSE_CELL_TIMEOUT", "60"))
c.Execute.interrupt_on_timeout = True
c.Execute.extra_arguments = ["--InteractiveShell.xmode=Minimal"]

# Harmless warnings written to stderr must not zero a grade cell.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"(?i)(warning|deprecat)"

# Feedback: nbgrader shows hidden tests by default; clear them.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
# ... and make the page work offline (MathJax inlined, not from a CDN) with a table of
# every part's score and message at the top (graders/feedback.py).
c.GenerateFeedback.exporter_class = "graders.feedback.FeedbackExporter"

# A kernel that dies in one cell, or a duplicated graded cell, must not cost the other
# cells' points (see graders/preprocessors.py); read-only and graded cells are
# restored from the master version (OverwriteCells), so editing or emptying them changes nothing.
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "graders.preprocessors.DeduplicateCells",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.Autograde.autograde_preprocessors = [
    "graders.preprocessors.ResilientExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Running a class (classroom/, book page "Running a class"): the late policy, submissions
# in someone else's name refused at collection, LMS downloads for zip_collect.
c.AssignLatePenalties.plugin_class = "classroom.late.PerDayLatePenalty"
c.PerDayLatePenalty.percent_per_day = 10.0       # of the earned score, per started day late
c.PerDayLatePenalty.grace_minutes = 0.0
c.PerDayLatePenalty.max_percent = 100.0
c.ExchangeFactory.collect = "classroom.exchange.OwnerCheckedCollect"
c.ZipCollectApp.collector_plugin = "classroom.lms_collect.LmsFileNameCollector"
