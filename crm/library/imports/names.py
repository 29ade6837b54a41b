"""Company names reduced to a comparable key: "Robert Bosch GmbH" and "ROBERT BOSCH" meet at "robertbosch".

The key drops case, punctuation, whitespace, legal forms (GmbH, AG, Inc., Co., Ltd., 有限公司,
股份有限公司, 集团 …) and a "(中国)"/"(China)" qualifier; city qualifiers such as "（重庆）"
stay, because they usually name a separate local entity.

>>> normalise_name("Robert Bosch GmbH") == normalise_name("ROBERT BOSCH")
True
>>> normalise_name("巴斯夫（中国）有限公司")
'巴斯夫'
"""
from __future__ import annotations

import re
import unicodedata

LEGAL_FORMS = frozenset("""
gmbh ag se kg kgaa ohg inc incorporated co corp corporation company ltd limited llc llp lp plc
sa sas sarl spa srl nv bv ab asa as oy oyj kk bhd pte pty tbk group holding holdings the
""".split())
CJK_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "股份公司", "株式会社", "集团", "控股", "公司")
_CJK = re.compile("|".join(CJK_FORMS))  # longest first, as listed
_QUALIFIER = re.compile(r"\(\s*(中国|china|prc|中国区)\s*\)")
_WORD = re.compile(r"[^\W_]+")


def normalise_name(name: str | None) -> str:
    """The matching key of a name ('' for a blank name)."""
    if not name:
        return ""
    if name.isascii():  # most English names: no width forms, no Chinese legal forms to strip
        text = _QUALIFIER.sub(" ", name.lower()).replace(".", "")
    else:
        text = unicodedata.normalize("NFKC", name).casefold()
        text = _CJK.sub(" ", _QUALIFIER.sub(" ", text).replace(".", ""))
    words = _WORD.findall(text)
    kept = [w for w in words if w not in LEGAL_FORMS]
    return "".join(kept or words)


def name_keys(*names: str | None) -> set[str]:
    """Every non-blank key of a company's names and aliases."""
    return {key for key in (normalise_name(n) for n in names) if key}
