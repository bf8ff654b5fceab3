# onsite: the service on its embedded defaults (offline interviewer, SQLite under /data).
# The base is pinned to a release (Python 3.11.14 on Debian 12): a rebuild gets the same
# interpreter and Debian packages until this line is changed on purpose.
FROM python:3.11.14-slim-bookworm

# tini runs as PID 1: it reaps every orphaned process (a sandboxed run's children included) and
# passes signals on, so the server is never PID 1. bubblewrap and Debian's python3 with NumPy
# and PyTorch (CPU; about 1 GB, for the ML coding questions that ask for it) are the code
# sandbox (the candidates' interpreter, not the service's).
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini bubblewrap python3-numpy python3-torch fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# the dependencies first, in a layer that is rebuilt only when pyproject.toml changes: an
# empty app package stands in for the code, which comes next
COPY pyproject.toml README.md ./
RUN mkdir app && touch app/__init__.py \
    && python3.11 -m venv .venv && .venv/bin/pip install -q --no-cache-dir . \
    && .venv/bin/pip uninstall -q -y onsite && rm -rf app build onsite.egg-info
COPY . .
# the same install and start commands as the README
RUN .venv/bin/pip install -q --no-cache-dir --no-deps -e .

ENV ONSITE_DATABASE_URL=sqlite:////data/onsite.db
VOLUME ["/data"]
EXPOSE 8000
# 503 while the database is unreachable or needs `onsite migrate`
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD [".venv/bin/python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# on 0.0.0.0 with no ONSITE_SECRET_KEY, serve signs tokens with a key it generates once and
# keeps in /data/secret_key; set ONSITE_SECRET_KEY to choose your own
CMD [".venv/bin/onsite", "serve", "--host", "0.0.0.0"]
