"""The background task that runs an export job (django-tasks; the worker is ``manage.py db_worker``)."""

from importlib.util import find_spec

if find_spec("django.tasks"):  # Django 6: the framework is part of Django
    from django.tasks import task
else:  # Django 5.2: the DEP 14 reference implementation, django-tasks
    from django_tasks import task


@task()
def run_export_job(job_id: str) -> int:
    from .jobs import run

    return run(job_id)
