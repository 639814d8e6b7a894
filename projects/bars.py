"""Why a unit may not get new projects now (R-APP-4, 川办法 第三十二、三十三、五十一条).

The reasons live downstream — overdue or failed acceptances and security findings in ``delivery``,
sharing violations in ``catalogue`` (read by delivery) — and the arrows of ARCHITECTURE.md keep projects
and approvals from importing delivery. So delivery registers its provider here in its AppConfig.ready(),
and whoever must show or enforce the bar asks ``unit_bars``: the submit check, NDRC's review page and
the approval guard. With no provider registered a unit is never barred.

``provider(unit, *, year=None, exclude_project=None) -> list[Failure]``: ``year`` is the 申报年度 of the
project being filed or approved (a sharing violation bars the unit's projects of the following years,
第三十三条); ``exclude_project`` is that project itself (the bar is on the unit's *other* projects).
"""

from __future__ import annotations

from collections.abc import Callable

from govinfo.errors import Failure

Provider = Callable[..., list[Failure]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def unit_bars(unit, *, year: int | None = None, exclude_project=None) -> list[Failure]:
    """Every reason ``unit`` is barred from new projects now, each with its rule and article; [] when free."""
    return [
        failure
        for provider in _PROVIDERS
        for failure in provider(unit, year=year, exclude_project=exclude_project)
    ]
