"""Why a personas file was refused, in Chinese and English. The settings' reasons are the
conversation file's (`files.FILE_REFUSALS`), said after this file's own opening."""
from __future__ import annotations

from .files import FILE_REFUSALS, refusal_detail
from .strings import EN, ZH

_NOT_IMPORTABLE = {EN: "Not a personas file this app can import: ", ZH: "无法导入该人设文件："}

PERSONA_REFUSALS: dict[str, dict[str, str]] = {
    "personas_type": {EN: "“personas” must be a list", ZH: "“personas” 必须是列表"},
    "too_many_personas": {EN: "more than {limit} personas", ZH: "人设超过 {limit} 个"},
    "persona_type": {EN: "each persona must be an object", ZH: "每个人设必须是对象"},
    "persona_id": {EN: "“id” must be 1 to 32 lower-case letters, digits or hyphens",
                   ZH: "“id” 必须是 1 到 32 个小写字母、数字或连字符"},
    "no_name": {EN: "“name” is empty", ZH: "“name” 为空"},
}


def persona_refusal(reason: str, lang: str, where: str = "", **values: object) -> str:
    """Why a personas file was refused, in `lang`; `where` names the persona at fault."""
    lang = ZH if lang == ZH else EN
    if reason in PERSONA_REFUSALS:
        detail = PERSONA_REFUSALS[reason][lang].format(**values)
    elif reason in FILE_REFUSALS:
        detail = refusal_detail(reason, lang, **values)
    else:
        raise KeyError(reason)
    return _NOT_IMPORTABLE[lang] + (f"{where}: " if where else "") + detail
