"""The letter of introduction (中国共产党党员组织关系介绍信) as Word, in the customary layout: the
stub the issuing organisation keeps (存根), a cut line, and the letter the member carries. Its
facts come from the records: the member, the two organisations, the number, the validity and
"党费已交到某年某月" from the member's dues."""

import tempfile
from datetime import date

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from mofan.core.word import TITLE_FONT, paragraph
from mofan.dues.calc import cn_month
from mofan.dues.statements import paid_through
from mofan.members.models import Transfer
from mofan.members.rules import cn
from mofan.orgs.models import Membership


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def facts(transfer: Transfer, *, today: date) -> dict:
    person = transfer.person
    membership = Membership.objects.filter(person=person).first()
    through = paid_through(person, today=today)
    return {
        "name": person.name,
        "gender": person.get_gender_display(),
        "age": _age(person.birth_date, transfer.issued_on),
        "ethnicity": person.ethnicity,
        "kind": membership.get_kind_display() if membership else "",
        "id_number": person.id_number,
        "from": transfer.from_name,
        "to": transfer.to_name,
        "number": transfer.letter_number,
        "issued_on": cn(transfer.issued_on),
        "valid_days": (transfer.valid_until - transfer.issued_on).days
        if transfer.valid_until
        else None,
        "dues": f"党费已交到{cn_month(through)}。"
        if through
        else "党费交纳情况请与转出党组织核实。",
    }


def letter(transfer: Transfer, *, today: date) -> str:
    """The path of a Word file with the stub and the letter."""
    f = facts(transfer, today=today)
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.8)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.5)
    valid = f"（有效期{f['valid_days']}天）" if f["valid_days"] else ""
    centre, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    paragraph(document, "中国共产党党员组织关系介绍信", size=20, font=TITLE_FONT, align=centre,
               indent=False)  # fmt: skip
    paragraph(document, "（存根）", size=14, align=centre, indent=False)
    paragraph(document, f"{f['number']}", size=14, align=right, indent=False)
    paragraph(
        document,
        f"{f['name']}同志系中共{f['kind']}，组织关系由{f['from']}转到{f['to']}。{valid}",
    )
    paragraph(document, f["issued_on"], align=right, indent=False)
    paragraph(document, "·" * 20 + " 骑缝 " + "·" * 20, size=12, align=centre, indent=False)
    paragraph(document, "中国共产党党员组织关系介绍信", size=20, font=TITLE_FONT, align=centre,
               indent=False)  # fmt: skip
    paragraph(document, f"{f['number']}", size=14, align=right, indent=False)
    paragraph(document, f"{f['to']}：", indent=False)
    paragraph(
        document,
        f"兹介绍{f['name']}同志（{f['gender']}，{f['age']}岁，{f['ethnicity']}，{f['kind']}，"
        f"公民身份号码{f['id_number']}）的党员组织关系由{f['from']}转到{f['to']}，请接转。",
    )
    paragraph(document, f"该同志{f['dues']}")
    if valid:
        paragraph(document, valid, indent=False)
    paragraph(document, f"{f['from']}（盖章）", align=right, indent=False)
    paragraph(document, f["issued_on"], align=right, indent=False)
    handle = tempfile.NamedTemporaryFile(prefix="mofan-letter-", suffix=".docx", delete=False)  # noqa: SIM115
    handle.close()
    document.save(handle.name)
    return handle.name
