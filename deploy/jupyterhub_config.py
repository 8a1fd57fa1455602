"""JupyterHub configuration of the course on one machine: `jupyterhub -f deploy/jupyterhub_config.py`.

Who is who comes from the environment (so the same file serves a real class and the
end-to-end test, tests/test_class_e2e.py):

| variable | meaning | default |
|---|---|---|
| RNNCOURSE_INSTRUCTORS | comma-separated system users who teach | (required) |
| RNNCOURSE_STUDENTS | comma-separated system users who take the course | (required) |
| RNNCOURSE_SINGLEUSER | the single-user environment (deploy/singleuser_env.py) | /opt/rnncourse/singleuser |
| RNNCOURSE_EXCHANGE | nbgrader's exchange folder | /srv/nbgrader/exchange |
| RNNCOURSE_HUB_STATE | the hub's own files: its database, cookie secret, role configs | /srv/jupyterhub |
| RNNCOURSE_GRADEBOOK_URL | the gradebook (SQLAlchemy URL; PostgreSQL), given to instructors only | (course default: SQLite) |
| RNNCOURSE_HUB_IP, RNNCOURSE_HUB_PORT | where the proxy listens | 127.0.0.1, 8000 |
| RNNCOURSE_PROXY | the configurable-http-proxy program (npm) | configurable-http-proxy on PATH |

Everyone logs in with their system password (PAM) and gets a JupyterLab server running as
their own user, from the single-user environment, with OPENBLAS single-threaded:

- instructors: formgrader on the course directory ``~/course`` (a copy of the repository's
  ``assignments/``), the gradebook URL, nbgrader's release/collect/feedback through the exchange;
- students: the assignment list only (fetch, submit, fetch feedback); no formgrader, no
  gradebook, no course directory.

No one is a hub admin: an admin could open the other users' servers.
"""
import os
import shutil

c = get_config()  # noqa: F821 (provided by JupyterHub)

HERE = os.path.dirname(os.path.abspath(__file__))


def _users(var):
    names = [u.strip() for u in os.environ.get(var, "").split(",") if u.strip()]
    if not names:
        raise ValueError(f"{var} is empty: name the system users, comma-separated")
    return set(names)


INSTRUCTORS = _users("RNNCOURSE_INSTRUCTORS")
STUDENTS = _users("RNNCOURSE_STUDENTS")
if INSTRUCTORS & STUDENTS:
    raise ValueError(f"RNNCOURSE_INSTRUCTORS and RNNCOURSE_STUDENTS share {sorted(INSTRUCTORS & STUDENTS)}")
SINGLEUSER = os.environ.get("RNNCOURSE_SINGLEUSER", "/opt/rnncourse/singleuser")
EXCHANGE = os.environ.get("RNNCOURSE_EXCHANGE", "/srv/nbgrader/exchange")
STATE = os.environ.get("RNNCOURSE_HUB_STATE", "/srv/jupyterhub")
COURSE_ID = os.environ.get("RNNCOURSE_COURSE_ID", "rnn-from-scratch")

# The per-role Jupyter configuration (deploy/jupyter/{student,instructor}) is copied where
# every user can read it: the repository itself may sit in a private home directory.
os.makedirs(STATE, exist_ok=True)
os.chmod(STATE, 0o755)
ROLE_CONFIG = os.path.join(STATE, "jupyter")
shutil.rmtree(ROLE_CONFIG, ignore_errors=True)
shutil.copytree(os.path.join(HERE, "jupyter"), ROLE_CONFIG)
for d, _, files in os.walk(ROLE_CONFIG):
    os.chmod(d, 0o755)
    for f in files:
        os.chmod(os.path.join(d, f), 0o644)

# The exchange: world-writable with the sticky bit, as nbgrader's filesystem exchange expects.
os.makedirs(EXCHANGE, exist_ok=True)
os.chmod(EXCHANGE, 0o1777)

c.JupyterHub.ip = os.environ.get("RNNCOURSE_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("RNNCOURSE_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("RNNCOURSE_HUB_API_PORT", "8081"))
c.JupyterHub.db_url = os.environ.get("RNNCOURSE_HUB_DB_URL", "sqlite:///" + os.path.join(STATE, "jupyterhub.sqlite"))
c.JupyterHub.cookie_secret_file = os.path.join(STATE, "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = os.path.join(STATE, "jupyterhub.pid")
c.ConfigurableHTTPProxy.command = [os.environ.get("RNNCOURSE_PROXY", "configurable-http-proxy")]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:%d" % int(os.environ.get("RNNCOURSE_PROXY_API_PORT", "8001"))
c.ConfigurableHTTPProxy.pid_file = os.path.join(STATE, "jupyterhub-proxy.pid")

# System users, system passwords.
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.open_sessions = False
c.Authenticator.allowed_users = INSTRUCTORS | STUDENTS
c.Authenticator.admin_users = set()
c.JupyterHub.load_groups = {"instructors": {"users": sorted(INSTRUCTORS)},
                            "students": {"users": sorted(STUDENTS)}}

# Each user's server runs as that user, from the single-user environment.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [os.path.join(SINGLEUSER, "bin", "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.environment = {
    "PATH": os.path.join(SINGLEUSER, "bin") + ":/usr/local/bin:/usr/bin:/bin",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "RNNCOURSE_COURSE_ID": COURSE_ID,
    "RNNCOURSE_EXCHANGE": EXCHANGE,
}


def pre_spawn_hook(spawner):
    name = spawner.user.name
    role = "instructor" if name in INSTRUCTORS else "student"
    spawner.environment["JUPYTER_CONFIG_PATH"] = os.path.join(ROLE_CONFIG, role)
    if role == "instructor":
        if os.environ.get("RNNCOURSE_GRADEBOOK_URL"):
            spawner.environment["RNNCOURSE_GRADEBOOK_URL"] = os.environ["RNNCOURSE_GRADEBOOK_URL"]
        if os.environ.get("RNNCOURSE_CELL_TIMEOUT"):
            spawner.environment["RNNCOURSE_CELL_TIMEOUT"] = os.environ["RNNCOURSE_CELL_TIMEOUT"]


c.Spawner.pre_spawn_hook = pre_spawn_hook
