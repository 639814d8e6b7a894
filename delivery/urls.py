"""The pages of the years after the 批复. Each part appends its own patterns (see ``PART_URLS``)."""

from importlib import import_module
from importlib.util import find_spec

app_name = "delivery"

PART_URLS = ["filing", "changes", "supervision", "monitoring", "acceptance", "evaluation", "blocking"]

urlpatterns = []
for _part in PART_URLS:
    _name = f"delivery.{_part}_urls"
    if find_spec(_name) is not None:
        urlpatterns += import_module(_name).urlpatterns
