"""nbgrader configuration of every student's server (the hub puts this folder on JUPYTER_CONFIG_PATH).

Students only see the assignment list: fetch, submit, fetch feedback through the exchange.
The course id and the exchange come from the environment the hub gives the server.
"""
import os

c = get_config()  # noqa: F821 (provided by nbgrader)

c.CourseDirectory.course_id = os.environ.get("RNNCOURSE_COURSE_ID", "rnn-from-scratch")
c.Exchange.root = os.environ.get("RNNCOURSE_EXCHANGE", "/srv/nbgrader/exchange")
# the assignment list shows this course only
c.Exchange.path_includes_course = False
