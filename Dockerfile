# The application image for web, worker and beat (see docker-compose.yml).

# Front-end assets: npm packages copied into static/vendor by the same script as `make setup`.
FROM node:22-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
COPY scripts/build-assets.sh scripts/build-assets.sh
RUN bash scripts/build-assets.sh

FROM python:3.12-slim AS app
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=qcommunity.settings.production \
    STATIC_ROOT=/app/staticfiles \
    PORT=8000

# Exactly the pinned, hash-checked dependencies; nothing is resolved at build time.
RUN python -m venv /opt/venv
COPY requirements.lock /tmp/requirements.lock
RUN pip install --require-hashes --no-deps -r /tmp/requirements.lock && rm /tmp/requirements.lock

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app
WORKDIR /app
COPY --chown=app:app . .
COPY --from=assets --chown=app:app /src/static/vendor static/vendor

# collectstatic needs production settings, which refuse to load without a long secret key: a
# throwaway one is generated for this step only and never stored in the image.
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
      python manage.py collectstatic --no-input -v0 \
    && mkdir -p /app/.run \
    && chown -R app:app /app/.run /app/staticfiles

USER app
EXPOSE 8000
CMD ["gunicorn", "qcommunity.wsgi:application", "--config", "gunicorn.conf.py"]
