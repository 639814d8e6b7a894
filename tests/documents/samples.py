"""A realistic two-page 批复, shared by the tests and bench/pdf_render.py, and a way to read a PDF back."""

import datetime as dt
import subprocess

from govinfo.documents.issue import Heading
from govinfo.documents.models import IssuedDocument

PROJECT_CODE = "SC-2026-0042"
PROJECT_NAME = "四川省教育厅智慧教育公共服务平台建设项目"
TITLE = f"关于{PROJECT_NAME}可行性研究报告的批复"
DATE = dt.date(2026, 11, 24)
BODY_PHRASE = "原则同意该项目可行性研究报告提出的建设目标"

BODY = [
    "你厅《关于报送四川省教育厅智慧教育公共服务平台建设项目可行性研究报告的请示》（川教〔2026〕35号）收悉。"
    "经研究，并商省财政厅、省委网信办、省大数据中心，现批复如下：",
    Heading(1, "一、建设目标与内容"),
    f"{BODY_PHRASE}和主要内容。项目依托省级政务云建设，不新建机房，不单独购置服务器，"
    "统一接入省一体化政务数据共享交换平台。",
    Heading(
        2, "（一）应用系统建设。", "建设学籍管理、招生考试、教师发展、资助管理等4个业务子系统和统一门户。"
    ),
    Heading(
        2,
        "（二）数据资源建设。",
        "编制信息资源目录18项，其中无条件共享11项、有条件共享7项。",
    ),
    Heading(3, "1.数据标准。", "执行国家和省有关政务数据标准。"),
    Heading(4, "（1）共享方式。", "以接口方式为主、库表方式为辅，经共享平台提供服务，不另建专线。"),
    Heading(1, "二、投资估算及资金来源"),
    "项目总投资1860.52万元，其中建设投资1620.00万元、运维费用240.52万元，资金由省级财政预算内基本建设资金安排。",
    Heading(1, "三、有关要求"),
    "项目单位要严格按照批复的建设内容、规模和投资组织实施，落实网络安全等级保护和商用密码应用安全性评估要求，"
    "建设完成并试运行满三个月后，按规定申请验收。",
]


def issue_sample(agency, issued_by, *, date=DATE, title=TITLE, **overrides):
    from govinfo.documents.issue import issue_document

    arguments = {
        "kind": IssuedDocument.Kind.APPROVAL,
        "agency": agency,
        "title": title,
        "addressee": "四川省教育厅",
        "body": BODY,
        "project_code": PROJECT_CODE,
        "project_name": PROJECT_NAME,
        "cc": ["省财政厅", "省委网信办", "省大数据中心", "省审计厅"],
        "signer_agency_name": agency.name,
        "date": date,
        "issued_by": issued_by,
    }
    arguments.update(overrides)
    return issue_document(**arguments)


def pdf_text(document) -> str:
    """The text of an issued document's stored PDF, as poppler's pdftotext extracts it."""
    with document.pdf.open("rb") as stored:
        data = stored.read()
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
