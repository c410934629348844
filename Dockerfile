# Production image: Python 3.13 slim, front-end assets from npm, gunicorn.
# gunicorn.conf.py binds :8000, reads GUNICORN_WORKERS and redacts secret URL tokens
# from the access log. .dockerignore keeps .env (the operator's secrets) out of the image.
FROM node:20-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.13-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=mentoring.settings.production \
    MENTORING_VAR_DIR=/app/var
WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
COPY --from=assets /build/node_modules ./node_modules
RUN python scripts/vendor_assets.py && rm -rf node_modules \
    && useradd --create-home --uid 10001 mentoring && mkdir -p var && chown -R mentoring var
USER mentoring
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py collectstatic --noinput && gunicorn mentoring.wsgi:application --config gunicorn.conf.py"]
