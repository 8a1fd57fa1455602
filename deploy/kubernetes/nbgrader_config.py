"""nbgrader in the single-user pods: the exchange is ngshare (a service of the hub), not a shared folder.

Pods do not share a filesystem, so nbgrader's default exchange (a world-writable folder)
cannot work there; ngshare keeps releases, submissions and feedback in its own database
and checks who may fetch, submit or collect through the hub's authentication.
"""
from ngshare_exchange import configureExchange

c = get_config()  # noqa: F821 (provided by nbgrader)
configureExchange(c, "http://ngshare.jhub.svc.cluster.local:8080/services/ngshare")
c.CourseDirectory.course_id = "rnn-from-scratch"
