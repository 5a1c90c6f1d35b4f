"""Shapes of official writing and what the walk makes of them, given what each piece is.

What a sentence is (a task, a heading, background …) is the learned model's call and is measured
on the corpus by cross-validation (test_corpus.py). These tests hold the rest — the outline,
clauses, items and their spans, units and deadlines — with a scripted judge, so that a model
trained again cannot make them pass or fail by chance."""

import re
from datetime import date

import pytest

from mofan.docparse import sentences
from mofan.docparse.decompose import (
    _not_members,
    _register,
    _time_cell,
    _unit_subject,
    annotate,
    decompose,
)
from mofan.docparse.tests.builders import cell_table
from mofan.docparse.units import Units


class Scripted(sentences.Model):
    """Judges a piece by the first of its rules whose pattern the piece's text matches; a piece
    no rule matches is background. A kind ending in + continues the item before."""

    def __init__(self, *rules: tuple[str, str]):
        self.rules = rules
        self.calibration = None
        self.seen: list[tuple[str, sentences.Context]] = []

    def judge(self, pieces, chain=False):
        out = []
        for text, context in pieces:
            self.seen.append((text, context))
            kind = next((k for pattern, k in self.rules if re.search(pattern, text)), "background")
            item = kind in sentences.ITEM
            out.append(
                sentences.Judgement(
                    kind=kind,
                    item=0.9 if item else 0.05,
                    continues=1.0 if kind.endswith("+") else 0.0,
                    rule=1.0 if kind.startswith("rule") else 0.0,
                    heading=0.9 if kind == "heading" else 0.0,
                )
            )
        return out


def _items(text: str, model, **kwargs):
    return decompose(text.strip().split("\n"), model=model, **kwargs).items


def test_a_run_in_heading_joins_the_outline_and_its_sentences_are_items_under_it():
    model = Scripted((r"^要(压实|细化)", "heading"), (r"。$", "task"))
    found = decompose(
        [
            "要压实整改责任。党组书记履行第一责任人责任。要细化推进措施。逐条剖析原因，建立整改台账。"
        ],
        model=model,
    )
    assert [(item.path, item.text) for item in found.items] == [
        ("要压实整改责任", "党组书记履行第一责任人责任。"),
        ("要细化推进措施", "逐条剖析原因，建立整改台账。"),
    ]
    assert [heading.title for heading in found.outline] == ["要压实整改责任", "要细化推进措施"]


def test_a_piece_judged_to_continue_the_item_before_extends_it():
    model = Scripted((r"^确保", "task+"), (r"。$", "task"))
    (item,) = _items("开展警示教育月活动，10月底前完成。确保全覆盖。", model, on=date(2026, 2, 1))
    assert item.text == "开展警示教育月活动，10月底前完成。确保全覆盖。"
    assert item.deadline == date(2026, 10, 31)


def test_enumerated_clauses_are_items_whose_path_is_their_mark():
    model = Scripted((r"", "task"))
    items = _items(
        "一要加强领导，抓好落实。二要通力协作。三要求真务实，开拓进取。四要加强检查。", model
    )
    assert [item.path for item in items] == ["一要", "二要", "三要", "四要"]
    assert items[2].text == "求真务实，开拓进取。"


def test_a_clause_judged_a_heading_heads_the_sentences_after_it_not_the_next_clause():
    model = Scripted((r"^[一二]是", "heading"), (r"", "task"))
    found = decompose(
        ["一是坚定实施创新驱动战略，在科技自立自强上实现新突破。加快建设实验室。二是扩大内需。"
         "实施消费提振行动。"],
        model=model,
    )  # fmt: skip
    assert [(item.path, item.text) for item in found.items] == [
        ("一是", "加快建设实验室。"),
        ("二是", "实施消费提振行动。"),
    ]
    assert [heading.key for heading in found.outline] == ["一是", "二是"]


def test_a_lead_in_is_not_part_of_the_item():
    model = Scripted((r"", "task"))
    (item,) = _items("会议强调，由办公室牵头，6月底前全部整改到位。", model, on=date(2026, 1, 5))
    assert item.text == "由办公室牵头，6月底前全部整改到位。"
    assert item.lead_units == ["办公室"] and item.deadline == date(2026, 6, 30)
    # "按照《通知》要求，" says by what, not who said it: the work keeps its subject
    (item,) = _items("各科室要按照《通知》要求，认真做好本科室用房统计工作。", model)
    assert item.text == "各科室要按照《通知》要求，认真做好本科室用房统计工作。"
    assert item.lead_units == ["各科室"]


def test_an_assignment_sentence_belongs_to_the_task_before_it():
    model = Scripted((r"", "task"))
    items = _items(
        "三、民生\n稳定和扩大就业，新增就业6万人。办好民生实事，6月30日前完成招标。由市住房城乡建设局负责。",
        model,
    )
    assert [item.text for item in items] == [
        "稳定和扩大就业，新增就业6万人。",
        "办好民生实事，6月30日前完成招标。由市住房城乡建设局负责。",
    ]
    assert items[0].lead_units == [] and items[1].lead_units == ["市住房城乡建设局"]


def test_label_lines_speak_for_the_items_above_them():
    model = Scripted((r"", "task"))
    items = _items(
        "1.落实第一议题制度。\n责任单位：市直机关工委，各部门党组（党委）\n完成时限：长期坚持\n"
        "2.开展专题培训。\n牵头单位：组织部\n责任单位：各区委",
        model,
    )
    assert items[0].lead_units == ["市直机关工委", "各部门党组（党委）"]
    assert items[0].ongoing and items[0].deadline_text == "长期坚持"
    assert (items[1].lead_units, items[1].co_units) == (["组织部"], ["各区委"])


def test_a_numbered_heading_with_nothing_under_it_is_an_item_though_judged_a_heading():
    model = Scripted((r"", "heading"))
    items = _items(
        "一、重点任务\n1.建立重点任务台账。（牵头单位：办公厅）\n2.制定考核办法。", model
    )
    assert [(item.path, item.text, item.lead_units) for item in items] == [
        ("一/1", "建立重点任务台账。", ["办公厅"]),
        ("一/2", "制定考核办法。", []),
    ]


def test_the_model_is_told_what_follows_each_piece():
    model = Scripted((r"", "task"))
    decompose(["一、学习", "1.加强理论学习。每月学习一次。", "2.开展研讨。"], model=model)
    after = {text: context.after for text, context in model.seen}
    assert after["加强理论学习。"] == "text"
    assert after["每月学习一次。"] == "heading"
    assert after["开展研讨。"] == "end"


def test_contents_attachments_and_signature_are_not_body():
    model = Scripted((r"联系人", "meta"), (r"^调研安排", "heading"), (r"", "task"))
    result = decompose(
        [
            "汇编",
            "目录",
            "1.关于加强作风建设的通知\t3",
            "2.关于开展调研的通知\t7",
            "##paidbegin##",
            "关于开展调研的通知",
            "一、调研安排",
            "各单位一要深入基层；二要形成报告。联系人：张某某，电话：12345678。",
            "附件：1.调研提纲",
            "2.报告模板",
            "某某局办公室",
            "2026年3月2日",
        ],
        model=model,
    )
    assert [item.text for item in result.items] == ["深入基层；", "形成报告。"]
    assert result.date == date(2026, 3, 2)
    assert result.title == "汇编"
    assert [heading.title for heading in result.outline] == ["调研安排"]


def test_a_speakers_line_judged_frame_is_no_heading():
    model = Scripted((r"^——", "meta"), (r"", "task"))
    found = decompose(
        ["在全市机关党建工作会议上的讲话", "——2026年2月3日", "同志们：", "今年要抓好三件事。"],
        model=model,
    )
    assert all("2026年2月3日" not in heading.title for heading in found.outline)


def test_minutes_take_their_date_from_the_first_lines():
    model = Scripted((r"", "task"))
    result = decompose(
        ["局党组会议纪要", "2026年3月12日，局党组召开会议。", "一、关于整改", "要在年内完成整改。"],
        model=model,
    )
    assert result.date == date(2026, 3, 12)
    assert result.items[-1].deadline == date(2026, 12, 31)


def test_deadlines_written_in_the_text():
    model = Scripted((r"", "task"))
    cases = {
        "建立落实台账，每季度末前梳理一次落实情况。": (None, "每季度末"),
        "各地于7月3日至7月15日开展自查。": (date(2026, 7, 15), None),
        "到2026年6月底，基本实现全流程审批。": (date(2026, 6, 30), None),
        "列席人员在10个工作日内将小结报送党委宣传部。": (None, None),
    }
    for text, (on, recurrence) in cases.items():
        (item,) = _items(text, model, on=date(2026, 2, 1))
        assert (item.deadline, item.recurrence) == (on, recurrence), text
    (item,) = _items("列席人员在10个工作日内将小结报送党委宣传部。", model)
    assert item.deadline_text == "10个工作日内"


def test_a_numbered_item_may_open_with_a_date():
    result = decompose(
        ["一、学习内容", "1.4月15日发表的重要文章。", "2.4月23日座谈会上的重要讲话。"],
        model=Scripted((r"", "task")),
    )
    assert [h.number for h in result.outline[0].children] == ["1.", "2."]


def test_the_subject_of_a_sentence_is_its_lead_unit():
    model = Scripted((r"", "task"))
    first, second, third, fourth = _items(
        "按照上级要求，各基层党组织要进一步加强中心组学习。"
        "各党总支（党委、直属党支部）要制定学习计划，4月15日前报党委宣传部。"
        "机关党委将派人列席指导。党支部书记要带头讲党课。",
        model,
        on=date(2026, 3, 1),
    )
    assert first.lead_units == ["各基层党组织"]
    assert second.lead_units == ["各党总支（党委、直属党支部）"]
    assert second.deadline == date(2026, 4, 15)
    assert third.lead_units == ["机关党委"]
    assert fourth.lead_units == []  # a person's role is no unit


def test_a_rule_is_marked_as_one():
    model = Scripted((r"不得", "rule"), (r"", "task"))
    first, second = _items("1.制定学习计划。\n2.学习期间不得缺席。", model)
    assert (first.kind, second.kind) == ("task", "rule")
    assert second.reason.startswith("模型判断为长期制度")


def test_a_day_with_its_weekday_and_hour_and_a_span_written_with_spaces_are_deadlines():
    model = Scripted((r"", "task"))
    items = _items(
        "1.报送工作台账，于7月8日（星期四）下午6:00前报团委。\n"
        "2.各乡镇组织讨论，意见收集至2026年11月20日止。\n"
        "3.继续推进加装电梯，12 月底前开工 200 部。\n"
        "4.每周四下班前报送一篇信息。",
        model,
        on=date(2026, 2, 1),
    )
    assert [(item.deadline, item.recurrence) for item in items] == [
        (date(2026, 7, 8), None),
        (date(2026, 11, 20), None),
        (date(2026, 12, 31), None),
        (None, "每周四"),
    ]
    assert items[2].deadline_text == "12月底前"


def test_a_stage_heading_gives_its_period_to_the_items_under_it():
    model = Scripted((r"阶段", "heading"), (r"", "task"))
    items = _items(
        "（一）重点检查阶段（2010年3月-2010年7月）\n各部门要对排查治理情况进行重点检查。\n"
        "领导小组适时组织抽查，9月底前通报结果。",
        model,
        on=date(2010, 2, 1),
    )
    assert [(item.deadline_text, item.deadline) for item in items] == [
        ("2010年3月-2010年7月", date(2010, 7, 31)),
        ("9月底前", date(2010, 9, 30)),  # its own date before its heading's
    ]


def test_a_span_of_time_counts_from_the_document_date_and_a_year_word_does_not_make_a_rule_a_task():
    model = Scripted((r"学习", "rule"), (r"", "task"))
    items = _items(
        "用3个月左右时间，全面排查整治燃气隐患。\n中心组每月集中学习不少于1次，年终公布学习情况。",
        model,
        on=date(2026, 2, 1),
    )
    assert (items[0].deadline_text, items[0].deadline) == ("用3个月左右时间", date(2026, 5, 1))
    assert items[1].kind == "rule"


def test_the_subject_of_a_paragraph_goes_on_to_its_next_sentences_and_names_may_hold_asides():
    model = Scripted((r"", "task"))
    items = _items(
        "各地各有关部门要强化值班值守。要加强巡堤查险，落实巡查方案。\n"
        "各学校（单位）根据推荐范围制定推荐方案。\n"
        "值班由镇党政办根据实际情况统一安排。\n"
        "县电视台派员做好宣传报道。\n"
        "局机关党委负责组织集中学习。年末对学习笔记进行一次检查。\n"
        "节日期间，各街道办事处、区政府各部门要加强值班；要落实领导带班制度。",
        model,
    )
    assert [item.lead_units for item in items] == [
        ["各地各有关部门"],
        ["各地各有关部门"],
        ["各学校（单位）"],
        ["镇党政办"],
        ["县电视台"],
        ["局机关党委"],
        [],  # 局机关党委 is named for its own sentence; only those addressed (各地…) go on
        ["各街道办事处", "区政府各部门"],
        ["各街道办事处", "区政府各部门"],  # 区政府各部门: those addressed too
    ]


def test_a_date_work_is_due_by_is_not_the_documents_date():
    model = Scripted((r"", "task"))
    due = decompose(["关于报送年度工作总结的通知", "各科室：", "请于2007年3月28日前报送本科室年度工作总结。"],
                    model=model)  # fmt: skip
    assert due.date is None
    held = decompose(["局党组会议纪要", "2026年3月12日，局党组召开会议。会议要求，3月底前完成自查。"],
                     model=model)  # fmt: skip
    assert held.date == date(2026, 3, 12)


def test_units_said_once_for_what_follows_count_for_each_item_under_them():
    model = Scripted((r"^会议要求", "lead"), (r"加强组织生活$", "heading"), (r"", "task"))
    items = _items(
        "会议要求，各地各部门要抓好以下工作：一是严格落实统计制度。二是强化队伍建设。\n"
        "（二）各党支部要加强组织生活\n按时召开组织生活会。\n市统计局负责汇总。",
        model,
    )
    assert [(item.text, item.lead_units) for item in items] == [
        ("严格落实统计制度。", ["各地各部门"]),
        ("强化队伍建设。", ["各地各部门"]),
        ("按时召开组织生活会。", ["各党支部"]),
        ("市统计局负责汇总。", ["市统计局"]),  # its own name first
    ]


def test_a_notices_time_section_gives_its_time_to_what_it_asks_for():
    model = Scripted((r"^[一二三]、", "heading"), (r"[。；]$", "task"))
    items = _items(
        "关于开展3月主题党日活动的通知\n各党支部：\n一、活动时间\n2025年3月\n二、活动内容\n"
        "1.组织党员观看电影《雷锋》。\n2.引导党员按标准交纳党费，3月20日前交齐。",
        model,
        on=date(2025, 2, 26),
    )
    assert [(item.deadline_text, item.deadline) for item in items] == [
        ("2025年3月", date(2025, 3, 31)),
        ("3月20日前", date(2025, 3, 20)),  # its own date before the section's
    ]
    # a section of stages, each with its own time, gives no time to the rest
    staged = _items(
        "一、时间安排\n（一）动员部署（3月上旬）。\n（二）集中整改（3月至6月）。\n"
        "二、工作要求\n各单位要加强组织领导。",
        Scripted((r"^[一二]、", "heading"), (r"[。；]$", "task")),
        on=date(2025, 2, 1),
    )
    assert staged[-1].text == "各单位要加强组织领导。"
    assert staged[-1].deadline_text is None
    # a holiday's time is when work stops, not when it is due
    holiday = _items(
        "关于2022年春节放假安排的通知\n一、放假时间\n1月31日至2月6日放假调休，共7天。\n"
        "二、工作要求\n各村要严格执行24小时值班制度。",
        Scripted((r"^[一二]、", "heading"), (r"调休", "background"), (r"[。；]$", "task")),
        on=date(2022, 1, 27),
    )
    assert [(item.text, item.deadline_text) for item in holiday] == [
        ("各村要严格执行24小时值班制度。", None)
    ]


def test_the_cells_of_a_table_row_give_its_units_and_deadline_and_are_no_items():
    model = Scripted((r"。$", "task"), (r"", "task"))  # every cell judged work, were it judged
    items = _items(
        "2016年民生实事目标任务分解表\n序号 | 民生实事 | 责任单位 | 完成时限\n"
        "1 | 新建2座人行天桥。 | 县住建局 | 9月底前\n"
        "2 | 开工建设县老年养护楼。 | 县民政局 县代建中心 | 5月底前动工\n"
        "3 | 建成县残疾人综合服务中心。 | 县残联 | 12月底前",
        model,
        on=date(2016, 2, 26),
    )
    assert [
        (item.text, item.lead_units, item.deadline_text, item.deadline)
        for item in items
        if item.text.endswith("。")
    ] == [
        ("新建2座人行天桥。", ["县住建局"], "9月底前", date(2016, 9, 30)),
        ("开工建设县老年养护楼。", ["县民政局", "县代建中心"], "5月底前动工", date(2016, 5, 31)),
        # a cell of work that ends as a name does is still work
        ("建成县残疾人综合服务中心。", ["县残联"], "12月底前", date(2016, 12, 31)),
    ]
    assert not any(item.text in ("县住建局", "9月底前", "县残联") for item in items)


def test_a_heading_opened_in_a_line_gives_its_time_to_the_sentences_after_it():
    model = Scripted((r"^[一二]是", "heading"), (r"", "task"))
    items = _items(
        "一是全力做好岁末年初的重点工作。要整治各类安全隐患。要开展帮困送温暖。"
        "二是做好两会服务保障。要加强与人大的沟通联系。",
        model,
    )
    assert [(item.text, item.deadline_text) for item in items] == [
        ("要整治各类安全隐患。", "岁末年初"),
        ("要开展帮困送温暖。", "岁末年初"),
        ("要加强与人大的沟通联系。", None),
    ]


def test_a_target_year_and_the_year_of_a_lead_in_are_deadlines():
    model = Scripted((r"：$", "heading"), (r"", "task"))
    items = _items(
        "到2020年，基本消除大班额。\n今年发展的主要预期目标是：\n国内生产总值增长6.5%左右；\n"
        "城镇新增就业1100万人以上。",
        model,
        on=date(2017, 3, 5),
    )
    assert [(item.deadline_text, item.deadline) for item in items] == [
        ("2020年", date(2020, 12, 31)),  # 到 is not shown: "于6月底前" reads "6月底前"
        ("今年", date(2017, 12, 31)),
        ("今年", date(2017, 12, 31)),
    ]


def test_a_time_heading_inside_one_tasks_entry_speaks_only_for_that_task():
    model = Scripted((r"^一、", "heading"), (r"", "task"))
    items = _items(
        "一、重点任务\n（一）完善制度\n修订议事规则。\n（二）完成时限：6月底前\n（三）加强督查\n开展专项督查。",
        model,
        on=date(2025, 2, 1),
    )
    assert [(item.text, item.deadline_text) for item in items if item.text.endswith("。")] == [
        ("修订议事规则。", None),
        ("开展专项督查。", None),
    ]


def test_the_subject_grammar_leaves_a_leading_year_out_of_the_name():
    # asked where the unit model finds no one: "2025年" says when, not who
    assert _unit_subject("2025年我镇确定胜利村为示范村。", Units()) == ["我镇"]


def test_the_subject_grammar_finds_no_unit_in_a_clause_that_opens_with_its_verb_or_purpose():
    # a clause that opens with its verb has no subject, though a name's ending follows the verb
    none = Units()
    assert _unit_subject("坚持生态系统保护，持续提升环境质量。", none) == []
    assert _unit_subject("指导各街道办事处建立健全清单制度。", none) == []
    assert _unit_subject("为规范基层党组织建设，做好组织关系管理。", none) == []
    # what a figure counts is no subject: "…卫生院3所"
    assert _unit_subject("城区新建停车场2处，乡镇卫生院3所。", none) == []
    # a year before the subject is no count
    assert _unit_subject("2026年区政府将办好八件实事。", none) == ["区政府"]


def test_the_subject_grammar_reads_a_name_with_an_aside_and_no_name_in_a_date():
    none = Units()
    # 应 inside the aside (应急办) ends no subject
    assert _unit_subject(
        "三是加强值班督促检查，州政府总值班室（州政府应急办）将采取现场督查等方式。", none
    ) == ["州政府总值班室（州政府应急办）"]
    # "到2019年6月底…全部" is when, though it ends as 部 does
    assert _unit_subject("各地到2019年6月底完成全部整改。", none) == ["各地"]
    assert _unit_subject("到2019年6月底完成全部整改。", none) == []


def test_no_name_ends_inside_a_word_nor_opens_with_how_often():
    none = Units()
    # 局部 ends as 部 does, 应急 opens as the modal 应 does
    assert _unit_subject("坚持总策略，不断完善常态化防控机制和局部应急处置机制。", none) == []
    # "每季度与市扶贫办开展…": how often and with whom, not who
    assert _unit_subject("要健全监测预警机制，每季度与市扶贫办开展一次数据比对。", none) == []
    assert _unit_subject("县应急管理局将开展一次演练。", none) == ["县应急管理局"]


def test_a_post_of_a_body_names_a_person_not_the_body():
    for text in (
        "因公出差需借款的，由办公室主任审批，出差后结清。",
        "各党支部书记要认真撰写述职报告。",
    ):
        assert annotate(text).lead_units == [], text
    assert annotate("各党支部要认真撰写述职报告。").lead_units == ["各党支部"]
    # 要 in 主要 is no modal, and a body's 主要负责人 holds the body to account: the labels name
    # the bodies, each of a list ("各单位负责人是…第一责任人" names a person, below)
    assert annotate("各责任单位主要负责人要进一步树立目标导向。").lead_units == ["各责任单位"]
    assert annotate("一是各县市区、州直各单位主要负责人要亲自安排部署值班工作。").lead_units == [
        "各县市区",
        "州直各单位",
    ]
    assert annotate("县政府办公室要做好重要会议的服务保障。").lead_units == ["县政府办公室"]


def test_whom_the_lead_works_with_are_co_units_and_what_a_body_is_said_to_be_is_no_body():
    for text, lead, co in [
        # "会同…" names co-units (GUIDE.md), in a sentence or inside "由…负责"
        ("机关纪委要会同办公室开展作风建设专项检查，每季度通报一次。", ["机关纪委"], ["办公室"]),
        ("由国土资源部会同农业部等部门负责落实。", ["国土资源部"], ["农业部"]),
        # "X是Y": Y says what X is
        ("局办公室是政务舆情回应的牵头部门，负责统筹协调舆情监测。", ["局办公室"], []),
        ("三是各党支部要加强学习。", ["各党支部"], []),
        # bodies addressed through a post of each
        ("各立档单位领导和档案管理员要密切关注气象动态信息。", ["各立档单位"], []),
    ]:
        found = annotate(text)
        assert (found.lead_units, found.co_units) == (lead, co), text


def test_a_subject_read_by_the_grammar_is_a_body_not_where_or_toward_what():
    for text, lead in [
        ("召开教育系统代表座谈会，面向教育系统开展宣讲。", []),
        ("建立健全住所登记管理制度，在便利住所(经营场所)登记的同时加强监管。", []),
        # an article's number is no part of the name, nor is a year
        ("第五条 市政协党组中心组学习每两月至少1次。", ["市政协党组中心组"]),
        ("2025年我镇要完成任务。", ["我镇"]),
        ("党员所在单位要做好教育管理。", ["党员所在单位"]),
    ]:
        assert annotate(text).lead_units == lead, text


def test_how_listed_units_share_the_work_is_no_part_of_their_names():
    model = Scripted((r"^责任单位", "attr"), (r"", "task"))
    items = _items(
        "一、加强规范性文件备案审查，提高文件质量。\n"
        "责任单位:县政府办公室、县司法局,乡镇人民政府按职责分工分别负责。\n"
        "二、推进政务信息公开，完善公开目录。（县工信局、县发改委按职责分工分别负责）",
        model,
    )
    assert [item.lead_units for item in items] == [
        ["县政府办公室", "县司法局", "乡镇人民政府"],
        ["县工信局", "县发改委"],
    ]


def test_a_target_year_a_span_of_months_a_limit_in_days_and_a_time_before_an_occasion_are_deadlines():
    on = date(2023, 3, 1)
    for text, said, due in [
        ("到2025年，全县专业镇达到3个以上。", "2025年", date(2025, 12, 31)),
        ("我们要抓住5-7月这100天时间，开展村庄清洁行动。", "5-7月", date(2023, 7, 31)),
        ("对请示性事项要及时处理，时间不得超过15个工作日。", "不得超过15个工作日", None),
        ("到2025年6月底建成示范区。", "2025年6月底", date(2025, 6, 30)),
        ("降低费率政策实施期限至2024年12月31日。", "2024年12月31日", date(2024, 12, 31)),
        ("平件的处理不得超过三天。", "不得超过三天", None),
        # so long before an occasion: a rota's, a meeting's
        ("放假前3天向总值班室报备值班表。", "放假前3天", None),
        ("接班人员应提前10分钟接班。", "提前10分钟", None),
        # a period's items are no deadline
        ("会议审议通过了2011年度4-6月份政府采购项目。", None, None),
        # a month or a festival an item opens with is when it is done, not a month it tells of
        ("4月份开展“统一战线调研月”活动。", "4月份", date(2023, 4, 30)),
        ("4月左右组织一次春游活动。", "4月左右", date(2023, 4, 30)),
        ("清明节开展主题祭扫，加强爱国主义教育。", "清明节", None),
        ("春节前能整改的要立即采取措施整改。", "春节前", None),
        ("4月份以来，全县完成投资3亿元。", None, None),
        ("清明节期间做好森林防火。", "清明节期间", None),
    ]:
        item = annotate(text, on=on)
        assert (item.deadline_text, item.deadline) == (said, due), text


def test_a_table_row_whose_cells_are_kept_apart_by_spaces_names_lead_then_co_units():
    model = Scripted((r"", "task"))  # the names' cells too, were they judged
    items = _items(
        "序号 重点工作任务 主要责任单位 协同配合单位\n"
        "1 地区生产总值增长6.5%左右。 区发改委 区政府各部门，各乡镇人民政府，魏武国控集团。\n"
        "2 社会消费品零售总额增长8.2%左右。 区商务局 区发改委、区市场监管局。",
        model,
    )
    assert [(item.text, item.lead_units, item.co_units) for item in items[-2:]] == [
        ("1 地区生产总值增长6.5%左右。", ["区发改委"], ["区政府各部门", "各乡镇人民政府", "魏武国控集团"]),
        ("2 社会消费品零售总额增长8.2%左右。", ["区商务局"], ["区发改委", "区市场监管局"]),
    ]  # fmt: skip


def test_a_table_read_one_cell_a_line_gives_each_row_its_units_and_time():
    # the names of the columns are the frame (as the model learned them), the rows are work
    model = Scripted(
        (r"^(?:重点工作|责任单位|完成时限|工作任务|负责部门|时间进度)$", "meta"), (r"", "task")
    )
    items = _items(
        "2025年开发区重点工作及责任清单\n序号\n重点工作\n责任单位\n完成时限\n"
        "坚持服务跟着项目走，全力服务重大项目落地见效。\n招商工作部、安商工作部\n全年\n"
        "持续提升园区承载能力，做好基础设施配套。\n规划建设局\n6月底前",
        model,
        on=date(2025, 2, 1),
    )
    assert [(item.lead_units, item.deadline_text) for item in items] == [
        (["招商工作部", "安商工作部"], "全年"),
        (["规划建设局"], "6月底前"),
    ]
    # a column of times may say the work goes on rather than when it ends
    ongoing = _items(
        "序号\n工作任务\n负责部门\n时间进度\n推广使用可循环利用物品，限制使用一次性用品。\n市商务局\n常态工作",
        model,
        on=date(2025, 2, 1),
    )
    assert [(item.deadline_text, item.ongoing) for item in ongoing] == [("常态工作", True)]
    # without the columns' names the lines are judged as any other
    alone = _items("做好基础设施配套。\n规划建设局", model)
    assert [item.text for item in alone] == ["做好基础设施配套。", "规划建设局"]


def test_a_document_that_opens_with_a_table_read_one_cell_a_line_has_no_title_among_its_cells():
    # an attachment's table stored without its title: its head row and first rows are no title
    # block, and a first row's work that holds 工作 is no inner title either
    model = Scripted((r"^(?:工作任务|负责部门|时间进度)$", "meta"), (r"", "task"))
    lines = (
        "序号\n工作任务\n负责部门\n时间进度\n"
        "1\n完善城市管理体制\n市委编办、市住建局\n省出台文件后2个月完成\n"
        "2\n完善城市工作机制\n市住建局、各县(区)政府\n2016年6月底前\n"
        "3\n推进数字化城市管理平台建设\n市城管局\n常态工作"
    )
    for text in (lines, "关于印发城市环境卫生整治任务分解表的通知\n" + lines):
        found = decompose(text.split("\n"), model=model)
        assert found.title in (None, "关于印发城市环境卫生整治任务分解表的通知"), text
        assert [(item.text, item.lead_units[0], item.deadline_text) for item in found.items] == [
            ("完善城市管理体制", "市委编办", "省出台文件后2个月完成"),
            ("完善城市工作机制", "市住建局", "2016年6月底前"),
            ("推进数字化城市管理平台建设", "市城管局", "常态工作"),
        ], text


def test_a_table_of_two_columns_read_one_cell_a_line_names_each_cell_by_the_line_before():
    # each field's name on a line, its value on the next: the name says what the value is
    model = Scripted((r"", "task"))
    items = _items(
        "具体任务\n改造发热门诊，完成老年人疫苗接种；建成中医院门诊楼。\n责任单位\n县卫健局、县文旅局\n"
        "配合单位\n各乡镇\n完成时限\n发热门诊改造2月底前完成；其余事项年底前见效并长期坚持",
        model,
        on=date(2026, 1, 10),
    )
    assert [(item.text, item.lead_units, item.co_units, item.deadline_text) for item in items] == [
        ("改造发热门诊，完成老年人疫苗接种；", ["县卫健局", "县文旅局"], ["各乡镇"], "2月底前"),
        ("建成中医院门诊楼。", ["县卫健局", "县文旅局"], ["各乡镇"], "2月底前"),
    ]


def test_a_lead_in_opening_a_paragraph_gives_its_time_to_the_work_after_it():
    # the lead-in is a piece of its own, cut at its colon (judged a lead-in, as the model does)
    model = Scripted((r"目标是：$", "lead"), (r"", "task"))
    items = _items(
        "今年发展的主要预期目标是：国内生产总值增长6.5%左右；居民消费价格涨幅3%左右；"
        "城镇新增就业1100万人以上。\n加强就业服务。",
        model,
        on=date(2017, 3, 5),
    )
    assert [(item.deadline_text, item.lead_units) for item in items] == [
        ("今年", []),
        ("今年", []),
        ("今年", []),  # 城镇 is a kind of place, not a body
        (None, []),  # the next paragraph is not the lead-in's
    ]


def test_the_clauses_of_a_standing_regulation_are_rules_unless_due_by_a_date():
    model = Scripted((r"^第.条", "heading"), (r"", "task"))  # the model says task for each
    lines = "中心组每季度集中学习1次。\n学习秘书由办公室主任担任。\n2026年6月底前制定年度学习计划。"
    regulation = _items("局党组理论学习中心组学习制度\n" + lines, model, on=date(2026, 2, 1))
    assert [(item.kind, item.deadline) for item in regulation] == [
        ("rule", None),
        ("rule", None),
        ("task", date(2026, 6, 30)),
    ]
    assert regulation[0].reason.startswith("所在文件为制度")
    plan = _items("局党组2026年理论学习计划\n" + lines, model, on=date(2026, 2, 1))
    assert [item.kind for item in plan] == ["task", "task", "task"]


def test_a_lead_in_names_the_units_of_the_enumerated_clauses_in_the_paragraphs_after_it():
    model = Scripted((r"^请", "lead"), (r"^有关要求", "heading"), (r"", "task"))
    items = _items(
        "请各单位务必高度重视本轮降雨涨水过程，切实做好各项防范应对工作。\n"
        "一是严格执行24小时值班带班制度。\n"
        "二是乡镇水库管理单位要高度关注水雨情变化。\n"
        "三是做好应急处置准备工作。\n"
        "二、有关要求\n"
        "四是及时报送信息。",
        model,
    )
    assert [item.lead_units for item in items] == [
        ["各单位"],
        ["乡镇水库管理单位"],  # its own subject
        ["各单位"],  # the lead-in's, not the clause before's
        [],  # a heading ends what the lead-in speaks for
    ]
    # the same paragraphs without their clause marks are no list the lead-in opens
    plain = _items("请各单位务必高度重视本轮降雨涨水过程。\n严格执行24小时值班带班制度。", model)
    assert [item.lead_units for item in plain] == [[]]


def test_a_standing_meeting_named_over_a_list_of_matters_decides_each_of_them():
    model = Scripted(
        (r"下列事项|以下事项|^（一）党组会议$|^（二）局长办公会议$|^一、|^二、", "heading"),
        (r"重要事项主要有", "lead"),
        (r"", "rule"),
    )
    items = _items(
        "一、秘书长办公会议主要研究下列事项：\n"
        "（一）讨论办公室年度工作计划和工作总结；\n"
        "（二）落实主任会议交办的事项。\n"
        "二、主要内容\n"
        "（一）党组会议\n"
        "1、研究决定本局内部机构设置等问题；\n"
        "（二）局长办公会议\n"
        "1、研究讨论本局行政事务；\n"
        "第三条 学院党委会议讨论决定的重要事项主要有：\n"
        "（一）发展党员和党员教育管理工作中的重要事项；",
        model,
    )
    assert [item.lead_units for item in items] == [
        ["秘书长办公会议"],
        ["秘书长办公会议"],
        ["党组会议"],
        ["局长办公会议"],
        ["学院党委会议"],
    ]
    # what the body is said to be before its duties, and groups of matters under its lead-in
    nested = _items(
        "学院党政联席会议议事规则\n"
        "第二条 党政联席会议是学院议事决策的最高机构，履行以下职责：\n"
        "（一）讨论决定学院行政重要事项；\n"
        "第四条 党政联席会议研究决定以下事项：\n"
        "（一）发展规划与治理类\n"
        "1、贯彻落实上级决策部署和学院年度工作计划；",
        Scripted(
            (r"以下职责|以下事项|规划与治理类$", "heading"), (r"议事规则$", "meta"), (r"", "rule")
        ),
    )
    assert [item.lead_units for item in nested] == [["党政联席会议"], ["党政联席会议"]]
    # "会议" alone is the meeting speaking in minutes, and a heading that says to hold a
    # meeting names no body; what a meeting is made of is no one's work
    for text in (
        "会议研究决定以下事项：\n一、同意举办培训班。",
        "一、认真召开会议\n支部书记代表支委会报告工作，党员逐一进行党性分析。",
        "（一）支部委员会会议\n由书记、副书记、支部委员组成，会议由书记主持。",
    ):
        found = _items(text, model)
        assert found and all(item.lead_units == [] for item in found), text


def test_a_clause_whose_要_is_no_modal_has_no_subject_of_its_own():
    # 要 in 要求, 重要 or 主要 names no subject before it: the lead-in's units stand
    model = Scripted(
        (r"^会议要求|要：$", "lead"),
        (r"常务会议", "meta"),
        (r"^会议听取", "background"),
        (r"", "task"),
    )
    items = _items(
        "区政府第3次常务会议纪要\n"
        "会议听取了统计工作汇报。\n"
        "会议要求，各地各部门要：一是严格落实“三个不得”要求，进一步提升统计效能；"
        "二是做好重要时间节点的数据报送；三是区统计局要加强业务培训。",
        model,
    )
    assert [item.lead_units for item in items] == [["各地各部门"], ["各地各部门"], ["区统计局"]]


def test_where_the_document_says_the_first_listed_unit_leads_the_others_are_co_units():
    model = Scripted((r"^责任单位", "attr"), (r"^一、", "heading"), (r"", "task"))
    text = (
        "关于印发重点工作责任分解的通知\n"
        "一、主要预期目标\n"
        "1.全县生产总值增长7.5%左右；\n"
        "责任单位：县发改局（首位单位为牵头单位，下同）、县财政局、县税务局\n"
        "2.城镇新增就业完成省定任务。\n"
        "责任单位：县人社局、县发改局（分别牵头）"
    )
    assert [(item.lead_units, item.co_units) for item in _items(text, model)] == [
        (["县发改局"], ["县财政局", "县税务局"]),
        (["县人社局", "县发改局"], []),  # each leads its share
    ]
    # where the document says nothing of the kind, all the listed units lead
    plain = text.replace("（首位单位为牵头单位，下同）", "")
    assert [item.lead_units for item in _items(plain, model)][0] == [
        "县发改局",
        "县财政局",
        "县税务局",
    ]


def test_limits_in_days_weeks_and_hours_a_days_end_and_the_periods_of_occasions_are_deadlines():
    for text, said in [
        ("新发展团员要在1周内录入系统。", "1周内"),
        ("要在3日内报送整改情况。", "3日内"),
        ("发现险情24小时内上报。", "24小时内"),
        ("并在出差后一周内结清借款。", "一周内"),
        ("在4月1日之内报至农业综合服务中心。", "4月1日之内"),
        ("值班人员下班前要向带班领导汇报值班情况。", "下班前"),
        ("切实抓好全国两会期间交通运输安全稳定工作。", "全国两会期间"),
        ("主汛期期间，专家组在负责区片开展驻守检查。", "主汛期期间"),
        # working days in Chinese numerals, a month with 份
        ("返岗后，原则上要在一个工作日内销假。", "一个工作日内"),
        ("必须在每年2月份以前把上年的文件材料整理归档。", "2月份以前"),
        ("村委会要在本周内指定巡护责任人。", "本周内"),
        # how long, not by when; a time the text tells of
        ("请假三天以内的，由分管领导批准。", None),
        ("学习全国两会期间的重要讲话精神。", None),
    ]:
        assert annotate(text).deadline_text == said, text


def test_a_target_time_opening_a_paragraph_is_the_deadline_of_the_targets_after_it():
    model = Scripted((r"总体目标", "heading"), (r"", "task"))
    items = _items(
        "关于印发实施方案的通知\n"
        "一、总体目标\n"
        "到2025年底前，县域医共体政策进一步完善。医共体总院全部达到县级医院服务能力基本标准；"
        "基层医疗卫生机构诊疗量占比提高到55%左右。\n"
        "加强医共体人才队伍建设。",
        model,
    )
    assert [(item.deadline_text or "").startswith("2025年底") for item in items] == [
        True,
        True,
        True,
        False,
    ]


def test_a_lead_in_that_announces_a_list_ends_at_its_colon_inside_the_line():
    model = Scripted((r"(?:指标是|如下)：$", "lead"), (r"", "task"))
    items = _items(
        "2022年政府工作报告\n"
        "综合考虑各方面因素，今年主要预期指标是：地区生产总值增长8.5%；服务业增加值增长6%。",
        model,
    )
    assert [item.text for item in items] == ["地区生产总值增长8.5%；", "服务业增加值增长6%。"]
    # a label's colon is no lead-in's: the line stays whole and names the unit
    labelled = _items("2022年工作要点\n做好值班工作。\n牵头单位：县应急局", model)
    assert [(item.text, item.lead_units) for item in labelled] == [("做好值班工作。", ["县应急局"])]


def test_work_after_a_task_that_names_its_units_takes_them_in_the_clauses_that_follow():
    model = Scripted((r"", "task"))
    items = _items(
        "请各单位务必高度重视防汛工作。\n一是严格执行值班制度。\n二是做好物资准备。", model
    )
    assert [item.lead_units for item in items] == [["各单位"], ["各单位"], ["各单位"]]


def test_a_lead_in_judged_background_still_names_who_does_the_clauses_after_it():
    # "会议强调，X要…" is who is told to do what follows, whatever else the model makes of it
    model = Scripted((r"^会议(强调|听取)", "background"), (r"", "task"))
    items = _items(
        "会议强调，各地各部门要认真学习有关精神。一是要完善统计监督体制机制。二是要提升统计效能。",
        model,
    )
    assert [item.lead_units for item in items] == [["各地各部门"], ["各地各部门"]]
    # background that is no such lead-in names nobody for the work after it
    told = _items("会议听取了机关党委的汇报，机关党委要抓好落实。一是要完善制度。", model)
    assert [item.lead_units for item in told] == [[]]


def test_people_are_no_units():
    model = Scripted((r"", "task"))
    items = _items("机关全体党员干部要扎实锤炼工作作风。\n各党支部要每月开展主题党日。", model)
    assert [item.lead_units for item in items] == [[], ["各党支部"]]


def test_who_a_body_is_made_of_or_who_holds_a_post_is_no_unit_doing_the_work():
    # members and posts, and 负责人 / 负责同志 (persons), not 负责 the verb
    for text in (
        "局务会议由局领导和各科室单位负责人组成，必要时邀请其他人员参加。",
        "学习秘书由党政办负责党务工作的副主任担任。",
        "领导小组由分管副县长和县财政局、县审计局主要负责人组成。",
        "各部门负责人是本部门安全工作第一责任人。",
    ):
        assert annotate(text).lead_units == [], text
    assert annotate("统计资料由县统计局负责提供。").lead_units == ["县统计局"]
    assert annotate("值班由镇党政办根据排班表安排。").lead_units == ["镇党政办"]


def test_times_of_the_years_round_and_occasions_are_deadlines_but_not_seasons():
    model = Scripted((r"", "task"))
    items = _items(
        "汛前完成水库除险加固。\n要精心做好节日期间的保供工作。\n在“七一”前夕开展一次主题党日活动。\n"
        "今晚全体机关干部下沉至所包村庄。\n做好秋冬季大气污染防治工作。\n主汛期前完成河道清障。\n"
        "切实加强汛期安全管理工作。",
        model,
        on=date(2025, 1, 20),
    )
    assert [(item.deadline_text, item.deadline) for item in items] == [
        ("汛前", None),
        ("节日期间", None),
        ("“七一”前夕", None),
        ("今晚", date(2025, 1, 20)),
        (None, None),  # the work's name, not its time
        ("汛期前", None),
        (None, None),  # 汛期安全管理 names the work too
    ]


def test_a_bracketed_aside_of_units_speaks_for_the_work_of_its_paragraph():
    model = Scripted(
        (r"^[（(]", "background"), (r"^会议", "background"), (r"^推进", "heading"), (r"", "task")
    )
    items = _items(
        "一、推进信息公开。及时公开行动计划。实时发布有关政策措施。"
        "（县工信局、县发改委按职责分工负责）\n"
        "二、推进民生公开。公开就业政策。（县人社局）\n"
        "做好防汛准备。\n会议还研究了干部任免事宜。（县政府办）",
        model,
    )
    assert [(item.text, item.lead_units) for item in items] == [
        ("及时公开行动计划。", ["县工信局", "县发改委"]),
        ("实时发布有关政策措施。", ["县工信局", "县发改委"]),
        ("公开就业政策。", ["县人社局"]),
        ("做好防汛准备。", []),  # a news page's byline is no unit of the work before it
    ]


def test_a_lead_in_after_who_said_it_gives_its_year_to_the_list_after_it():
    model = Scripted((r"：$", "lead"), (r"开幕。$", "background"), (r"", "task"))
    items = _items(
        "县政府工作报告摘要\n县人大会议隆重开幕。报告指出，2022年县政府将重点抓好10件民生实事：\n"
        "（1）全面建成城乡供水工程。\n（2）新增城镇就业5500人以上。",
        model,
        on=date(2021, 11, 28),
    )
    assert [(item.deadline_text, item.deadline) for item in items] == [
        ("2022年", date(2022, 12, 31)),
        ("2022年", date(2022, 12, 31)),
    ]
    # and whom: "…县政府将…抓好10件民生实事：" names who does the list, as 要 would
    assert [item.lead_units for item in items] == [["县政府"], ["县政府"]]


def test_what_happened_and_whom_to_ask_are_no_work_unless_work_is_directed():
    model = Scripted((r"", "task"))  # the model takes every sentence for work
    items = _items(
        "去年全市地区生产总值增长5.2%，城镇新增就业1.2万人。\n一年来，共办结民生实事10件。\n"
        "去年未完成的项目，今年要全部开工。\n新增城镇就业5500人以上。\n"
        "全镇固定资产投资同比增长20.1%；\n力争一般公共预算收入同比增长6%。\n"
        "联系人及电话：李某，0773-3693676。\n专项行动联系人：张某某，电话：12345678。\n"
        "www.example.gov.cn/zwgk/\n工作机构登记表.docx\n请于6月底前报送登记表。",
        model,
    )
    assert [item.text for item in items] == [
        "去年未完成的项目，今年要全部开工。",
        "新增城镇就业5500人以上。",
        "力争一般公共预算收入同比增长6%。",  # a target, though measured on the year before
        "请于6月底前报送登记表。",
    ]  # nor whom to ask, nor an address or a file's name


def test_a_cell_of_times_says_a_date_or_what_an_annotation_says_instead():
    said = ["5月底前动工", "2025年3月", "长期坚持", "持续推进", "年内", "按期", "全年", "汛前"]
    assert all(_time_cell(cell) for cell in said)
    assert not any(
        _time_cell(cell) for cell in ["加强宣传", "县水务局", "全年社会消费品零售总额增长5%"]
    )


def test_square_and_tortoise_shell_brackets_read_as_round_ones_and_the_document_keeps_its_own():
    model = Scripted(
        (r"^[（(]", "background"), (r"^关于", "background"), (r"^(加强|优化)", "heading"),
        (r"", "task"),
    )  # fmt: skip
    text = (
        "关于印发实施方案的通知\n川发改〔2022〕5号\n"
        "（一）加强市场体系建设。推进高标准市场体系建设。实施市场准入负面清单制度。"
        "〔责任单位:省发展改革委、商务厅按职责分工负责。具体任务均涉及各市(州),下同。〕\n"
        "【二】优化市场准入环境。提升登记便利化水平。〔责任单位:省市场监管局〕"
    )
    found = decompose(text.split("\n"), model=model, spotter=None)
    assert [(item.text, item.lead_units) for item in found.items] == [
        ("推进高标准市场体系建设。", ["省发展改革委", "商务厅"]),
        ("实施市场准入负面清单制度。", ["省发展改革委", "商务厅"]),
        ("提升登记便利化水平。", ["省市场监管局"]),
    ]
    assert found.reference == "川发改〔2022〕5号"  # a document number's year keeps its brackets
    assert found.text == text  # shown as given


def test_a_report_of_work_done_and_a_plan_stand_in_different_registers():
    done = [
        "已完成整改问题32个。",
        "一是建立整改台账，累计召开会议5次。",
        "下一步，将持续巩固成果。",
    ]
    plan = ["各党支部要每月开展主题党日。", "6月底前完成项目清单编制。", "确保按期完成。"]
    assert (_register(done), _register(plan), _register(["附件1"])) == ("2", "0", "0")
    model = Scripted((r"", "task"))
    decompose(["关于整改情况的通报", *done], model=model)
    # every piece the model is asked about knows its document's register
    assert {context.register for _, context in model.seen} == {"2"}
    assert "r2" in sentences.features("下一步，将持续巩固成果。", model.seen[-1][1])


@pytest.mark.parametrize("judged", ["lead", "task"])
def test_a_sentence_announcing_the_list_below_gives_it_its_time_as_a_colon_would(judged):
    # however the model takes the announcing sentence, what it says of time holds for the list
    model = Scripted(
        (r"开幕。$", "lead"), (r"^报告", judged), (r"^[（(][一二三]", "heading"), (r"", "task")
    )
    items = _items(
        "县政府工作报告摘要\n县人大会议隆重开幕。\n报告明确，今年将继续扎实办好“十件民生实事”。\n"
        "（一）\n促进群众就业增收，开展职业技能培训2.5万人次。\n（二）\n新建公办幼儿园20所。",
        model,
        on=date(2025, 1, 31),
    )
    announcing = [("今年将继续扎实办好“十件民生实事”。", "今年")] if judged == "task" else []
    assert [(item.text, item.deadline_text) for item in items] == [
        *announcing,
        ("促进群众就业增收，开展职业技能培训2.5万人次。", "今年"),
        ("新建公办幼儿园20所。", "今年"),
    ]


def test_a_list_number_is_no_part_of_the_unit_that_opens_the_sentence():
    # as the grammar reads an item whose number stayed in its words (a heading's line the model
    # took for work)
    assert _unit_subject("六、党政办将不定时对值班情况进行抽查。", Units()) == ["党政办"]
    assert _unit_subject("（3）县财政局做好资金保障。", Units()) == ["县财政局"]


def test_the_last_numbered_line_before_the_signature_heads_nothing_and_is_work():
    # the model weighs the numbered lines as headings (heading 0.9, work 0.05); with nothing
    # under it but the signature, the last one heads nothing and its work is an item
    model = Scripted((r"调整党费|考察活动", "heading"))
    items = _items(
        "党支部工作计划\n8、执行上级政策，调整党费交纳。\n开好支委会。\n"
        "9、组织党员考察活动。\n上海市某某中学党支部\n2008年9月",
        model,
    )
    seen = [(text, context.alone) for text, context in model.seen if context.title_part]
    assert seen == [("执行上级政策，调整党费交纳。", False), ("组织党员考察活动。", True)]
    assert [item.text for item in items] == ["组织党员考察活动。"]


def test_entries_that_only_name_what_a_rule_covers_go_with_the_entry_before():
    model = Scripted((r"^（[一二]）|重大决策|议事要求", "heading"), (r"", "rule"))
    items = _items(
        "“三重一大”制度\n（一）重大决策\n1.贯彻执行上级党委、政府的决定；\n2.医院中长期发展规划；\n"
        "3.年度工作计划。\n（二）议事要求\n1.会议由院长主持；\n2.不在公共场所谈论议题；\n"
        "3.会议记录应存档备案。",
        model,
    )
    assert [item.text for item in items] == [
        "贯彻执行上级党委、政府的决定；\n2.医院中长期发展规划；\n3.年度工作计划。",
        "会议由院长主持；",
        "不在公共场所谈论议题；",  # a prohibition is work of its own
        "会议记录应存档备案。",
    ]


def test_deadlines_of_the_week_the_next_year_and_in_chinese_numerals_are_read_in_the_text():
    items = _items(
        "关于整改的通知\n请各单位本周五下班前完成整改。\n于次年元月十日前交机关党委。\n"
        "请于十二月十五日前报送总结。\n明年3月底前完成验收。\n三个月前已完成的不再报送。",
        Scripted((r"", "task")),
        on=date(2026, 3, 10),
    )
    assert [(item.deadline_text, item.deadline) for item in items] == [
        ("本周五下班前", date(2026, 3, 13)),
        ("次年元月十日前", date(2027, 1, 10)),
        ("十二月十五日前", date(2026, 12, 15)),
        ("明年3月底前", date(2027, 3, 31)),
        (None, None),  # a time ago, not a month
    ]


def test_entries_under_clause_marks_that_only_name_what_a_rule_covers_go_together_too():
    model = Scripted((r"^（[一二]）|重大决策", "heading"), (r"：$", "lead"), (r"", "rule"))
    items = _items(
        "“三重一大”制度\n（一）重大决策\n下列事项须集体讨论：（1）贯彻执行上级党委的决定；"
        "（2）医院中长期发展规划；（3）年度工作计划。",
        model,
    )
    assert [(item.path, item.text) for item in items] == [
        ("（一）/（1）", "贯彻执行上级党委的决定；（2）医院中长期发展规划；（3）年度工作计划。")
    ]


def test_each_row_of_a_table_with_a_column_of_who_or_by_when_is_a_ledger_line():
    # the model takes the rows' first cells for frame; the table's columns say otherwise
    model = Scripted((r"", "meta"))
    items = _items(
        "安全生产专项整治工作计划\n根据我镇实际，特制定本工作计划。\n一、专项整治安排表\n"
        "专项整治行业名称 | 时间安排 | 责任单位 |\n"
        "烟花爆竹 | 1月份 | 安监站 安监所 |\n网吧、KTV | 8月份 | 文化站 |\n"
        "二、工作要求\n行业名称 | 说明 |\n交通运输 | 重点行业 |",
        model,
        on=date(2017, 1, 5),
    )
    assert [(item.text, item.lead_units, item.deadline_text) for item in items] == [
        ("烟花爆竹", ["安监站", "安监所"], "1月份"),
        ("网吧、KTV", ["文化站"], "8月份"),
    ]  # a table whose columns name no one and no time is no such table


def test_a_numbered_clause_after_a_space_is_work_though_it_ends_as_a_name_does():
    items = _items(
        "县政府工作报告摘要\n重点抓好以下民生实事： (1)完成柳湖片区黑臭水体治理。 "
        "(2)开工建设西城区九年制学校。 (3)城区新建便民市场5处。",
        Scripted((r"：$", "lead"), (r"", "task")),
    )
    assert [item.text for item in items] == [
        "(1)完成柳湖片区黑臭水体治理。",
        "(2)开工建设西城区九年制学校。",
        "(3)城区新建便民市场5处。",
    ]


def test_the_names_that_end_a_numbered_row_kept_apart_by_spaces_are_its_units_alone():
    # a table read as text with no bars: "序号 任务 牵头单位" then "1 … 县财政局"
    items = _items(
        "重点指标任务分工\n各部门要对照分工抓好落实。\n序号 工作任务 牵头单位\n"
        "1 一般公共预算收入增长6% 县财政局\n2 新增城镇就业2000人以上 县人社局 县总工会\n"
        "3 完成造林面积1.2万亩 县林业局。",
        Scripted((r"^序号", "meta"), (r"", "task")),
    )
    assert [(item.text, item.lead_units, item.co_units) for item in items] == [
        ("各部门要对照分工抓好落实。", ["各部门"], []),  # no row's names go to the line above
        ("1 一般公共预算收入增长6%", ["县财政局"], []),
        ("2 新增城镇就业2000人以上", ["县人社局"], ["县总工会"]),
        ("3 完成造林面积1.2万亩", ["县林业局"], []),
    ]
    # a line that is no numbered row, or whose last words are no names, keeps them
    items = _items(
        "工作安排\n各单位要抓好落实。\n召开全县干部大会 县委办\n4 新建村级文化广场 20个",
        Scripted((r"", "task")),
    )
    assert [(item.text, item.lead_units) for item in items[1:]] == [
        ("召开全县干部大会 县委办", []),
        ("4 新建村级文化广场 20个", []),
    ]


def test_a_table_read_one_cell_a_line_under_a_head_row_given_once_has_a_ledger_line_a_row():
    # the model takes short cells for frame; the head row says they are the rows of a ledger
    text = (
        "2026年乡村振兴任务清单\n现将任务清单印发给你们，请抓好落实。\n序号\n考核内容\n单位\n年度目标\n责任单位\n"
        "1\n新建高标准农田\n万亩\n0.5\n县农业农村局\n"
        "2\n农村生活污水治理\n行政村覆盖率\n%\n≥90\n县生态环境分局\n县住建局\n"
        "3\n建设村级综合服务中心\n县民政局"
    )
    items = _items(text, Scripted((r"", "meta")))
    # (a cell with no Chinese, "0.5", is no line of the body: the work ends before it)
    assert [(item.text, item.lead_units, item.co_units) for item in items] == [
        ("新建高标准农田\n万亩", ["县农业农村局"], []),
        ("农村生活污水治理\n行政村覆盖率", ["县生态环境分局"], ["县住建局"]),
        ("建设村级综合服务中心", ["县民政局"], []),
    ]
    # without a column of who or by when, or without 序号, the lines are no such rows
    for head in ("序号\n考核内容\n单位\n年度目标\n", "考核内容\n单位\n年度目标\n责任单位\n"):
        assert not _items(
            text.replace(text[text.index("序号") : text.index("1\n")], head),
            Scripted((r"", "meta")),
        )


def test_a_row_with_a_cell_for_each_column_reads_each_cell_by_its_columns_name():
    # "建设地点" names places, not who does the work; "完成时限" and "责任单位" say what their
    # cells are; the project's name and what is built are one piece of work
    text = (
        "2026年民生实事项目清单\n现将项目清单印发给你们，请精心组织实施。\n"
        "序号\n项目名称\n建设地点\n建设内容\n年度投资 (万元)\n完成时限\n责任单位\n"
        "1\n城北小学道路建设项目\n纸坊街道\n建成城北小学门前道路。\n300\n9月底前\n县住建局\n"
        "2\n农村饮水安全巩固项目\n各镇\n新建供水站3处。\n800\n全年\n县水利局\n"
        "各单位要加强统筹，确保按期完成。"
    )
    items = _items(text, Scripted((r"^各单位", "task"), (r"", "meta")), on=date(2026, 1, 10))
    assert [(item.text, item.lead_units, item.deadline_text) for item in items] == [
        ("城北小学道路建设项目\n纸坊街道\n建成城北小学门前道路。", ["县住建局"], "9月底前"),
        ("农村饮水安全巩固项目\n各镇\n新建供水站3处。", ["县水利局"], "全年"),
        # the last row is full and no row follows: the table has ended, its sentence is its own
        ("各单位要加强统筹，确保按期完成。", ["各单位"], None),
    ]


def test_a_long_table_read_one_cell_a_line_gives_each_row_its_cells():
    # (its speed is measured in bench/docparse.py; each row's cells read once, not once per cell)
    items = decompose(cell_table(300), model=Scripted((r"", "meta"))).items
    assert len(items) == 300
    last = items[-1]
    assert last.text.split("\n") == [
        "意识形态阵地建设项目300",
        "城关街道",
        "新建意识形态活动室4处。",
    ]
    assert (last.lead_units, last.deadline_text) == (["机关服务中心"], "2026.01")


def test_the_model_reads_the_opening_words_of_the_piece_after_each_piece():
    # "一是强化学习。" reads as a heading when its measures follow it and as work when the next
    # clause follows; the model is told how the next piece opens
    model = Scripted((r"", "task"))
    decompose(["一是强化学习。组织集中学习4次。", "二是严肃纪律。"], model=model)
    following = [context.following for _, context in model.seen]
    assert following == ["组织集中学习", "二是严肃纪律", ""]
    features = sentences.features("一是强化学习。", model.seen[0][1])
    assert {"n^组织", "n^集中"} <= set(features)
    assert not any(
        name.startswith("n^") for name in sentences.features("二是严肃纪律。", model.seen[-1][1])
    )


def test_the_time_and_the_bodies_an_activity_is_set_for_hold_for_each_of_its_items():
    # "活动时间" and the time alone under it, or a sentence setting the activity for a time: each
    # item after it is due then unless it says otherwise (GUIDE.md, carried dates)
    model = Scripted(
        (r"通知$", "meta"), (r"^活动", "heading"), (r"前完成。$|上午", "attr"), (r"", "task")
    )
    items = _items(
        "关于开展6月主题党日活动的通知\n一、活动时间\n6月25日前完成。\n二、活动内容\n"
        "组织党员重温入党誓词。\n各支部请于6月10日之前收齐党费。",
        model,
        on=date(2026, 6, 1),
    )
    assert [(item.deadline_text, item.deadline) for item in items] == [
        ("6月25日前", date(2026, 6, 25)),
        ("6月10日之前", date(2026, 6, 10)),  # its own
    ]
    items = _items("7月党日活动定于下旬开展。要组织集中学习。\n开展志愿服务。", model)
    assert [item.deadline_text for item in items] == ["下旬", "下旬", "下旬"]
    # a day's hour is when the activity takes place, not a time limit
    items = _items("一、活动时间\n2026年9月20日上午9:00\n二、活动内容\n悬挂宣传横幅。", model)
    assert [item.deadline_text for item in items] == [None]

    # the bodies that hold the activity ("活动主体" then the names alone) do each of its items
    items = _items(
        "关于开展统一活动日活动的通知\n一、活动主体\n各党支部。\n二、活动内容\n"
        "1.组织党员重温入党誓词。\n2.机关党委组织专题党课。",
        Scripted(
            (r"通知$", "meta"), (r"^活动", "heading"), (r"^各党支部。$", "attr"), (r"", "task")
        ),
    )
    assert [item.lead_units for item in items] == [["各党支部"], ["机关党委"]]
    items = _items(
        "主题党日活动以各基层党组织为单位组织开展。\n1.开展集中学习。\n2.缴纳党费。", model
    )
    assert [item.lead_units for item in items[1:]] == [["各基层党组织"], ["各基层党组织"]]


def test_a_meetings_decision_is_work_though_the_model_takes_it_for_the_narrative():
    model = Scripted((r"^会议", "background"), (r"", "task"))
    items = _items(
        "会议听取了县财政局关于预算执行情况的汇报。\n会议审议通过了县城供水管网改造工程实施方案。\n"
        "会议原则同意县教育局提出的校舍维修计划，并要求：\n1.县财政局做好资金保障。",
        model,
    )
    assert [item.text for item in items] == [
        "会议审议通过了县城供水管网改造工程实施方案。",
        "县财政局做好资金保障。",
    ]


def test_an_aside_after_a_paragraph_with_a_lead_and_those_who_share_the_work_names_both():
    model = Scripted((r"^（", "attr"), (r"。$", "task"))
    items = _items(
        "1.全面实施清单管理。编制并公布行政许可事项清单。"
        "（市政府办公室牵头，市级各有关部门及各县市区政府按职责分工负责）",
        model,
    )
    assert [(item.lead_units, item.co_units) for item in items] == [
        (["市政府办公室"], ["市级各有关部门", "各县市区政府"]),
        (["市政府办公室"], ["市级各有关部门", "各县市区政府"]),
    ]


def test_such_an_aside_is_no_item_of_its_own_whatever_the_model_says_of_it():
    model = Scripted((r"", "task"))
    items = _items(
        "1.全面实施清单管理。编制并公布行政许可事项清单。"
        "（市政府办公室牵头，市级各有关部门及各县市区政府按职责分工负责）\n"
        "2.推行告知承诺制。（财政部牵头，国务院相关部门配合）",
        model,
    )
    assert [(item.text, item.lead_units, item.co_units) for item in items] == [
        ("全面实施清单管理。", ["市政府办公室"], ["市级各有关部门", "各县市区政府"]),
        ("编制并公布行政许可事项清单。", ["市政府办公室"], ["市级各有关部门", "各县市区政府"]),
        ("推行告知承诺制。", ["财政部"], ["国务院相关部门"]),
    ]


def test_the_members_of_a_body_are_people_not_the_body():
    # 中心组成员 are people; the unit model may take 中心 of 中心组 for a name
    text = "每个中心组成员都要制定年度自学计划，局党组成员要带头学习。"
    assert _not_members(text, ["中心", "局党组"]) == []
    # its member units are bodies
    assert _not_members("市安委会成员单位要加强协调。", ["市安委会"]) == ["市安委会"]
    assert _not_members("局党组中心组每月集中学习不少于1次。", ["局党组中心组"]) == ["局党组中心组"]
