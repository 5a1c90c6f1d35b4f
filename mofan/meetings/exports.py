"""The meeting record book (会议记录本) of an organisation for a year as Word — one meeting a page in
the customary layout — and the compliance statistics of a subtree as Excel."""

import tempfile

from django.utils import timezone
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Cm, Pt

from mofan.core.excel import write_table
from mofan.core.templatetags.mofan import cnwhen
from mofan.core.word import east_asian
from mofan.meetings import compliance
from mofan.meetings.choices import AttendanceRole, AttendanceStatus, MeetingState
from mofan.meetings.models import Meeting

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"


def _run(paragraph, text: str, *, size: float = 12, font: str = BODY_FONT, bold: bool = False):
    run = paragraph.add_run(text)
    run.font.size, run.font.bold = Pt(size), bold
    east_asian(run, font)
    return run


def _names(rows, status, role=AttendanceRole.MEMBER) -> str:
    names = [a.person.name for a in rows if a.status == status and a.role == role]
    return "、".join(names) if names else "无"


def record_book(org, year: int, meetings, *, restricted: set[int] = frozenset()) -> str:
    """A Word file with the year's held meetings of `org`, one a page. Meetings in `restricted`
    (a leading group's, for a reader outside it) show the facts without the minutes."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.6)
    section.top_margin, section.bottom_margin = Cm(3.0), Cm(2.5)
    cover = document.add_paragraph()
    cover.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(cover, f"{org.name}\n{year}年度会议记录本", size=22, font=TITLE_FONT)
    meetings = list(meetings)
    if not meetings:
        empty = document.add_paragraph()
        empty.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(empty, "本年度暂无已召开的会议记录。")
    for meeting in meetings:
        document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
        heading = document.add_paragraph()
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(heading, meeting.title, size=16, font="黑体")
        end = timezone.localtime(meeting.ends_at)
        attendance = list(meeting.attendance.all())
        rows = [
            ("会议类型", meeting.get_kind_display()),
            ("时间", f"{cnwhen(meeting.starts_at)}—{end:%H:%M}"),
            ("地点", meeting.place or "—"),
            ("主持人", meeting.host.name if meeting.host else "—"),
            ("记录人", meeting.recorder.name if meeting.recorder else "—"),
            (
                "出席情况",
                f"应到{meeting.expected_count}人，实到{meeting.present_count}人，"
                f"请假{meeting.leave_count}人",
            ),
            ("出席人员", _names(attendance, AttendanceStatus.PRESENT)),
            (
                "请假人员",
                "、".join(
                    f"{a.person.name}（{a.leave_reason}）"
                    for a in attendance
                    if a.status == AttendanceStatus.LEAVE and a.role == AttendanceRole.MEMBER
                )
                or "无",
            ),
            ("缺席人员", _names(attendance, AttendanceStatus.ABSENT)),
        ]
        # 列席 (and 巡听旁听) are not among those due to attend: listed apart, never counted.
        for role in (AttendanceRole.GUEST, AttendanceRole.OBSERVER):
            names = [
                a.person.name
                for a in attendance
                if a.role == role
                and a.status not in (AttendanceStatus.LEAVE, AttendanceStatus.ABSENT)
            ]
            if names:
                rows.append((f"{role.label}人员", "、".join(names)))
        if meeting.lecturer:
            rows.insert(5, ("授课人", meeting.lecturer.name))
        agenda = list(meeting.agenda.all())
        rows.append(
            (
                "议题",
                "\n".join(
                    f"{a.order}. {a.title}{'（第一议题）' if a.is_first_topic else ''}"
                    for a in agenda
                )
                or "—",
            )
        )
        if meeting.pk in restricted:
            rows.append(("会议记录", "领导班子会议的记录仅限班子成员和经授权的人员查阅。"))
        else:
            for item in agenda:
                text = item.discussion or "—"
                if item.decision:
                    text += f"\n议定事项：{item.decision}"
                rows.append((f"议题{item.order}讨论情况", text))
            rows.append(("会议情况", meeting.summary or "—"))
        if meeting.back_filled:
            rows.append(("备注", "补记录（会议召开7天后记录）"))
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for label, value in rows:
            cells = table.add_row().cells
            cells[0].width, cells[1].width = Cm(3.2), Cm(12.6)
            _run(cells[0].paragraphs[0], label, bold=True)
            _run(cells[1].paragraphs[0], value)
        document.add_paragraph()
    handle = tempfile.NamedTemporaryFile(prefix="mofan-minutes-", suffix=".docx", delete=False)  # noqa: SIM115
    handle.close()
    document.save(handle.name)
    return handle.name


def book_meetings(org, year: int):
    return (
        Meeting.objects.filter(
            org=org, state=MeetingState.HELD, month_index__range=(year * 12, year * 12 + 11)
        )
        .select_related("host", "recorder", "lecturer")
        .prefetch_related("agenda", "attendance__person")
        .order_by("starts_at", "pk")
    )


def statistics(root, year: int, today) -> tuple[str, int]:
    """Compliance of every organisation of the subtree, month by month, as an Excel sheet."""
    grid = compliance.matrix(root, year, today)
    words = {
        compliance.MET: "达标",
        compliance.UNMET: "未达标",
        compliance.OPEN: "进行中",
        compliance.NONE: "—",
        compliance.FUTURE: "",
    }
    headers = ["党组织", "类别", *[f"{m}月" for m in range(1, 13)], "未达标月数", "补记录次数"]

    def rows():
        for row in grid.rows:
            cells = row.cells
            yield [
                row.org.name,
                row.org.get_kind_display(),
                *[
                    words[c["status"]]
                    + (
                        f"（{c['met']}/{c['required']}）"
                        if c["required"] and c["status"] in (compliance.UNMET, compliance.OPEN)
                        else ""
                    )
                    for c in cells
                ],
                sum(1 for c in cells if c["status"] == compliance.UNMET),
                sum(c["back_filled"] for c in cells),
            ]

    return write_table(
        f"{root.name}{year}年组织生活合规情况",
        headers,
        rows(),
        widths=[30, 8, *[9] * 12, 10, 10],
    )
