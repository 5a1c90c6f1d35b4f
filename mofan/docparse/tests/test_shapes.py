"""Shapes of official writing the parser must read the way a person would, one test each."""

from datetime import date

from mofan.docparse.decompose import decompose


def _items(text: str, **kwargs):
    return decompose(text.strip().split("\n"), **kwargs).items


def test_run_in_headings_in_one_paragraph_each_take_their_sentences():
    items = _items(
        "会议要求，要压实整改责任。党组书记履行第一责任人责任。要细化推进措施。逐条剖析原因，"
        "建立整改台账。要强化跟踪督办。动态跟踪整改进度。"
    )
    assert [item.text for item in items] == [
        "要压实整改责任。党组书记履行第一责任人责任。",
        "要细化推进措施。逐条剖析原因，建立整改台账。",
        "要强化跟踪督办。动态跟踪整改进度。",
    ]


def test_a_short_title_opening_a_paragraph_takes_the_paragraph():
    items = _items(
        "压实责任。各党组织要扛牢整改责任。主要负责人要直接抓。\n合力推进。巡察组要严格把关。"
    )
    assert [item.text for item in items] == [
        "压实责任。各党组织要扛牢整改责任。主要负责人要直接抓。",
        "合力推进。巡察组要严格把关。",
    ]
    assert all(item.reason == "段首小标题及其内容" for item in items)


def test_a_narrative_first_sentence_is_no_heading():
    items = _items("会议听取了巡察整改情况汇报。会议强调，由办公室牵头，6月底前全部整改到位。")
    assert [item.text for item in items] == ["由办公室牵头，6月底前全部整改到位。"]
    assert items[0].lead_units == ["办公室"]


def test_yi_yao_counts_even_where_yao_starts_a_word():
    items = _items("一要加强领导，抓好落实。二要通力协作。三要求真务实，开拓进取。四要加强检查。")
    assert [item.path for item in items] == ["一要", "二要", "三要", "四要"]
    assert items[2].text == "求真务实，开拓进取。"


def test_nouns_with_yao_do_not_make_a_directive():
    assert _items("《方案》确定的主要目标任务已经市政府同意，现印发给你们。") == []
    assert _items("会议同意举办培训班，所需经费从培训经费中列支。")[0].reason == "会议议定事项"


def test_phases_of_a_plan_are_items_with_the_end_of_their_span():
    items = _items(
        "二、进度安排\n分三个阶段推进。动员部署阶段：3月底前完成。集中整治阶段：4月至10月。"
        "总结提升阶段：12月上旬前形成总结报告。",
        on=date(2026, 2, 1),
    )
    assert [(item.path, item.deadline) for item in items] == [
        ("二/动员部署阶段", date(2026, 3, 31)),
        ("二/集中整治阶段", date(2026, 10, 31)),
        ("二/总结提升阶段", date(2026, 12, 10)),
    ]


def test_an_assignment_sentence_belongs_to_the_task_before_it():
    items = _items(
        "三、民生\n稳定和扩大就业，新增就业6万人。办好民生实事，6月30日前完成招标。由市住房城乡建设局负责。"
    )
    assert [item.text for item in items][
        -1
    ] == "办好民生实事，6月30日前完成招标。由市住房城乡建设局负责。"
    assert items[-1].lead_units == ["市住房城乡建设局"]


def test_label_lines_with_parentheses_in_unit_names():
    items = _items(
        "1.落实第一议题制度。\n责任单位：市直机关工委，各部门党组（党委）\n完成时限：长期坚持"
    )
    assert items[0].lead_units == ["市直机关工委", "各部门党组（党委）"]
    assert items[0].ongoing and items[0].deadline_text == "长期坚持"


def test_contents_attachments_contact_lines_and_signature_are_not_body():
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
        ]
    )
    assert [item.text for item in result.items] == ["深入基层", "形成报告。"]
    assert result.date == date(2026, 3, 2)
    assert result.title == "汇编"
    assert [heading.title for heading in result.outline] == ["调研安排"]


def test_a_review_of_the_past_under_a_slogan_heading_is_no_item():
    items = _items(
        "一、提高政治站位，深刻认识机关党建的重要意义\n过去一年，各级党组织履职尽责，"
        "全年共开展主题党日活动120余次。同时也要看到，一些党支部组织生活质量不高。"
    )
    assert items == []


def test_quotations_and_rallying_closes_are_no_items():
    assert _items("“宣传思想工作就是政治工作”，“旗帜鲜明坚持党管宣传”。") == []
    assert _items("同志们，让我们紧密团结在党中央周围，真抓实干，奋力开创新局面！") == []


def test_minutes_take_their_date_from_the_first_lines():
    result = decompose(
        ["局党组会议纪要", "2026年3月12日，局党组召开会议。", "一、关于整改", "要在年内完成整改。"]
    )
    assert result.date == date(2026, 3, 12)
    assert result.items[0].deadline == date(2026, 12, 31)


def test_after_a_yao_heading_a_long_yao_sentence_is_a_point_of_its_own():
    items = _items(
        "要压实全面从严治党责任。部党组书记履行第一责任人职责。"
        "要开展警示教育月活动，用身边事教育身边人，10月底前完成。",
        on=date(2026, 2, 1),
    )
    assert [item.text for item in items] == [
        "要压实全面从严治党责任。部党组书记履行第一责任人职责。",
        "要开展警示教育月活动，用身边事教育身边人，10月底前完成。",
    ]
    assert items[1].deadline == date(2026, 10, 31)


def test_a_recurring_deadline_at_the_end_of_a_period_is_no_rule():
    (item,) = _items("1．建立落实台账，每季度末前梳理一次落实情况。")
    assert (item.kind, item.recurrence) == ("task", "每季度末")


def test_a_numbered_item_may_open_with_a_date():
    result = decompose(
        ["一、学习内容", "1.4月15日发表的重要文章。", "2.4月23日座谈会上的重要讲话。"]
    )
    assert [h.number for h in result.outline[0].children] == ["1.", "2."]


def test_a_sentence_opening_with_liexi_is_no_signature_block():
    items = _items("四、其他事项\n列席人员参加完旁听后，在10个工作日内将小结报送党委宣传部。")
    assert items[0].deadline_text == "10个工作日内" and items[0].deadline is None


def test_the_subject_after_a_setting_and_a_name_with_parentheses():
    (first, second) = _items(
        "按照上级要求，各基层党组织要进一步加强中心组学习。"
        "各党总支（党委、直属党支部）要制定学习计划，4月15日前报党委宣传部。",
        on=date(2026, 3, 1),
    )
    assert first.lead_units == ["各基层党组织"]
    assert second.lead_units == ["各党总支（党委、直属党支部）"]
    assert second.deadline == date(2026, 4, 15)
