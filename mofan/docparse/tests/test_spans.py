"""The unit model (spans.py): which stretches of a sentence it weighs as names of bodies, that its
plain-Python scorer gives the probabilities of the model it ships, and what the shipped model
reads in sentences written for this test (none of them is in the corpus)."""

import pytest

from mofan.docparse import attributes, gold, spans
from mofan.docparse.decompose import annotate


def _names(text: str) -> set[str]:
    return {text[start:end] for start, end in spans.candidates(text)}


def test_a_name_ends_where_a_shorter_ending_sits_inside_a_longer_one():
    found = _names("要求各级各部门认真落实。")
    assert "各级各部门" in found  # ends in 部门, though 部 ends a name too
    assert "各级" in found


def test_a_bracketed_aside_belongs_to_the_name_and_no_name_opens_with_one():
    found = _names("各县（区）、经开区要于月底前报送。")
    assert "各县（区）" in found and "各县" in found
    assert "（区）" not in found
    assert all("、" not in name and "，" not in name for name in found)


def test_no_name_opens_with_a_figure_or_holds_an_aside_with_one():
    found = _names("2025年我镇确定胜利村为示范村，请各参会单位（附件1）认真研究。")
    assert not any(name[0].isdigit() for name in found)
    assert "我镇" in found and "各参会单位" in found
    assert not any("附件" in name for name in found)


def test_the_rest_of_a_list_goes_with_the_name_that_opens_it():
    # the classifier judges each stretch by itself; the other names of the list share its verb
    taken = spans._with_listed("各行署、市、县政府对辖区内问题进行排查", [(0, 3, "lead")])
    assert taken == [(0, 3, "lead"), (4, 5, "lead"), (6, 9, "lead")]
    # a stretch that does not end as a name does, or names people, stops the list
    assert spans._with_listed("各乡镇、认真梳理要", [(0, 3, "lead")]) == [(0, 3, "lead")]
    assert spans._with_listed("各级党组织、党员干部要带头", [(0, 5, "lead")]) == [(0, 5, "lead")]
    assert spans._with_listed("各责任单位、特别是牵头单位要统筹", [(0, 5, "lead")]) == [
        (0, 5, "lead")
    ]


def test_the_names_of_a_list_before_the_chosen_one_go_with_it_back_to_where_its_clause_opens():
    def before(text: str, name: str) -> list[str]:
        start = text.index(name)
        taken = spans._with_listed_before(text, [(start, start + len(name), "co")])
        assert all(kind == "co" for _, _, kind in taken)
        return [text[a:b] for a, b, _ in taken]

    # bare words whose ending the last name gives, then names joined by 以及 or 和
    assert before("会后，交通、城管、住建等部门要加强巡查", "住建等部门") == [
        "交通",
        "城管",
        "住建等部门",
    ]
    assert before("三是农业农村局以及各村要摸清底数", "各村") == ["农业农村局", "各村"]
    assert before("党工委和办事处要统筹推进", "办事处") == ["党工委", "办事处"]
    # no list: a verb that opens the clause, a body and its own, a preposition, a modal inside,
    # a long word before 、, a word that does not end as a name does before 和
    for text, name in (
        ("统筹推进政府和街道办事处建设", "街道办事处"),
        ("规范政府及其部门的行为", "其部门"),
        ("按照市委和区委组织部要求", "区委组织部"),
        ("各科室要配合、文化站开展", "文化站"),
        ("全体机关工作人员、各村委会要", "各村委会"),
    ):
        assert before(text, name) == [name], text
    # a word that is no name before 和 opens the name the classifier took the end of
    assert before("市工业和信息化局要会同", "信息化局") == ["市工业和信息化局"]
    assert before("自然资源和规划局要加快编制", "规划局") == ["自然资源和规划局"]
    assert before("加强和改进工作，各党支部要", "各党支部") == ["各党支部"]


def test_a_text_in_traditional_characters_is_read_as_a_simplified_one_and_shown_as_written():
    said = annotate("縣發改委牽頭，縣財政局配合，確保兩個月內完成。")
    # the document's own words, read the simplified way
    assert (said.lead_units, said.co_units) == (["縣發改委"], ["縣財政局"])
    assert said.deadline_text == "兩個月內"
    assert said.text == "縣發改委牽頭，縣財政局配合，確保兩個月內完成。"
    assert annotate("各鄉鎮務必於汛期前完成隱患排查。").lead_units == ["各鄉鎮"]


def test_names_are_looked_for_only_near_the_start():
    far = "加强" * 60 + "市财政局要完成。"
    assert not any(start >= spans._REACH for start, _ in spans.candidates(far))


@pytest.fixture(scope="module")
def model():
    found = spans.shipped()
    assert found is not None, "python -m mofan.docparse.learning train writes model/units.npz"
    return found


def test_the_scorer_gives_the_probabilities_of_the_model(model):
    scorer = spans._scorer(model)
    lead, co = model.classes.index("lead"), model.classes.index("co")
    checked = 0
    # the first documents by name that hold enough items (the corpus opens with disclosures)
    for document in [d for d in gold.load_all() if d.items][:30]:
        for item in document.items:
            _, rows = spans.samples(document.text[item.start : item.end])
            if not rows:
                continue
            table = model.probabilities(rows)
            for row, expected in zip(rows, table, strict=True):
                chance = scorer.chance(scorer.total(row))
                assert chance == pytest.approx((expected[lead], expected[co]), abs=1e-9)
                checked += 1
    assert checked > 500


@pytest.mark.parametrize(
    "text, lead",
    [
        ("市财政局要在6月底前完成预算调整。", ["市财政局"]),
        ("请各街道、各部门于3月10日前报送材料。", ["各街道", "各部门"]),
        ("本次培训由区委党校负责组织实施。", ["区委党校"]),
        ("县卫健局、县医保局要在第三季度前完成药品集中采购。", ["县卫健局", "县医保局"]),
        # two names joined by 和, and one name with 和 inside it
        ("各镇人民政府和区直有关单位要建立工作台账。", ["各镇人民政府", "区直有关单位"]),
        ("市工业和信息化局要牵头制定方案。", ["市工业和信息化局"]),
        (
            "各乡镇、县直各单位和开发区管委会要细化目标任务。",
            ["各乡镇", "县直各单位", "开发区管委会"],
        ),
        # people and roles are not units; a sentence with no subject names no one
        ("全体党员要按时足额缴纳党费。", []),
        ("加强干部队伍建设，提高履职能力。", []),
    ],
)
def test_the_shipped_model_reads_who_is_to_do_the_work(model, text, lead):
    assert spans.read(model, text)[0] == lead


def test_reading_many_texts_at_once_reads_each_as_alone(model):
    texts = ["市财政局要完成预算调整。", "", "加强学习。", "各乡镇、各部门要抓好落实。"]
    assert spans.read_many(model, texts) == [spans.read(model, text) for text in texts]


def test_a_label_still_comes_before_the_model():
    # "牵头单位：" says who leads in so many words; the model is asked only when nothing does
    item = annotate("完成老旧小区改造。（牵头单位：区住建局；配合单位：区城管局）")
    assert item.lead_units == ["区住建局"] and item.co_units == ["区城管局"]
    assert attributes.extract("由区委党校负责。").lead_units == ["区委党校"]


def test_a_kind_of_place_is_no_name():
    texts = [spans._normal(t) for t in ("城镇新增就业1100万人以上。", "农村人居环境整治。")]
    assert [[t[a:b] for a, b in spans.candidates(t)] for t in texts] == [[], []]
    assert "各乡镇" in [
        text[a:b] for text in ["各乡镇要加强巡查。"] for a, b in spans.candidates(text)
    ]


def test_a_count_of_places_and_a_place_one_is_inside_are_no_names():
    found = _names("全年新建3所、改扩建5所，整治河道12处，综合二处负责。")
    assert not any(name.endswith(("3所", "5所", "12处")) for name in found)
    assert "综合二处" in found  # a numbered body is a body
    found = _names("县城区及工业园区内审批新建项目时，县生态环境局要严格把关。")
    assert "县生态环境局" in found and not {"工业园区", "县城区及工业园区"} & found
    # nor a date before its work, nor one asked to do it
    found = _names("到2019年6月底完成全部整改，请财政局组织实施。")
    assert "财政局" in found and not any(name.startswith(("到", "请")) for name in found)


def test_no_name_opens_with_a_preposition_or_a_verb_of_asking():
    text = spans._normal("每月26日前，向镇安委会上报专项整治工作总结。")
    found = [text[a:b] for a, b in spans.candidates(text)]
    assert "镇安委会" in found and not any(name.startswith("向") for name in found)
    text = "对学校领导小组进行调整，督促各级基层党组织执行，对台办负责。"
    found = [text[a:b] for a, b in spans.candidates(text)]
    assert {"学校领导小组", "各级基层党组织", "对台办"} <= set(found)
    assert not {"对学校领导小组", "督促各级基层党组织"} & set(found)
    # nor is such a stretch the subject the grammar reads where the model finds no one
    for said in ("根据工作需要，对学校领导小组进行调整。", "对照后勤处工作要点总结本部门工作。",
                 "下一步，将按照程序报学校党委研究确定。"):  # fmt: skip
        assert annotate(said, spotter=None).lead_units == []
    assert annotate("请涉及单位于3月17日前反馈。", spotter=None).lead_units == ["涉及单位"]


def test_no_name_opens_with_the_means_of_the_work():
    text = spans._normal("三是利用各类媒体平台宣传安全知识，依托政务服务平台办理。")
    found = [text[a:b] for a, b in spans.candidates(text)]
    assert "各类媒体平台" in found
    assert not any(name.startswith(("利用", "依托")) for name in found)
