# ruff: noqa: S603, S607, S608 - runs the stack's own binaries with fixed arguments
"""The production-like stack on loopback, with its own ports and data folders.

PostgreSQL (a fresh cluster made with initdb), Redis (append-only file, as in
docker-compose), gunicorn with 2+ workers on ``mentoring.settings.production`` (plain
HTTP only through ``DJANGO_LOOPBACK_HTTP``), a Celery worker and beat. Every process is
started here and stopped here by its process id (its process group), never by name.
"""

from __future__ import annotations

import glob
import http.client
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable


def pg_bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    if found:
        return Path(found[-1])
    pg_config = shutil.which("pg_config")
    if pg_config:
        return Path(subprocess.check_output([pg_config, "--bindir"], text=True).strip())
    raise SystemExit("PostgreSQL is not installed (Debian: apt-get install postgresql).")


@dataclass
class Stack:
    pg_port: int = 55532
    redis_port: int = 56479
    web_port: int = 58080
    web_workers: int = 2
    work: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="mentoring-proof.")))
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        os.chmod(self.work, 0o755)  # noqa: S103 - the postgres user must reach its folders
        self.pg_bin = pg_bindir()
        self.pg_data = self.work / "pg"
        self.pg_run = self.work / "pgrun"
        self.var = self.work / "var"
        self.mail_dir = self.var / "mail"
        self.var.mkdir(parents=True, exist_ok=True)
        self.as_postgres = os.geteuid() == 0  # initdb refuses to run as root

    # --- environment -----------------------------------------------------------------
    @property
    def database_url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.pg_port}/mentoring"

    def env(self) -> dict[str, str]:
        # Nothing of the caller's own set-up leaks in (their database, cache, mail server).
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "CELERY_", "REDIS_", "DATABASE_", "ACCOUNT_", "MFA_"))
        }
        secret = getattr(self, "_secret", None) or secrets.token_urlsafe(50)
        self._secret = secret
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "mentoring.settings.production",
                "DJANGO_SECRET_KEY": secret,
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
                "DJANGO_LOOPBACK_HTTP": "true",
                "DJANGO_TRUSTED_PROXY_COUNT": "1",
                "DATABASE_URL": self.database_url,
                "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
                "MENTORING_VAR_DIR": str(self.var),
                "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "SITE_BASE_URL": f"http://127.0.0.1:{self.web_port}",
                "GUNICORN_BIND": f"127.0.0.1:{self.web_port}",
                "GUNICORN_WORKERS": str(self.web_workers),
                "DJANGO_LOG_LEVEL": "WARNING",
                "PYTHONUNBUFFERED": "1",
            }
        )
        return env

    def _spawn(self, name: str, argv: list[str], **kwargs) -> subprocess.Popen:
        logf = open(self.work / f"{name}.log", "ab")  # noqa: SIM115 - lives as long as the child
        proc = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=kwargs.pop("env", None) or self.env(),
            stdout=logf,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as a whole, by id
            **kwargs,
        )
        self.procs[name] = proc
        return proc

    def _stop(self, name: str, sig: int = signal.SIGTERM, wait: float = 20.0) -> None:
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)

    def manage(self, *args: str, check: bool = True, timeout: int = 900) -> str:
        result = subprocess.run(
            [PY, "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise RuntimeError(
                f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}"
            )
        return result.stdout

    def django(self, script: str, *args: str, timeout: int = 900) -> str:
        """Run scripts/proof/<script> with Django set up on the production settings."""
        result = subprocess.run(
            [PY, str(Path(__file__).with_name(script)), *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{script} failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    # --- PostgreSQL --------------------------------------------------------------------
    def _as_pg(self, argv: list[str], **kwargs) -> subprocess.CompletedProcess:
        if self.as_postgres:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        return subprocess.run(argv, capture_output=True, text=True, **kwargs)

    def pg_init(self) -> None:
        for folder in (self.pg_data, self.pg_run):
            folder.mkdir(exist_ok=True)
            if self.as_postgres:
                shutil.chown(folder, "postgres", "postgres")
        result = self._as_pg(
            [
                str(self.pg_bin / "initdb"),
                "-D",
                str(self.pg_data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        )
        if result.returncode != 0:
            raise RuntimeError(result.stdout + result.stderr)

    def pg_start(self) -> None:
        options = (
            f"-p {self.pg_port} -k {self.pg_run} -c listen_addresses=127.0.0.1 "
            "-c max_connections=200 -c shared_buffers=128MB"
        )
        result = self._as_pg(
            [
                str(self.pg_bin / "pg_ctl"),
                "-D",
                str(self.pg_data),
                "-l",
                str(self.pg_run / "postgres.log"),
                "-w",
                "-o",
                options,
                "start",
            ],
            timeout=120,
        )
        if result.returncode != 0:
            log = (self.pg_run / "postgres.log").read_text(errors="replace")[-3000:]
            raise RuntimeError(result.stdout + result.stderr + log)

    def pg_stop(self, mode: str = "fast") -> None:
        if (self.pg_data / "postmaster.pid").exists():
            self._as_pg(
                [str(self.pg_bin / "pg_ctl"), "-D", str(self.pg_data), "-m", mode, "-w", "stop"],
                timeout=120,
            )
        pid_file = self.pg_data / "postmaster.pid"
        if pid_file.exists():  # pg_ctl failed: stop the postmaster by its process id
            try:
                os.kill(int(pid_file.read_text().split()[0]), signal.SIGTERM)
            except (ProcessLookupError, ValueError):
                pass

    def psql(self, sql: str, database: str = "mentoring") -> str:
        result = subprocess.run(
            [
                str(self.pg_bin / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.pg_port),
                "-U",
                "postgres",
                "-d",
                database,
                "-At",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                sql,
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0:
            raise RuntimeError(result.stderr)
        return result.stdout

    # --- Redis ---------------------------------------------------------------------------
    def redis_start(self) -> None:
        redis_dir = self.work / "redis"
        redis_dir.mkdir(exist_ok=True)
        self._spawn(
            "redis",
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(redis_dir),
                "--appendonly",
                "yes",
                "--save",
                "",
            ],
        )
        self._wait(lambda: self.redis_ping(), "Redis", 20)

    def redis_ping(self) -> bool:
        result = subprocess.run(
            [shutil.which("redis-cli") or "redis-cli", "-p", str(self.redis_port), "ping"],
            capture_output=True,
            text=True,
        )
        return result.stdout.strip() == "PONG"

    def redis_stop(self) -> None:
        self._stop("redis")

    # --- the app -----------------------------------------------------------------------
    def web_start(self) -> None:
        self._spawn(
            "web",
            [
                PY,
                "-m",
                "gunicorn",
                "-c",
                "gunicorn.conf.py",
                "--access-logfile",
                "-" if os.environ.get("PROOF_ACCESS_LOG") else "/dev/null",
                "mentoring.wsgi:application",
            ],
        )
        self._wait(self.web_ready, "gunicorn", 60)

    def web_ready(self) -> bool:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.web_port, timeout=2)
            conn.request("GET", "/healthz")
            status = conn.getresponse().status
            conn.close()
        except OSError:
            return False
        return status in (200, 503)

    def worker_start(self) -> subprocess.Popen:
        return self._spawn(
            "worker",
            [
                PY,
                "-m",
                "celery",
                "-A",
                "mentoring",
                "worker",
                "--loglevel=WARNING",
                "--concurrency=2",
                "--hostname=proof@%h",
                # As in production: their restart after a lost broker crashes the worker.
                "--without-gossip",
                "--without-mingle",
            ],
        )

    def worker_kill(self) -> None:
        """SIGKILL the worker and its pool: a crash, no warm shutdown."""
        self._stop("worker", sig=signal.SIGKILL)

    def beat_start(self) -> None:
        self._spawn(
            "beat",
            [
                PY,
                "-m",
                "celery",
                "-A",
                "mentoring",
                "beat",
                "--loglevel=WARNING",
                "--pidfile=",
                f"--schedule={self.var / 'celerybeat-schedule'}",
            ],
        )

    # --- the whole -------------------------------------------------------------------------
    def start(self, *, say=print) -> None:
        say(f"  work folder {self.work}")
        self.pg_init()
        self.pg_start()
        self.psql("CREATE DATABASE mentoring", database="postgres")
        self.redis_start()
        say("  migrate, collectstatic")
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput", "-v", "0")
        check = self.manage("check", "--deploy")
        say(f"  check --deploy: {check.strip().splitlines()[-1] if check.strip() else 'ok'}")

    def serve(self) -> None:
        self.web_start()
        self.worker_start()
        self.beat_start()

    def stop(self) -> None:
        for name in ("web", "beat", "worker"):
            self._stop(name)
        for name in list(self.procs):
            if name != "redis":
                self._stop(name)
        self._stop("redis")
        self.pg_stop()

    def _wait(self, ready, what: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if ready():
                return
            time.sleep(0.2)
        raise RuntimeError(f"{what} did not come up within {seconds:.0f} s (logs in {self.work})")
