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

# A worker is replaced after about this many requests (staggered by the jitter so
# they do not restart together): CPython keeps the high-water mark of a big page
# or a ZIP of certificates for the life of the process (docs/performance.md).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
