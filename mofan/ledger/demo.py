"""Demo ledger for the small demo: items in every state and light, walked through the real services."""

from datetime import date, timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone

from mofan.access.models import User
from mofan.ledger import services, workdays
from mofan.ledger.choices import LedgerKind, SourceKind
from mofan.ledger.models import Item, Ledger
from mofan.orgs.models import Unit

LEDGER_NAME = "2026年重要指示批示落实台账"

# (content, owner, lead unit code, deadline in working days from today or None for ongoing,
#  how far to walk it, reports)
ITEMS = [
    ("制定2026年机关党建工作要点并印发执行", "dangjian", "DEMO-U10", -5, "closed", 2),
    ("开展“第一议题”学习制度落实情况自查", "shuji_a", "DEMO-U01", -3, "in_progress", 1),
    ("完成党支部标准化规范化建设达标验收", "shuji_b", "DEMO-U05", 2, "in_progress", 1),
    ("整理巡视反馈问题整改台账，逐项明确责任人和时限", "dangjian", "DEMO-U10", 15, "done", 2),
    ("组织青年干部理论学习小组开展专题研讨", "dangyuan_a", "DEMO-U01", 25, "accepted", 0),
    ("推进“指尖上的形式主义”排查整治", "shuji_a", "DEMO-U01", 40, "assigned", 0),
    ("落实意识形态工作责任制，开展专项检查", "shuji_b", "DEMO-U05", None, "in_progress", 3),
    ("修订机关党委议事规则", "dangjian", "DEMO-U10", 60, "draft", 0),
]
WALK = ["assigned", "accepted", "in_progress", "done", "closed"]


def seed_small() -> Ledger | None:
    if Ledger.objects.filter(name=LEDGER_NAME).exists():
        return None
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["duban", "dangjian", "shuji_a", "shuji_b", "dangyuan_a"]
        )
    }
    duban = users["duban"]
    today = timezone.localdate()
    ledger = services.create_ledger(
        actor=duban,
        name=LEDGER_NAME,
        kind=LedgerKind.GENERAL,
        year=today.year,
        unit=Unit.objects.get(code="DEMO-U0"),
        description="落实重要指示批示和上级部署，定期听取汇报、全程跟踪督导，确保事事有回音、件件能落实。",
    )
    directive = services.add_source(
        ledger,
        actor=duban,
        kind=SourceKind.DIRECTIVE,
        title="关于进一步加强模范机关建设的批示",
        reference="部领导批示〔2026〕12号",
        issuer="部党组书记",
        issued_on=date(today.year, 3, 10),
    )
    document = services.add_source(
        ledger,
        actor=duban,
        kind=SourceKind.DOCUMENT,
        title="2026年机关党建工作要点",
        reference="示机党发〔2026〕1号",
        issuer="机关党委",
        issued_on=date(today.year, 2, 20),
    )
    for index, (content, owner, unit_code, due, walk_to, reports) in enumerate(ITEMS):
        owner_user = users[owner]
        deadline = None
        if due is not None:
            deadline = (
                workdays.add_workdays(today, due)
                if due >= 0
                else workdays.subtract_workdays(today, -due)
            )
        item = services.add_item(
            ledger,
            actor=duban,
            source=directive if index % 2 == 0 else document,
            content=content,
            lead_unit=Unit.objects.get(code=unit_code),
            deadline=deadline,
            ongoing=due is None,
            report_cycle="monthly",
            owners=[owner_user.person],
            tags=["模范机关"],
        )
        if walk_to == "draft":
            continue
        services.transition(item, "assign", actor=duban)
        # Assigned two months ago, so the reporting history and late reports look lived-in.
        Item.objects.filter(pk=item.pk).update(assigned_on=today - timedelta(days=60))
        for step in WALK[1 : WALK.index(walk_to) + 1]:
            if step == "accepted":
                services.transition(item, "accept", actor=owner_user)
            elif step == "in_progress":
                for n in range(reports):
                    on = today - timedelta(days=30 * (reports - n))
                    services.submit_report(
                        item,
                        actor=owner_user,
                        text=f"第{n + 1}次进展：按计划推进，已完成阶段性工作。",
                        percent=min(100, 30 * (n + 1)),
                        submission_key=f"demo-{item.pk}-{n}",
                        on=on,
                    )
                item.refresh_from_db()
                if item.state == "accepted":
                    services.transition(item, "start", actor=owner_user)
            elif step == "done":
                services.attach(
                    item,
                    actor=owner_user,
                    upload=ContentFile(b"%PDF-1.4 demo", name="落实情况报告.pdf"),
                    is_evidence=True,
                )
                services.transition(
                    item, "submit_done", actor=owner_user, comment="已按要求完成，佐证材料已上传。"
                )
            elif step == "closed":
                services.transition(
                    item,
                    "close_out",
                    actor=duban,
                    evaluation="good",
                    evaluation_comment="落实到位，效果明显。",
                )
    _cascade(ledger, duban, directive, document, today)
    # A document waiting for review on the 分解文件 page, to see 任务分解 at work.
    from mofan.ledger import decomposition

    decomposition.start(
        ledger,
        actor=duban,
        pasted=(Path(__file__).parent / "data" / "demo_document.txt").read_text(encoding="utf-8"),
    )
    return ledger


def _cascade(ledger: Ledger, duban, directive, document, today) -> None:
    """层层分解 and 交下级单位台账 to look at: an item 人事司's 司长 has split between two of its
    处 (one part under way), one handed to 人事司's own ledger and taken over there, and one
    waiting in 人事司's 上级交办 inbox for its 督办员 to 签收 or 退回."""
    users = {
        u.username: u for u in User.objects.filter(username__in=["sizhang", "chuzhang", "duban_rs"])
    }
    if len(users) < 3:
        return
    sizhang, chuzhang, duban_rs = users["sizhang"], users["chuzhang"], users["duban_rs"]
    department = Unit.objects.get(code="DEMO-U05")
    divisions = list(Unit.objects.filter(code__in=["DEMO-U051", "DEMO-U052"]).order_by("code"))
    parent = services.add_item(
        ledger,
        actor=duban,
        source=document,
        content="健全督查督办和公文运转工作机制，形成制度汇编",
        lead_unit=department,
        deadline=workdays.add_workdays(today, 45),
        report_cycle="monthly",
        owners=[sizhang.person],
        tags=["模范机关"],
    )
    services.transition(parent, "assign", actor=duban)
    services.transition(parent, "accept", actor=sizhang)
    first, _ = services.decompose(
        parent,
        actor=sizhang,
        parts=[
            services.SubItem(
                content="修订督查督办工作办法，报部党组审定",
                lead_unit=divisions[0],
                owners=[chuzhang.person],
                deadline=workdays.add_workdays(today, 30),
            ),
            services.SubItem(
                content="规范公文运转流程，压减发文数量",
                lead_unit=divisions[1],
                deadline=workdays.add_workdays(today, 40),
            ),
        ],
        assign=True,
    )
    services.transition(first, "accept", actor=chuzhang)
    services.submit_report(
        first,
        actor=chuzhang,
        text="已形成督查督办工作办法初稿，正在征求各司局意见。",
        percent=40,
        submission_key=f"demo-{first.pk}-0",
        on=today,
    )
    own = services.create_ledger(
        actor=duban_rs,
        name="人事司2026年重点工作台账",
        kind=LedgerKind.GENERAL,
        year=today.year,
        unit=department,
        description="人事司本司督办事项，含部里交办到本司的事项。",
    )
    taken = services.add_item(
        ledger,
        actor=duban,
        source=directive,
        content="开展年轻干部选育管用专项调研，形成调研报告",
        lead_unit=department,
        deadline=workdays.add_workdays(today, 55),
        report_cycle="monthly",
    )
    handover = services.hand_over(
        taken, actor=duban, to_unit=department, note="请纳入人事司台账，按月报送进展。"
    )
    services.take_over(handover, actor=duban_rs, ledger=own)
    waiting = services.add_item(
        ledger,
        actor=duban,
        source=directive,
        content="落实干部监督工作联席会议制度，每季度召开一次联席会议",
        lead_unit=department,
        deadline=workdays.add_workdays(today, 60),
        report_cycle="monthly",
    )
    services.hand_over(waiting, actor=duban, to_unit=department, note="请签收后纳入本司台账督办。")
