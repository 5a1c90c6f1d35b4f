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

# Verbs of doing that official writing opens its work with: where a sentence's subject ends, and
# no body's name begins.
DOING = (
    "加强|推进|推动|建立|健全|完善|开展|落实|确保|深化|强化|抓好|做好|提升|提高|实施|组织|规范|"
    "坚持|加快|压实|树立|探索|优化|构建|打造|巩固|拓展|引导|鼓励|支持|召开|制定|修订|出台|编制|"
    "印发|梳理|排查|整治|整改|清理|培育|夯实|用好|发挥|贯彻|学习|宣传|教育|选派|配齐|配强|聚焦|"
    "督促|指导|统筹|完成|办好|办理|建设|创建|创新|改进|实行|执行|筑牢|防范|防止|杜绝|加大|增强|"
    "扩大|促进|保障|维护|营造|弘扬|激发|精简|减少|压减|控制|严控|严把|把好|抓实|查处|核查|检查|"
    "督查|考核|评估|总结|谋划|部署|报送|上报|报告|反馈|公开|发布|推广|运用|打通|畅通|补齐|实现|"
    "推行|争取|力争|做实|做强|壮大|改善|增加|降低|减轻|推出|启动|举办|安排|明确|细化|分解|引进|"
    "培养|选拔|配备|开发|新建|改造|治理|纠正|遏制|惩治|化解|处置|履行|承担|保护|解决|简化|取消|"
    "调整|研究|组建|成立|设立|推荐|评选|表彰|申报|参加|配合|协调|覆盖|倡导|填写|登记|注册|提交|"
    "确定|落细|压紧|聚力|开好|建好|管好|抓紧|深入|全面|持续|积极|切实|认真|扎实|大力|着力|进一步|"
    "组成|派员|通报|公示|严格|建成|开工"
)
# …as a pattern that matches where such a verb opens a text
DOING_FIRST = re.compile(rf"(?:{DOING})")


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
