"""A sequence per year that never gaps or repeats: the counter row stays locked until the transaction ends.

项目代码 (projects) and 备案号 (delivery) are both "the next number of the year"; each keeps its own table
(a concrete subclass) and its own printed format.
"""

from __future__ import annotations

from django.db import models


class YearCounter(models.Model):
    """The last sequence number issued in a year."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"

    @classmethod
    def next_number(cls, year: int) -> int:
        """Take the year's next number; call it inside the transaction that uses the number."""
        cls.objects.get_or_create(year=year)
        counter = cls.objects.select_for_update().get(year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
        return counter.last
