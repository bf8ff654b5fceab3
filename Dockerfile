# onsite: the service on its embedded defaults (offline interviewer, SQLite under /data).
FROM python:3.11-slim
WORKDIR /app
COPY . .
# the same install and start commands as the README
RUN python3.11 -m venv .venv && .venv/bin/pip install -q -e .
ENV ONSITE_DATABASE_URL=sqlite:////data/onsite.db
VOLUME ["/data"]
EXPOSE 8000
CMD [".venv/bin/onsite", "serve", "--host", "0.0.0.0"]
