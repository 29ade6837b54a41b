"""Reasons as data: a code, its numbers, and one line of text in Chinese and in English.

Screens and the API show the text; reports and tests read the code and the values. Each code's
wording is declared once here, as are the action and tier labels.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crm.choices import LEAD_STAGES

ACTION_LABELS: dict[str, tuple[str, str]] = {
    "supplement": ("补链", "Supplement"),
    "stabilise": ("固链", "Stabilise"),
    "strengthen": ("强链", "Strengthen"),
    "extend": ("扩链", "Extend"),
    "healthy": ("健康", "Healthy"),
}

TIER_LABELS: dict[str, tuple[str, str]] = {
    "lead": ("主导", "lead"),
    "pillar": ("支柱", "pillar"),
    "featured": ("特色", "featured"),
}

TEMPLATES: dict[str, tuple[str, str]] = {
    "no_local_maker": ("本地无{link_zh}企业", "no local maker of {link_en}"),
    "no_known_maker": ("企业库中尚无{link_zh}生产企业", "no maker of {link_en} in the company library yet"),
    "known_makers": ("全球已知生产企业 {makers} 家", "{makers} makers known worldwide"),
    "outside_focus": ("不在现有图谱重点内", "outside the current map focus"),
    "not_next_to_local": ("尚未与本地已有环节直接相连", "not yet one FEEDS step from a covered link"),
    "next_to_local": ("与 {neighbours} 个本地已有环节直接相连", "one FEEDS step from {neighbours} covered link(s)"),
    "few_sources": ("本地仅 {local_makers} 家{link_zh}企业", "only {local_makers} local maker(s) of {link_en}"),
    "local_dependents": ("下游 {links} 个本地环节（{makers} 家本地企业）依赖该环节",
                         "{links} covered downstream link(s) ({makers} local firms) depend on it"),
    "no_leading_local": ("本地无行业龙头企业", "no leading firm among local makers"),
    "no_fg500_or_multinational_local": ("本地无世界500强或跨国公司", "no Fortune Global 500 firm or multinational among local makers"),
    "few_local_makers": ("本地企业 {local_makers} 家，按其重要性应有 {needed} 家",
                         "{local_makers} local maker(s) where its importance calls for {needed}"),
    "covered": ("本地已有 {local_makers} 家{link_zh}企业", "{local_makers} local makers of {link_en}"),
    "bought_from_outside": ("本地 {buyers} 家企业（{districts} 个区县）需从外地采购",
                            "{buyers} local firm(s) in {districts} district(s) buy this from outside"),
    "high_tech": ("高技术制造业", "high-tech manufacturing"),
    "chain_tier": ("{tier_zh}产业集群", "{tier_en} cluster"),
    "fg500": ("该企业为世界500强第 {rank} 位", "Fortune Global 500 #{rank}"),
    "fg500_unknown": ("世界500强排名未知（无可靠来源，不计分）", "Fortune Global 500 rank unknown (not sourced, no points)"),
    "multinational": ("知名跨国公司", "multinational"),
    "country_unknown": ("国别未知，待数据管理员核实", "country unknown: for the data steward to check"),
    "leading": ("行业龙头", "industry leader"),
    "supplies_local": ("已向 {customers} 家本地企业供货", "already supplies {customers} local firm(s)"),
    "other_gaps": ("另产本地缺失环节 {links} 个", "makes {links} other link(s) the city lacks"),
    "existing_lead": ("已有线索（{stage_zh}）", "existing lead ({stage_en})"),
    "landing": ("建议落地{district_zh}", "proposed landing: {district_en}"),
}

@dataclass(frozen=True)
class Reason:
    code: str
    values: dict[str, Any] = field(default_factory=dict)
    zh: str = ""
    en: str = ""


def reason(code: str, **values: Any) -> Reason:
    """A reason with its text filled in from the declared wording."""
    zh, en = TEMPLATES[code]
    return Reason(code, values, zh.format(**values), en.format(**values))


def existing_lead(stage: str | None) -> Reason:
    """How a candidate's reason mentions the lead already open for it (taken out again for a reader
    who may not open that lead: web/cockpit.py, crm/reports/scope.py)."""
    return reason("existing_lead", stage_zh=LEAD_STAGES.label(stage, "zh"),
                  stage_en=LEAD_STAGES.label(stage, "en").lower())


def lead_mention(stage: str | None) -> tuple[str, str]:
    said = existing_lead(stage)
    return said.zh, said.en


def action_label(action: str) -> tuple[str, str]:
    return ACTION_LABELS[action]


def line(action: str, reasons: list[Reason]) -> tuple[str, str]:
    """One line per language: the action, then the reasons in order."""
    zh, en = ACTION_LABELS[action]
    return (f"{zh}：" + "；".join(r.zh for r in reasons),
            f"{en}: " + "; ".join(r.en for r in reasons))
