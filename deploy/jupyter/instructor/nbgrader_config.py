"""nbgrader configuration of every instructor's server (the hub puts this folder on JUPYTER_CONFIG_PATH).

The course directory is ``~/course`` (a copy of the repository's ``assignments/`` folder,
readable by its instructor only); nbgrader then also reads ``~/course/nbgrader_config.py``,
which names the gradebook (``RNNCOURSE_GRADEBOOK_URL``, PostgreSQL here, given by the hub to
instructors only), the late policy and the plugins.
"""
import os

c = get_config()  # noqa: F821 (provided by nbgrader)

c.CourseDirectory.root = os.path.join(os.path.expanduser("~"), os.environ.get("RNNCOURSE_COURSE_DIR", "course"))
c.CourseDirectory.course_id = os.environ.get("RNNCOURSE_COURSE_ID", "rnn-from-scratch")
c.Exchange.root = os.environ.get("RNNCOURSE_EXCHANGE", "/srv/nbgrader/exchange")
c.Exchange.path_includes_course = False
