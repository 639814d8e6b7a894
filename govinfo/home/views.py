from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from govinfo.orgs import roles
from govinfo.orgs.models import Role

from . import todo

# What each role will find on its to-do list, shown while the list is empty.
EMPTY_STATE_HINTS = {
    Role.APPLICANT: _(
        "本单位待补充或被退回修改的项目申报、待答复的数据共享申请和数据异议、即将到期的绩效监控报告与验收。"
    ),
    Role.REVIEWER: _("分派给本机构的审核任务（按到期日排序，逾期标红）、待处理的共享申请。"),
    Role.SIGNER: _("本机构待签发的审核意见，以及需要您决定的批复和验收意见。"),
    Role.AUDITOR: _("审计人员不办理业务事项；可从导航进入项目、目录和审计记录查询。"),
    Role.EXPERT: _("邀请您参加评估论证的项目及待提交的评估意见。"),
    Role.ADMIN: _("系统管理事项：机构、单位、用户与角色、工作日历，请进入“系统管理”。"),
}


@login_required
def home(request):
    user_roles = roles.roles(request.user)
    items = todo.items_for(request.user)
    hints = [text for role, text in EMPTY_STATE_HINTS.items() if role in user_roles]
    return render(
        request,
        "home/home.html",
        {
            "items": items,
            "overdue_count": sum(item.overdue for item in items),
            "hints": hints,
            "has_no_role": not user_roles,
        },
    )
