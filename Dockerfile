# One image for web, worker and beat (docker-compose.yml picks the command).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    VAR_DIR=/app/var

WORKDIR /app
# WeasyPrint (the reports' PDF) needs Pango and a font.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
RUN useradd --create-home --uid 1000 portfolio \
    && mkdir -p /app/var && chown -R portfolio /app/var
USER portfolio

# collectstatic needs settings, not services: a build-time key and database URL only.
RUN DATABASE_URL=postgres://build@localhost/build SECRET_KEY=build-only ALLOWED_HOSTS=localhost \
    REDIS_URL=redis://localhost:6379/0 python manage.py collectstatic --noinput -v0

EXPOSE 8000
CMD ["gunicorn", "portfolio.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
