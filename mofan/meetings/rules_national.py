"""The national floor of organisational life, as the regulations state it. Loaded by a migration;
the compliance engine reads the rules from the database, never from here."""

from datetime import date

BRANCH_RULES_2018 = "《中国共产党支部工作条例（试行）》（2018年）"
EDUCATION_2019 = "《中国共产党党员教育管理工作条例》（2019年）"
ORGAN_2019 = "《中国共产党党和国家机关基层组织工作条例》（2019年）"
LIFE_MEETING = "《县以上党和国家机关党员领导干部民主生活会若干规定》"

# (kind, org kinds, period, minimum, needs committee, by secretary, quorum, article, from)
NATIONAL_RULES = [
    ("branch_assembly", ["branch"], "quarter", 1, False, False, True,
     f"{BRANCH_RULES_2018}第十九条：支部党员大会一般每季度召开1次；"
     f"{EDUCATION_2019}第十六条", date(2018, 10, 28)),
    ("branch_committee", ["branch"], "month", 1, True, False, True,
     f"{BRANCH_RULES_2018}第十九条：支部委员会会议一般每月召开1次，须有半数以上委员到会",
     date(2018, 10, 28)),
    ("group_meeting", ["group"], "month", 1, False, False, False,
     f"{BRANCH_RULES_2018}第十九条：党小组会一般每月召开1次", date(2018, 10, 28)),
    ("party_lecture", ["branch"], "quarter", 1, False, False, False,
     f"{BRANCH_RULES_2018}第十九条：党课一般每季度1次；{EDUCATION_2019}第十七条", date(2018, 10, 28)),
    ("party_lecture", ["branch"], "year", 1, False, True, False,
     f"{EDUCATION_2019}第十七条：党支部书记每年至少为党员讲1次党课", date(2019, 5, 6)),
    ("theme_day", ["branch"], "month", 1, False, False, False,
     f"{BRANCH_RULES_2018}第二十条：党支部每月相对固定1天开展主题党日", date(2018, 10, 28)),
    ("org_life_meeting", ["branch"], "year", 1, False, False, False,
     f"{BRANCH_RULES_2018}第二十一条：组织生活会一般每年召开1次；{EDUCATION_2019}第十八条",
     date(2018, 10, 28)),
    ("member_appraisal", ["branch"], "year", 1, False, False, False,
     f"{BRANCH_RULES_2018}第二十一条：民主评议党员一般每年开展1次", date(2018, 10, 28)),
    ("heart_to_heart", ["branch"], "year", 1, False, False, False,
     f"{BRANCH_RULES_2018}第二十二条：党支部委员之间、委员和党员之间每年至少开展1次谈心谈话",
     date(2018, 10, 28)),
    ("organ_assembly", ["organ_committee"], "year", 1, False, False, False,
     f"{ORGAN_2019}第二十六条：机关党员干部大会每年至少召开1次", date(2019, 12, 1)),
    ("democratic_life_meeting", ["committee", "leading_group"], "year", 1, False, False, False,
     f"{LIFE_MEETING}：领导班子每年召开1次民主生活会", date(2016, 12, 1)),
]  # fmt: skip


def ensure_national_rules(rule_model) -> None:
    """Store the floor (idempotent). `rule_model` is MeetingRule, or its historical model when a
    migration calls this."""
    for (
        kind,
        org_kinds,
        period,
        minimum,
        committee,
        secretary,
        quorum,
        article,
        since,
    ) in NATIONAL_RULES:
        rule_model.objects.get_or_create(
            kind=kind,
            period=period,
            org=None,
            is_floor=True,
            by_secretary=secretary,
            defaults={
                "org_kinds": org_kinds,
                "minimum": minimum,
                "needs_committee": committee,
                "quorum": quorum,
                "article": article,
                "effective_from": since,
            },
        )
