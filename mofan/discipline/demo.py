"""The small demo's 监督执纪, kept by the 部党组's discipline officer jijian: six case leads at
each step (one handed over from the inspection's first finding), a talk and a 述责述廉 report,
and the personal-matters reports being collected from the 二级巡视员 and 一级调研员, most
sent, a tenth drawn at random and one checked. Through the services; idempotent."""

from datetime import timedelta

from django.utils import timezone

from mofan.access.models import User
from mofan.discipline import records, reports, services
from mofan.discipline.choices import REPORT_ITEMS
from mofan.discipline.models import Lead
from mofan.inspection.models import Finding
from mofan.orgs.models import PartyOrg, Person

ANSWERS = {key: "无" for key, _ in REPORT_ITEMS} | {"income": "工资收入约24万元。"}


def seed_small() -> int:
    root = PartyOrg.objects.filter(code="DEMO-P0").first()
    officer = User.objects.filter(username="jijian").select_related("person").first()
    if root is None or officer is None or Lead.objects.exists():
        return 0
    today = timezone.localdate()
    people = reports.roster(root, list(Person.objects.values_list("rank", flat=True).distinct()))[
        :60
    ]
    peers = [p for p in people if p.pk != officer.person_id][:2]
    panel = [officer.person, peers[0]] if officer.person_id else peers
    day = today - timedelta(days=40)

    def lead(n, **extra):
        return services.register(
            root, actor=officer, received_on=day, subject=people[10 + n],
            subject_post=people[10 + n].job_title, **extra,
        )  # fmt: skip

    def review(item, disposition, **extra):
        return services.review(item, actor=officer, held_on=day + timedelta(days=3), participants=panel,
                               disposition=disposition, reason="经集体排查，线索具体，可查性较强。", **extra)  # fmt: skip

    lead(0, source="petition", allegation="反映其违规使用公务用车接送家属。")  # awaiting review
    talk = lead(1, source="petition", allegation="反映其接受管理服务对象宴请。")
    review(talk, "talk", talk_way="letter")
    services.record_step(talk, actor=officer, kind="letter_sent", on=day + timedelta(days=5),
                         text="向本人发出函询通知书，要求15个工作日内书面说明。")  # fmt: skip
    done = lead(2, source="supervision", allegation="反映其在年度考核中弄虚作假。")
    review(done, "talk", talk_way="talk")
    services.record_step(done, actor=officer, kind="talk_held", on=day + timedelta(days=8),
                         text="与本人谈话，本人如实说明情况。")  # fmt: skip
    services.conclude(done, actor=officer, measure="reminder", on=day + timedelta(days=10),
                      result="予以谈话提醒，本人表示接受并改正。")  # fmt: skip
    verified = lead(3, source="audit", allegation="审计发现其所在处室违规发放津贴补贴。")
    review(verified, "verify", due_on=today + timedelta(days=20))
    services.record_step(verified, actor=officer, kind="report", on=day + timedelta(days=20),
                         text="初步核实认定违规发放津贴补贴3.6万元，本人负有直接责任。")  # fmt: skip
    services.conclude(verified, actor=officer, measure="light_punishment", on=day + timedelta(days=25),
                      result="给予党内警告处分，责令退还违规款项。", revisit_on=today + timedelta(days=150))  # fmt: skip
    shelved = lead(4, source="other", allegation="匿名反映其作风问题，内容笼统。")
    review(shelved, "shelve", due_on=today + timedelta(days=60))
    finding = Finding.objects.filter(target__round__org=root).order_by("pk").first()
    if finding is not None:
        services.register(root, actor=officer, source="inspection", received_on=today,
                          subject_name="某处长", subject_post="处长", finding=finding,
                          allegation=f"{finding.title}：{finding.facts}")  # fmt: skip
    records.record_talk(root, actor=officer, kind="appointment", person=people[20], talker=people[0],
                        held_on=today - timedelta(days=7),
                        record="对新提任干部进行任前廉政谈话，提出严守纪律、廉洁用权等要求。")  # fmt: skip
    records.record_duty_report(root, actor=officer, person=people[0], year=today.year - 1,
                               text="一年来认真履行全面从严治党第一责任人职责，带头落实中央八项规定精神，"
                                    "坚持一岗双责，廉洁自律情况良好。")  # fmt: skip
    round_ = reports.open_round(
        root, actor=officer, year=today.year - 1, ranks=["二级巡视员", "一级调研员"]
    )
    for n, report in enumerate(round_.reports.select_related("person")):
        if n % 6 and report.person_id != officer.person_id:
            reports.submit(report, actor=officer, items=ANSWERS)
    made = reports.draw(round_, actor=officer, share=10, seed=f"{today.year}年度抽查")
    check = made.checks.first()
    if check is not None:
        reports.conclude_check(check, actor=officer, outcome="true", handling="", on=today)
    return Lead.objects.count()
