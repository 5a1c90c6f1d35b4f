from mofan.docparse.outline import build, flatten, match_heading

DOCUMENT = """关于进一步加强模范机关建设的实施意见
为深入贯彻落实……，现提出如下意见。
一、总体要求
坚持以习近平新时代中国特色社会主义思想为指导。
二、重点任务
（一）加强政治建设
1. 落实“第一议题”制度。各党支部要把学习贯彻作为第一议题。
2．健全请示报告制度。
（二）加强作风建设。持续整治形式主义、官僚主义。
3.开展“指尖上的形式主义”排查整治。（牵头单位：办公厅）
（1）建立台账
（2）定期通报
三、保障措施
(一) 加强组织领导：各部门要高度重视。
"""


def test_headings_nest_by_the_official_order_and_numbering_runs_on():
    heads = flatten(build(DOCUMENT.splitlines()))
    assert [(h.path, h.level, h.title) for h in heads] == [
        ("一", 1, "总体要求"),
        ("二", 1, "重点任务"),
        ("二/（一）", 2, "加强政治建设"),
        ("二/（一）/1", 3, "落实“第一议题”制度"),
        ("二/（一）/2", 3, "健全请示报告制度"),
        ("二/（二）", 2, "加强作风建设"),
        ("二/（二）/3", 3, "开展“指尖上的形式主义”排查整治"),
        ("二/（二）/3/（1）", 4, "建立台账"),
        ("二/（二）/3/（2）", 4, "定期通报"),
        ("三", 1, "保障措施"),
        ("三/（一）", 2, "加强组织领导"),
    ]


def test_run_in_heading_keeps_its_body():
    head = flatten(build(DOCUMENT.splitlines()))[3]
    assert head.number == "1." and head.body == "各党支部要把学习贯彻作为第一议题。"


def test_half_and_full_width_forms_are_the_same_style():
    assert match_heading("(一) 标题")[0] == match_heading("（一）标题")[0] == "cn_paren"
    assert match_heading("1．标题")[0] == match_heading("1. 标题")[0] == "arabic"


def test_things_that_look_like_numbers_but_are_not_headings():
    assert match_heading("2026. 3月") is None
    assert match_heading("一、") is None
    assert match_heading("3.5亿元用于") is None


def test_chapters_and_articles():
    heads = flatten(
        build(
            [
                "第一章 总则",
                "第一条 为了规范……，制定本办法。",
                "第二条 本办法适用于……",
                "第二章 职责",
                "第三条 机关党委负责……",
            ]
        )
    )
    assert [(h.path, h.level) for h in heads] == [
        ("第一章", 1),
        ("第一章/第一条", 2),
        ("第一章/第二条", 2),
        ("第二章", 1),
        ("第二章/第三条", 2),
    ]


def test_a_document_that_starts_at_the_second_level_nests_from_one():
    heads = flatten(build(["（一）学习", "1. 读原著", "（二）调研"]))
    assert [(h.path, h.level) for h in heads] == [("（一）", 1), ("（一）/1", 2), ("（二）", 1)]
