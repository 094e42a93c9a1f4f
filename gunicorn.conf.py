"""gunicorn settings, read automatically from the working directory (the Dockerfile's /app).
Command-line options (workers, threads, bind) override these."""

# Import the app, and every view, once in the master process before the workers fork: a new
# worker is ready at once instead of spending its first request importing (WeasyPrint, openpyxl...).
preload_app = True
worker_class = "gthread"
# Longer than a reverse proxy's or browser's idle connection: otherwise a client can send a request
# on a kept-alive connection just as the server closes it, and gets no response at all.
keepalive = 75


def when_ready(server):
    # In the master, before the workers fork: every view module, the bank holidays, the busiest
    # pages' templates (ilacs/warmup.py); then everything loaded so far is set aside from the
    # garbage collector (ilacs.warmup.freeze).
    from ilacs.warmup import freeze, warm

    warm()
    freeze()
