"""gunicorn settings: ``gunicorn govinfo.wsgi`` reads this file from the working directory.

Workers and threads come from the environment (GUNICORN_WORKERS, default 2 × CPUs + 1). Each worker renders
one tiny 公文 as soon as it has loaded the site, so the first 批复 it issues does not pay for loading
WeasyPrint, the fonts and the stylesheet (govinfo.documents.rendering.warm_up).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None


def post_worker_init(worker):
    from govinfo.documents.rendering import warm_up

    try:
        seconds = warm_up()
    except Exception as error:  # a worker that cannot render still serves every page but the PDFs
        worker.log.warning("PDF warm-up failed: %s", error)
    else:
        worker.log.info("PDF renderer warmed up in %.2f s", seconds)
