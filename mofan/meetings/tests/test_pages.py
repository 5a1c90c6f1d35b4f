"""The meeting pages through HTTP: plan, notify, sign in on a phone, leave, minutes, compliance,
rules; bad input answers 4xx in Chinese and changes nothing."""

from datetime import date

import pytest
from django.urls import reverse
from time_machine import travel

from mofan.core.tests import samples
from mofan.meetings import services
from mofan.meetings.choices import AttendanceStatus, MeetingKind, MeetingState
from mofan.meetings.models import Attendance, Meeting, MeetingPlan, MeetingRule
from mofan.meetings.tests.conftest import at
from mofan.notify.models import Notification


def _plan_form(**overrides):
    data = {
        "kind": MeetingKind.BRANCH_ASSEMBLY,
        "title": "第四季度支部党员大会",
        "day": "2026-11-27",
        "start": "14:30",
        "end": "16:30",
        "place": "第三会议室",
        "agenda_1_title": "学习习近平总书记最新重要讲话精神",
        "agenda_1_first": "on",
        "agenda_1_materials": "讲话原文",
        "agenda_2_title": "讨论发展党员",
    }
    return data | overrides


@travel("2026-11-20 10:00:00+08:00", tick=False)
def test_the_secretary_plans_a_meeting_through_the_page(meeting_world, login):
    client = login(meeting_world.alice)
    url = reverse("meetings:new", args=[meeting_world.branch_a.pk])
    assert client.get(url).status_code == 200
    answer = client.post(url, _plan_form(agenda_2_presenter=meeting_world.amy_p.pk))
    meeting = Meeting.objects.get()
    assert meeting.agenda.get(order=2).presenter == meeting_world.amy_p
    assert answer.status_code == 302 and answer.url == reverse(
        "meetings:meeting", args=[meeting.pk]
    )
    assert [a.is_first_topic for a in meeting.agenda.all()] == [True, False]
    page = client.get(answer.url).content.decode()
    assert "第一议题" in page and "应到 2 人" in page


@travel("2026-11-20 10:00:00+08:00", tick=False)
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end": "13:00"}, "结束时间须晚于开始时间"),
        ({"title": ""}, "该字段是必填项"),
        ({"kind": MeetingKind.BRANCH_COMMITTEE}, "选择一个有效的选项"),
    ],
)
def test_bad_plans_answer_400_and_store_nothing(meeting_world, login, overrides, message):
    client = login(meeting_world.alice)
    answer = client.post(
        reverse("meetings:new", args=[meeting_world.branch_a.pk]), _plan_form(**overrides)
    )
    assert answer.status_code == 400 and message in answer.content.decode()
    assert not Meeting.objects.exists()


@travel("2026-11-10 10:00:00+08:00", tick=False)
def test_a_committee_meeting_must_open_with_the_first_topic(meeting_world, login):
    client = login(meeting_world.carol)
    answer = client.post(
        reverse("meetings:new", args=[meeting_world.organ.pk]),
        _plan_form(kind=MeetingKind.COMMITTEE_MEETING, agenda_1_first=""),
    )
    assert answer.status_code == 400 and "第一议题" in answer.content.decode()


def _planned(w):
    with travel("2026-11-20 10:00:00+08:00", tick=False):
        return services.plan_meeting(
            w.branch_a, actor=w.alice, kind=MeetingKind.BRANCH_ASSEMBLY, title="支部党员大会",
            starts_at=at(2026, 11, 27, 14, 30), ends_at=at(2026, 11, 27, 16, 30),
            agenda=[{"title": "学习", "is_first_topic": True, "materials": "原文"}],
        )  # fmt: skip


def test_notify_sign_in_on_a_phone_and_leave(meeting_world, login, client):
    meeting = _planned(meeting_world)
    with travel("2026-11-20 11:00:00+08:00", tick=False):
        answer = login(meeting_world.alice).post(
            reverse("meetings:action", args=[meeting.pk, "notify"])
        )
        assert answer.status_code == 302
        assert Notification.objects.filter(user=meeting_world.amy, kind="meeting").count() == 1
    token = services.sign_in_token(meeting)
    url = reverse("meetings:sign_in", args=[token])
    client.logout()
    with travel("2026-11-27 14:20:00+08:00", tick=False):
        amy = login(meeting_world.amy)
        page = amy.get(url, HTTP_USER_AGENT="Mozilla/5.0 (iPhone)")
        assert page.status_code == 200 and "签到" in page.content.decode()
        done = amy.post(url, HTTP_HX_REQUEST="true")  # the tap: htmx swaps in the card
        assert done.status_code == 200 and "签到成功" in done.content.decode()
        assert "<html" not in done.content.decode()
        again = amy.post(url)  # without htmx: the whole page
        assert "您已签到" in again.content.decode() and "<html" in again.content.decode()
    row = Attendance.objects.get(meeting=meeting, person=meeting_world.amy_p)
    assert row.status == AttendanceStatus.PRESENT and row.method == "qr"


def test_sign_in_out_of_its_window_or_by_a_stranger_is_refused(meeting_world, login):
    meeting = _planned(meeting_world)
    url = reverse("meetings:sign_in", args=[services.sign_in_token(meeting)])
    with travel("2026-11-27 10:00:00+08:00", tick=False):
        early = login(meeting_world.amy).post(url, HTTP_HX_REQUEST="true")
        assert early.status_code == 400 and "不在签到时间内" in early.content.decode()
        assert 'id="sign-in-card"' in early.content.decode()  # swapped in (htmx-config: 4xx)
    with travel("2026-11-27 14:40:00+08:00", tick=False):
        stranger = login(meeting_world.bob).get(url)
        assert (
            stranger.status_code == 403 and "不在本次会议的应到名单中" in stranger.content.decode()
        )
        forged = login(meeting_world.amy).post(url[:-3] + "xyz/")
        assert forged.status_code in (400, 404)
    assert not Attendance.objects.filter(status=AttendanceStatus.PRESENT).exists()


def test_leave_without_reason_is_400(meeting_world, login):
    meeting = _planned(meeting_world)
    with travel("2026-11-25 10:00:00+08:00", tick=False):
        amy = login(meeting_world.amy)
        answer = amy.post(reverse("meetings:action", args=[meeting.pk, "leave"]), {"reason": ""})
        assert answer.status_code == 400
        assert (
            amy.post(
                reverse("meetings:action", args=[meeting.pk, "leave"]), {"reason": "出差"}
            ).status_code
            == 302
        )
    assert (
        Attendance.objects.get(meeting=meeting, person=meeting_world.amy_p).leave_reason == "出差"
    )


def test_minutes_through_the_page_and_the_lock(meeting_world, login):
    meeting = _planned(meeting_world)
    url = reverse("meetings:minutes", args=[meeting.pk])
    with travel("2026-11-27 17:00:00+08:00", tick=False):
        client = login(meeting_world.alice)
        item = meeting.agenda.get()
        answer = client.post(
            url,
            {"version": meeting.version, "summary": "会议学习了讲话精神。",
             f"agenda_{item.pk}_discussion": "逐段学习", f"agenda_{item.pk}_decision": "抓好落实",
             "host": meeting_world.alice_p.pk, "study_hours": "2"},
        )  # fmt: skip
        assert answer.status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD and not meeting.back_filled
    with travel("2026-12-02 10:00:00+08:00", tick=False):
        client = login(meeting_world.alice)
        refused = client.post(url, {"version": meeting.version, "summary": "改动"})
        assert refused.status_code == 400 and "已锁定" in refused.content.decode()
        stale = client.post(url, {"version": meeting.version - 1, "summary": "改动", "reason": "x"})
        assert stale.status_code == 409


@travel("2026-11-20 10:00:00+08:00", tick=False)
def test_plan_page_saves_and_refuses_a_stale_edit(meeting_world, login):
    client = login(meeting_world.alice)
    url = reverse("meetings:plan", args=[meeting_world.branch_a.pk, 2026, 0])
    assert client.post(url, {"content": "全年学习计划"}).status_code == 302
    plan = MeetingPlan.objects.get(org=meeting_world.branch_a, year=2026, month=None)
    assert client.post(url, {"content": "改", "version": plan.version + 5}).status_code == 409
    assert (
        client.get(reverse("meetings:org", args=[meeting_world.branch_a.pk]))
        .content.decode()
        .count("全年学习计划")
        == 1
    )


@travel("2026-11-20 10:00:00+08:00", tick=False)
def test_compliance_page_and_cell(meeting_world, login):
    client = login(meeting_world.carol)
    page = client.get(reverse("meetings:compliance"), {"org": meeting_world.organ.pk, "year": 2026})
    assert page.status_code == 200
    body = page.content.decode()
    assert "heatmap-data" in body and "vendor/echarts/echarts.mofan.min.js" in body
    cell = client.get(reverse("meetings:cell", args=[meeting_world.branch_a.pk, 2026, 10]))
    assert cell.status_code == 200 and "主题党日每月至少1次" in cell.content.decode()


@travel("2026-11-20 10:00:00+08:00", tick=False)
def test_local_rules_added_and_ended_by_an_org_admin_only(meeting_world, login):
    data = {
        "org": meeting_world.branch_a.pk, "kind": "theme_day", "org_kinds": ["branch"],
        "period": "month", "minimum": 2, "article": "本机关规定", "effective_from": "2026-01-01",
    }  # fmt: skip
    assert login(meeting_world.alice).post(reverse("meetings:rules"), data).status_code == 400
    assert login(meeting_world.carol).post(reverse("meetings:rules"), data).status_code == 302
    rule = MeetingRule.objects.get(org=meeting_world.branch_a)
    floor = MeetingRule.objects.filter(is_floor=True).first()
    answer = login(meeting_world.carol).post(reverse("meetings:rules"), {"end": floor.pk})
    assert answer.status_code == 404  # the floor is not among the rules one may change
    assert (
        login(meeting_world.carol).post(reverse("meetings:rules"), {"end": rule.pk}).status_code
        == 302
    )
    rule.refresh_from_db()
    assert rule.effective_to == date(2026, 11, 20)


@travel("2026-11-20 10:00:00+08:00", tick=False)
def test_record_book_and_statistics_exports(meeting_world, login):
    import io

    import docx
    import openpyxl

    w = meeting_world
    meeting = services.plan_meeting(
        w.branch_a, actor=w.alice, kind=MeetingKind.THEME_DAY, title="11月主题党日",
        starts_at=at(2026, 11, 5, 9), ends_at=at(2026, 11, 5, 11),
        agenda=[{"title": "重温入党誓词"}],
    )  # fmt: skip
    services.mark(meeting, w.amy_p, actor=w.alice, status="leave", reason="出差")
    services.mark(meeting, w.alice_p, actor=w.alice, status="present")
    services.add_guest(meeting, w.una_p, actor=w.alice)  # 列席
    item = meeting.agenda.get()
    services.record_minutes(
        meeting, actor=w.alice, version=meeting.version, summary="全体党员重温入党誓词。",
        agenda={item.pk: {"discussion": "交流体会", "decision": "开展志愿服务"}},
    )  # fmt: skip
    book = login(w.alice).get(reverse("meetings:export", args=[w.branch_a.pk, 2026, "docx"]))
    assert book.status_code == 200
    text = "\n".join(
        cell.text
        for table in docx.Document(io.BytesIO(b"".join(book.streaming_content))).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "全体党员重温入党誓词。" in text and "李四（出差）" in text and "开展志愿服务" in text
    # 列席 guests are listed apart from those who attended, and are not counted
    cells = [
        [cell.text for cell in row.cells]
        for table in docx.Document(io.BytesIO(b"".join(login(w.alice).get(
            reverse("meetings:export", args=[w.branch_a.pk, 2026, "docx"])
        ).streaming_content))).tables
        for row in table.rows
    ]  # fmt: skip
    assert ["出席人员", "张三"] in cells and ["列席人员", "周八"] in cells
    sheet = login(w.carol).get(reverse("meetings:export", args=[w.organ.pk, 2026, "xlsx"]))
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(sheet.streaming_content))).active.values)
    assert rows[1][:3] == ("党组织", "类别", "1月")
    assert any(r[0] == "第一党支部" for r in rows[2:])
    # a member sees her own meetings, not the branch's book
    assert (
        login(w.amy).get(reverse("meetings:export", args=[w.branch_a.pk, 2026, "docx"])).status_code
        == 404
    )
    assert (
        login(w.bob).get(reverse("meetings:export", args=[w.organ.pk, 2026, "xlsx"])).status_code
        == 404
    )


def _png(width=800, height=600) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


@travel("2026-11-20 10:00:00+08:00", tick=False)
def test_photos_are_thumbnailed_and_files_kept_within_limits(
    meeting_world, login, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from mofan.meetings.models import MeetingFile

    settings.MEDIA_ROOT = str(tmp_path)
    w = meeting_world
    meeting = _planned(w)
    client = login(w.alice)
    url = reverse("meetings:action", args=[meeting.pk, "file"])
    assert client.post(url, {"file": SimpleUploadedFile("会场.png", _png())}).status_code == 302
    assert (
        client.post(url, {"file": SimpleUploadedFile("材料.pdf", b"%PDF-1.4 x")}).status_code == 302
    )
    fake = client.post(url, {"file": SimpleUploadedFile("假照片.jpg", b"not an image")})
    assert fake.status_code == 400 and "不是 JPEG 或 PNG 图片" in fake.content.decode()
    script = client.post(url, {"file": SimpleUploadedFile("x.exe", b"MZ")})
    assert script.status_code == 400 and "不支持的文件类型" in script.content.decode()
    photo = MeetingFile.objects.get(is_photo=True)
    thumb = client.get(reverse("meetings:file", args=[meeting.pk, photo.pk, "thumb"]))
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    import io

    assert max(Image.open(io.BytesIO(b"".join(thumb.streaming_content))).size) == 480
    assert MeetingFile.objects.count() == 2
    assert (
        login(w.bob).get(reverse("meetings:file", args=[meeting.pk, photo.pk, "view"])).status_code
        == 404
    )
    assert (
        login(w.amy).get(reverse("meetings:file", args=[meeting.pk, photo.pk, "view"])).status_code
        == 200
    )


@travel("2026-11-20 10:00:00+08:00", tick=False)
def test_study_hours_of_a_member_and_of_a_branch(meeting_world, login):
    w = meeting_world
    meeting = _planned(w)
    meeting.starts_at, meeting.ends_at = at(2026, 11, 19, 14), at(2026, 11, 19, 16)
    meeting.save()
    services.mark(meeting, w.amy_p, actor=w.alice, status="present")
    services.record_minutes(meeting, actor=w.alice, version=meeting.version, summary="已召开。")
    mine = login(w.amy).get(reverse("meetings:hours")).content.decode()
    assert "2.0 学时" in mine and "支部党员大会" in mine
    branch = login(w.alice).get(reverse("meetings:org_hours", args=[w.branch_a.pk]))
    assert branch.status_code == 200 and "不作排名" in branch.content.decode()
    assert login(w.amy).get(reverse("meetings:org_hours", args=[w.branch_a.pk])).status_code == 404
    assert login(w.bob).get(reverse("meetings:org_hours", args=[w.branch_a.pk])).status_code == 404


@travel("2026-11-20 10:00:00+08:00", tick=False)
def test_the_calendar_shows_the_meetings_one_sees(meeting_world, login):
    meeting = _planned(meeting_world)
    page = login(meeting_world.amy).get(reverse("meetings:calendar"), {"month": "2026-11"})
    assert page.status_code == 200 and meeting.title in page.content.decode()
    assert (
        meeting.title
        not in login(meeting_world.bob)
        .get(reverse("meetings:calendar"), {"month": "2026-11"})
        .content.decode()
    )
    assert (
        login(meeting_world.amy).get(reverse("meetings:calendar"), {"month": "2026-13"}).status_code
        == 200
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("会场.jpg", samples.HTML, "不是 JPEG 或 PNG 图片"),
        ("签到表.pdf", samples.EXE, "不是 PDF 文件"),
        ("会场.png", samples.SVG, "不是 JPEG 或 PNG 图片"),
        ("材料.docx", samples.HTML, "不是 Word 文件"),
    ],
)
def test_a_disguised_photo_or_file_of_a_meeting_is_refused_and_not_kept(
    meeting_world, login, settings, tmp_path, name, content, message
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mofan.meetings.models import MeetingFile

    settings.MEDIA_ROOT = str(tmp_path)
    meeting = _planned(meeting_world)
    url = reverse("meetings:action", args=[meeting.pk, "file"])
    response = login(meeting_world.alice).post(url, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400 and message in response.content.decode()
    assert not MeetingFile.objects.exists()
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []


def test_a_meeting_photo_is_shown_as_an_image_and_a_file_downloaded(
    meeting_world, login, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)
    w = meeting_world
    meeting = _planned(w)
    client = login(w.alice)
    url = reverse("meetings:action", args=[meeting.pk, "file"])
    client.post(url, {"file": SimpleUploadedFile("会场.jpg", samples.jpeg())})
    client.post(url, {"file": SimpleUploadedFile("材料.pdf", samples.PDF)})
    photo, document = meeting.files.order_by("is_photo").reverse()
    shown = client.get(reverse("meetings:file", args=[meeting.pk, photo.pk, "view"]))
    assert shown["Content-Type"] == "image/jpeg"
    assert shown["Content-Disposition"].startswith("inline")
    kept = client.get(reverse("meetings:file", args=[meeting.pk, document.pk, "view"]))
    assert kept["Content-Type"] == "application/pdf"
    assert kept["Content-Disposition"].startswith("attachment")
