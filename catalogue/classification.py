"""信息资源分类 (《政务信息资源目录编制指南（试行）》, DOMAIN.md §5): 类 and their fixed sub-classes.

Kept as code, not a table: the classes and sub-classes are fixed by the national guide, the first
digit of every resource code is the class (1 基础, 2 主题, 3 部门), so changing them means changing
the code format anyway; choices also cost no join on the list page. 部门 has no fixed sub-class:
the providing department is the sub-class.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    # The value is the 类 digit that opens the resource code.
    BASIC = "1", _("基础信息资源")
    THEME = "2", _("主题信息资源")
    DEPARTMENT = "3", _("部门信息资源")


BASIC_SUBJECTS = [
    ("b01", _("人口")),
    ("b02", _("法人单位")),
    ("b03", _("自然资源和空间地理")),
    ("b04", _("社会信用")),
    ("b05", _("电子证照")),
]

THEME_SUBJECTS = [
    ("t01", _("公共服务")),
    ("t02", _("健康保障")),
    ("t03", _("社会保障")),
    ("t04", _("食品药品安全")),
    ("t05", _("安全生产")),
    ("t06", _("价格监管")),
    ("t07", _("能源安全")),
    ("t08", _("信用体系")),
    ("t09", _("城乡建设")),
    ("t10", _("社区治理")),
    ("t11", _("生态环保")),
    ("t12", _("应急维稳")),
]

SUBJECTS_BY_CATEGORY = {
    Category.BASIC: dict(BASIC_SUBJECTS),
    Category.THEME: dict(THEME_SUBJECTS),
    Category.DEPARTMENT: {},
}

# Grouped choices: the select shows each sub-class under its class.
SUBJECT_CHOICES = [
    (Category.BASIC.label, BASIC_SUBJECTS),
    (Category.THEME.label, THEME_SUBJECTS),
]

SUBJECT_LABELS = dict(BASIC_SUBJECTS + THEME_SUBJECTS)
