"""The unit tree a document's unit names are matched against: each unit with its full name, short
name and aliases. Plain Python; the app builds one from its Unit table, the command from a file."""

import re
from dataclasses import dataclass, field

# How a body's name ends (…局, …办公室, …领导小组, 县残联): one list for every reader of names in
# a document: the unit model's candidates, the subject grammar, a label's "A和B".
BODY_ENDINGS = tuple(
    (
        "委员会|委会|办公厅|办公室|领导小组|工作组|专班|管委会|委|厅|局|处|科|室|部|办|中心|支部|党委|党组|"
        "纪委|团委|工会|司|院|所|单位|部门|政府|党组织|机关|园区|街道|乡镇|镇|乡|总支|区县|县区|市县|行署|"
        "系统|台|站|队|馆|学校|学院|医院|公司|集团|组|企业|机构|残联|妇联|侨联|文联|社联|工商联|科协"
    ).split("|")
)
# …and how the whole of a document's addressees may end: 各县（区）, 各级, 各地, 各校
ADDRESSEE_ENDINGS = ("县", "区", "市", "级", "地", "校", "村", "社区")


def alternation(endings) -> str:
    """The endings as a regular expression's alternatives, the longest first."""
    return "|".join(sorted(endings, key=len, reverse=True))


def ending(endings, then: str = "$") -> re.Pattern:
    """A pattern for the endings, followed by `then`."""
    return re.compile("(?:" + alternation(endings) + ")" + then)


@dataclass
class Units:
    """Canonical names (what is returned) with every name a document may use for them."""

    names: dict[str, str] = field(default_factory=dict)  # any name → canonical name

    @classmethod
    def from_entries(cls, entries) -> "Units":
        """`entries`: sequences whose first name is canonical and the rest short names/aliases."""
        units = cls()
        for entry in entries:
            names = [name.strip() for name in entry if name and name.strip()]
            if not names:
                continue
            for name in names:
                units.names.setdefault(name, names[0])
        return units

    @classmethod
    def from_text(cls, text: str) -> "Units":
        """One unit a line: "全称|简称|别名" (also separated by tabs or commas); # starts a comment."""
        entries = []
        for line in text.splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                entries.append(re.split(r"[|\t,，、;；]+", line))
        return cls.from_entries(entries)

    def __bool__(self) -> bool:
        return bool(self.names)

    @property
    def pattern(self) -> re.Pattern:
        cached = getattr(self, "_pattern", None)
        if cached is None:
            alternatives = sorted(self.names, key=len, reverse=True)
            cached = re.compile("|".join(map(re.escape, alternatives)) or r"(?!x)x")
            self._pattern = cached
        return cached

    def canonical(self, name: str) -> str:
        """The unit tree's name for a name written in a document; the text itself when no unit
        matches, so that a person can correct it."""
        name = name.strip()
        if name in self.names:
            return self.names[name]
        found = self.pattern.search(name) if self.names else None
        if found and len(found.group(0)) >= 2:
            return self.names[found.group(0)]
        return name

    def find(self, text: str) -> list[str]:
        """Canonical names of the units a text mentions, in order of first mention."""
        seen: list[str] = []
        if not self.names:
            return seen
        for found in self.pattern.finditer(text):
            name = self.names[found.group(0)]
            if name not in seen:
                seen.append(name)
        return seen
