"""The 发展党员 documents a branch posts or files, generated from the file: the 发展对象公示
(the notice posted for the publicity), as Word."""

import tempfile

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from mofan.core.word import TITLE_FONT, paragraph
from mofan.members.rules import cn
from mofan.recruitment.choices import StepKind
from mofan.recruitment.rules import publicity_workdays


def publicity_notice(applicant, step) -> str:
    """The notice of the 发展对象公示 of `step` (a PUBLICITY step of the file); a file path."""
    if step.kind != StepKind.PUBLICITY:
        raise ValueError("not a publicity step")  # a caller's bug, not input
    person, org = applicant.person, applicant.org
    days = publicity_workdays(step.done_on, step.ends_on)
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.8)
    centre, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    paragraph(document, "发展对象公示", size=22, font=TITLE_FONT, align=centre, indent=False)
    paragraph(
        document,
        f"根据《中国共产党发展党员工作细则》，经{org.name}支部委员会研究，拟将{person.name}同志"
        "作为发展对象报上级党委预审。为广泛听取党员和群众意见，现将有关情况公示如下：",
    )
    education = person.get_education_display() or "—"
    facts = (
        f"{person.name}，{person.get_gender_display()}，{person.ethnicity}，"
        f"{person.birth_date.year}年{person.birth_date.month}月生，{education}，"
        f"{person.unit.name if person.unit_id else ''}{person.job_title}。"
        f"{cn(applicant.applied_on)}递交入党申请书，{cn(applicant.activist_on)}被确定为入党积极分子，"
        f"{cn(applicant.nominee_on)}被列为发展对象。"
    )
    paragraph(document, facts)
    paragraph(
        document,
        f"公示时间：{cn(step.done_on)}至{cn(step.ends_on)}（{days}个工作日）。公示期间，党员和群众"
        "可通过来电、来信、来访等方式，向党支部或上级党委组织部门反映该同志的情况和问题。"
        "反映问题应实事求是，以真实姓名反映的，我们将严格保密。",
    )
    paragraph(document, "联系电话：", indent=True)
    paragraph(document, org.name, align=right, indent=False)
    paragraph(document, cn(step.done_on), align=right, indent=False)
    handle = tempfile.NamedTemporaryFile(prefix="mofan-publicity-", suffix=".docx", delete=False)  # noqa: SIM115
    handle.close()
    document.save(handle.name)
    return handle.name
