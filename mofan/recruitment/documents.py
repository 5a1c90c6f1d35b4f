"""The 发展党员 documents a branch posts or files, generated from the file, as Word: the 发展对象公示
(the notice posted for the publicity), and the 审批表 the branch sends the higher committee after
a 支部党员大会 — receiving a probationary member, or deciding on one's 转正 — with every date,
name and count of the file in one table (the committee's approval left to be filled in when it
has not yet been recorded)."""

import tempfile

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from mofan.core.word import BODY_FONT, TITLE_FONT, east_asian, paragraph
from mofan.members.rules import cn
from mofan.recruitment.choices import Outcome, StepKind
from mofan.recruitment.rules import publicity_workdays


def publicity_notice(applicant, step) -> str:
    """The notice of the 发展对象公示 of `step` (a PUBLICITY step of the file); a file path."""
    if step.kind != StepKind.PUBLICITY:
        raise ValueError("not a publicity step")  # a caller's bug, not input
    person, org = applicant.person, applicant.org
    days = publicity_workdays(step.done_on, step.ends_on)
    document = Document()
    _a4(document, margin=2.8)
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
    return _saved(document, "mofan-publicity-")


def _saved(document, prefix: str) -> str:
    handle = tempfile.NamedTemporaryFile(prefix=prefix, suffix=".docx", delete=False)  # noqa: SIM115
    handle.close()
    document.save(handle.name)
    return handle.name


def _a4(document, margin: float = 2.5) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(margin)


def _latest(steps, kind, passed_only=False):
    found = [s for s in steps if s.kind == kind and (not passed_only or s.passed)]
    return max(found, key=lambda s: (s.done_on, s.pk)) if found else None


def _names(step) -> str:
    if step is None:
        return ""
    return "、".join(p.name for p in (step.person_a, step.person_b) if p is not None)


def _vote_words(step) -> str:
    return (
        f"{cn(step.done_on)}召开支部党员大会（{step.meeting.title if step.meeting_id else ''}）。"
        f"应到会有表决权的正式党员{step.entitled}人，实到{step.present}人；赞成{step.votes_for}票，"
        f"反对{step.votes_against}票，弃权{step.votes_abstain}票。"
    )


APPROVAL_TITLES = {
    StepKind.ADMISSION: "接收预备党员审批表",
    StepKind.CONFIRMATION: "预备党员转正审批表",
}


def approval_form(applicant, steps, kind: str) -> str:
    """The 审批表 after the 支部党员大会 of `kind` (ADMISSION or CONFIRMATION) passed; `steps`
    are the file's steps with their people and meetings loaded. A file path."""
    vote = _latest(steps, kind, passed_only=True)
    if vote is None:
        raise ValueError("no passed vote of that kind")  # a caller's bug, not input
    person, org = applicant.person, applicant.org
    document = Document()
    _a4(document)
    paragraph(document, APPROVAL_TITLES[kind], size=22, font=TITLE_FONT,
              align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)  # fmt: skip
    paragraph(document, f"党支部：{org.name}", size=12, indent=False)
    talk = _latest(steps, StepKind.TALK)
    activist = _latest(steps, StepKind.ACTIVIST)
    nominee = _latest(steps, StepKind.NOMINEE)
    political = _latest(steps, StepKind.POLITICAL)
    training = _latest(steps, StepKind.TRAINING)
    publicity = _latest(steps, StepKind.PUBLICITY)
    reviews = [s for s in steps if s.kind == StepKind.REVIEW]
    rows = [
        ("姓名", person.name),
        ("性别", person.get_gender_display()),
        ("民族", person.ethnicity),
        ("出生年月", f"{person.birth_date.year}年{person.birth_date.month}月"),
        ("学历", person.get_education_display() or "—"),
        ("工作单位及职务", f"{person.unit.name if person.unit_id else ''}{person.job_title}"),
        ("生产、工作一线", "是" if applicant.front_line else "否"),
        ("递交入党申请书", cn(applicant.applied_on)),
        ("谈话", f"{cn(talk.done_on)}，谈话人：{_names(talk)}" if talk else "—"),
        ("确定为入党积极分子",
         f"{cn(applicant.activist_on)}（{activist.get_recommendation_display()}），"
         f"培养联系人：{_names(activist)}" if activist else "—"),
        ("培养考察", f"共考察{len(reviews)}次：" + "、".join(cn(s.done_on) for s in reviews)
         if reviews else "—"),
        ("列为发展对象", f"{cn(applicant.nominee_on)}，入党介绍人：{_names(nominee)}"
         if nominee else "—"),
        ("政治审查", f"{cn(political.done_on)}：{political.note}" if political else "—"),
        ("集中培训", f"{cn(training.done_on)}结业，"
         + (f"{training.days}天" if training.days else f"{training.hours}学时")
         if training else "—"),
        ("公示", f"{cn(publicity.done_on)}至{cn(publicity.ends_on)}" if publicity else "—"),
        ("上级党委预审", cn(applicant.pre_review_on) if applicant.pre_review_on else "—"),
    ]  # fmt: skip
    if kind == StepKind.ADMISSION:
        rows.append(("支部大会决议",
                     _vote_words(vote) + f"同意接收{person.name}同志为中共预备党员。"))  # fmt: skip
        rows.append(("上级党委审批", f"{cn(applicant.approved_on)}批准为中共预备党员，预备期"
                     f"自{cn(applicant.admitted_on)}起一年" if applicant.approved_on
                     else "（审批意见）\n\n\n（盖章）　　　　年　　月　　日"))  # fmt: skip
    else:
        admission = _latest(steps, StepKind.ADMISSION, passed_only=True)
        oath = _latest(steps, StepKind.OATH)
        words = {
            Outcome.CONFIRM: f"同意{person.name}同志按期转为中共正式党员。",
            Outcome.EXTEND: f"同意延长{person.name}同志预备期{vote.extension_months}个月。",
            Outcome.CANCEL: f"同意取消{person.name}同志预备党员资格。",
        }[vote.outcome]
        rows += [
            ("支部大会接收为预备党员", cn(admission.done_on) if admission else "—"),
            ("上级党委批准为预备党员", cn(applicant.approved_on) if applicant.approved_on else "—"),
            ("入党宣誓", cn(oath.done_on) if oath else "—"),
            ("预备期满", cn(applicant.probation_ends_on) + ("（已延长）" if applicant.extended
                                                         else "")),
            ("支部大会决议", _vote_words(vote) + words),
            ("上级党委审批", f"{cn(applicant.ended_on)}批准" if applicant.stage == "full"
             else "（审批意见）\n\n\n（盖章）　　　　年　　月　　日"),
        ]  # fmt: skip
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].width, cells[1].width = Cm(4.5), Cm(11.5)
        for cell, text, bold in ((cells[0], label, True), (cells[1], value, False)):
            cell.paragraphs[0].text = ""
            for number, line in enumerate(str(text).split("\n")):
                target = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
                run = target.add_run(line)
                run.font.size, run.font.bold = Pt(12), bold
                east_asian(run, BODY_FONT)
    return _saved(document, "mofan-approval-")
