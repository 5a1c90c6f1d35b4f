"""A decomposition written for people to read in a terminal (`mofan decompose --format text`)."""

from mofan.docparse.decompose import Decomposition
from mofan.docparse.outline import flatten

KINDS = {"task": "任务", "rule": "制度规定"}


def cn_date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def as_text(result: Decomposition) -> str:
    out = [f"标题：{result.title or '（未识别）'}"]
    out.append(f"日期：{cn_date(result.date) if result.date else '（未识别）'}")
    headings = flatten(result.outline)
    out.append(f"\n提纲（{len(headings)} 个标题）：")
    for heading in headings:
        out.append("  " * heading.level + f"{heading.number}{heading.title}")
    out.append(f"\n条目（{len(result.items)} 条）：")
    for number, item in enumerate(result.items, start=1):
        out.append(
            f"\n{number}. [{item.path or '正文'}] {KINDS[item.kind]} · 置信度 {item.confidence:.2f}"
            f"（{item.reason}）"
        )
        out.append(f"   {item.text}")
        facts = []
        if item.lead_units:
            facts.append("牵头：" + "、".join(item.lead_units))
        if item.co_units:
            facts.append("配合：" + "、".join(item.co_units))
        if item.owners:
            facts.append("责任人：" + "、".join(item.owners))
        if item.deadline:
            facts.append(f"时限：{cn_date(item.deadline)}（{item.deadline_text}）")
        elif item.recurrence:
            facts.append(f"周期：{item.recurrence}前")
        elif item.ongoing:
            facts.append("时限：长期坚持")
        elif item.deadline_text:
            facts.append(f"时限：{item.deadline_text}")
        if facts:
            out.append("   " + "；".join(facts))
    return "\n".join(out) + "\n"
