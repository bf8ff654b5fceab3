# onsite: the service on its embedded defaults (offline interviewer, SQLite under /data).
FROM python:3.11-slim
# the code sandbox: bubblewrap, and Debian's python3 with NumPy for candidates' code. Docker's
# default seccomp profile forbids user namespaces: run with a profile that allows them (or
# --security-opt seccomp=unconfined) for code execution; otherwise it is disabled with the reason.
RUN apt-get update && apt-get install -y --no-install-recommends bubblewrap python3-numpy \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
# the same install and start commands as the README
RUN python3.11 -m venv .venv && .venv/bin/pip install -q -e .
ENV ONSITE_DATABASE_URL=sqlite:////data/onsite.db
VOLUME ["/data"]
EXPOSE 8000
CMD [".venv/bin/onsite", "serve", "--host", "0.0.0.0"]
