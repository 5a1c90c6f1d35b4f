import pytest

from mofan.docparse.attributes import extract, from_labels, label_kind, names


@pytest.mark.parametrize(
    ("source", "text", "lead", "co", "deadline"),
    [
        (
            "开展专项检查。（牵头单位：办公厅；配合单位：人事司、财务司；2026年6月底前完成）",
            "开展专项检查。",
            ["办公厅"],
            ["人事司", "财务司"],
            "2026年6月底前完成",
        ),
        (
            "建立工作台账(牵头单位:机关党委,配合单位:各党支部)",
            "建立工作台账",
            ["机关党委"],
            ["各党支部"],
            None,
        ),
        ("健全制度。（责任单位：法规司；完成时限：年内）", "健全制度。", ["法规司"], [], "年内"),
        (
            "修订议事规则，由机关党委负责。",
            "修订议事规则，由机关党委负责。",
            ["机关党委"],
            [],
            None,
        ),
        (
            "办公厅牵头，人事司、财务司配合，开展调研。",
            "办公厅牵头，人事司、财务司配合，开展调研。",
            ["办公厅"],
            ["人事司", "财务司"],
            None,
        ),
        # those named after 牵头 who take their share of the work assist the lead
        (
            "做好衔接。（市政府办公室、市审改办牵头，市级各有关部门及各县市区政府按职责分工负责）",
            "做好衔接。（市政府办公室、市审改办牵头，市级各有关部门及各县市区政府按职责分工负责）",
            ["市政府办公室", "市审改办"],
            ["市级各有关部门", "各县市区政府"],
            None,
        ),
        (
            "由市住建局牵头，各镇负责落实。",
            "由市住建局牵头，各镇负责落实。",
            ["市住建局"],
            ["各镇"],
            None,
        ),
        ("持续推进作风建设（长期坚持）", "持续推进作风建设", [], [], "长期坚持"),
        ("加强学习（2026年）", "加强学习（2026年）", [], [], None),
    ],
)
def test_annotations_are_read_and_cut_from_the_text(source, text, lead, co, deadline):
    found = extract(source)
    assert (found.text, found.lead_units, found.co_units, found.deadline_text) == (
        text,
        lead,
        co,
        deadline,
    )


def test_owners():
    assert extract("抓好落实。（责任领导：分管副部长；牵头单位：办公厅）").owners == ["分管副部长"]


@pytest.mark.parametrize(
    ("line", "kind", "said"),
    [
        # who and what composed: the variants documents write
        ("牵头责任单位：市财政局。", "lead", ["市财政局"]),
        ("协同责任单位：市税务局、市统计局。", "co", ["市税务局", "市统计局"]),
        ("协同配合单位：各县区", "co", ["各县区"]),
        ("部门分工：省发展改革委", "lead", ["省发展改革委"]),
        ("主要责任单位：区发改局", "lead", ["区发改局"]),
        ("分管省领导：王某", "owner", ["王某"]),
        ("牵头负责领导：李某。", "owner", ["李某"]),
        ("完成期限：2026年9月底前", "deadline", "2026年9月底前"),
        ("整改时限：立行立改", "deadline", "立行立改"),
        ("时间安排：6月30日前", "deadline", "6月30日前"),
    ],
)
def test_labels_are_read_by_who_and_what_they_name(line, kind, said):
    found = from_labels(line)
    assert label_kind(line.split("：")[0]) == kind
    got = {
        "lead": found.lead_units,
        "co": found.co_units,
        "owner": found.owners,
        "deadline": found.deadline_text,
    }
    assert got[kind] == said
    assert all(not value for name, value in got.items() if name != kind)


def test_a_label_of_the_lead_that_names_who_leads_and_who_assists_reads_both():
    found = from_labels("部门分工:省发展改革委牵头,各地、各部门配合。")
    assert (found.lead_units, found.co_units) == (["省发展改革委"], ["各地", "各部门"])


def test_words_that_only_resemble_a_label_are_none():
    assert label_kind("领导") is None
    assert label_kind("工作任务") is None
    assert not from_labels("主要内容：学习党章").any()


def test_bodies_singled_out_of_a_list_are_named_beside_it():
    assert names("各单位、各部门尤其是交通重点建设项目建设单位") == [
        "各单位",
        "各部门",
        "交通重点建设项目建设单位",
    ]
    assert names("各二级党组织，特别是各教学院部党委") == ["各二级党组织", "各教学院部党委"]
    # no split where a side is no body's name
    assert names("各部门特别是重点") == ["各部门特别是重点"]


def test_a_lead_and_co_units_kept_apart_by_commas_are_read_as_lead_and_co():
    found = from_labels(
        "部门分工：省工业和信息化厅牵头，省委网信办，省发展改革委、科技厅、商务厅，省通信管理局等配合。"
    )
    assert found.lead_units == ["省工业和信息化厅"]
    assert found.co_units == ["省委网信办", "省发展改革委", "科技厅", "商务厅", "省通信管理局"]
    # what follows 牵头 is no co-unit unless every part of it is a body's name
    found = extract("由办公室牵头，加强统筹协调，确保各部门配合到位。")
    assert (found.lead_units, found.co_units) == (["办公室"], [])
