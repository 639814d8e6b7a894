from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """A day whose status differs from the library or from Monday–Friday: a holiday or a 调休 workday.

    The 国务院办公厅 publishes each year's arrangement in late autumn; an administrator enters it
    here for years the chinese-calendar library does not know yet.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("放假")
        WORKDAY = "workday", _("上班（调休）")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=32, blank=True, help_text=_("如“春节”“国庆节调休”"))

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()


class CalendarYear(models.Model):
    """Marks a year whose arrangement has been entered in full, so no fallback warning is shown."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    complete = models.BooleanField(_("已完整录入"), default=True)
    source = models.CharField(_("依据"), max_length=128, blank=True, help_text=_("如“国办发明电〔2026〕7号”"))

    class Meta:
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)
