"""Gunicorn settings shared by `make run`, the benchmarks and production.

See docs/deploy.md. Values can be overridden with GUNICORN_* style flags on
the command line.
"""
import os

worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 30
graceful_timeout = 20
keepalive = 5
accesslog = "-"
control_socket_disable = True
