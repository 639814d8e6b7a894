from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext as _

from .days import Source, year_source
from .models import CalendarDay, CalendarYear


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "name")
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("name",)

    def changelist_view(self, request, extra_context=None):
        this_year = timezone.localdate().year
        for year in (this_year, this_year + 1):
            if year_source(year) == Source.FALLBACK:
                messages.warning(
                    request,
                    _(
                        "%(year)d年的节假日安排尚未录入：该年度暂按《全国年节及纪念日放假办法》规定的法定节假日"
                        "（含补假）推算，调休未计，落在该年的办理期限显示为“暂定”。"
                        "国务院办公厅公布安排后，请在此录入放假和调休日期，并在“日历年度”中标记该年已完整录入。"
                    )
                    % {"year": year},
                )
        return super().changelist_view(request, extra_context)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "complete", "source", "effective_source")

    @admin.display(description=_("当前计算依据"))
    def effective_source(self, obj):
        return {
            Source.TABLE: _("本系统录入"),
            Source.LIBRARY: _("chinese-calendar 库"),
            Source.FALLBACK: _("未录入：按法定节假日推算，调休未计（暂定）"),
        }[year_source(obj.year)]
