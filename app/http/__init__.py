"""What the JSON API and the web app share: schemas, presenters, errors, streaming, the runtime."""
