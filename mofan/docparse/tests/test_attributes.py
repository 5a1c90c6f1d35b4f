import pytest

from mofan.docparse.attributes import extract


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
