"""Every enumerated value declared once, with its Chinese and English label and its colour.

The API schemas, forms, filters, tables and reports all read these, so a stage or a kind is
added here and nowhere else.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator


@dataclass(frozen=True)
class Choice:
    value: str
    zh: str
    en: str
    colour: str = "#64748b"

    def label(self, locale: str = "zh") -> str:
        return self.en if locale.startswith("en") else self.zh


class Choices:
    def __init__(self, name: str, *items: Choice):
        self.name = name
        self._items = {c.value: c for c in items}

    def __iter__(self) -> Iterator[Choice]:
        return iter(self._items.values())

    def __contains__(self, value: object) -> bool:
        return value in self._items

    def __getitem__(self, value: str) -> Choice:
        return self._items[value]

    @property
    def values(self) -> list[str]:
        return list(self._items)

    def label(self, value: str | None, locale: str = "zh") -> str:
        return self._items[value].label(locale) if value in self._items else (value or "")

    def spellings(self) -> dict[str, str]:
        """Every accepted way to write a value in an imported file (value, Chinese, English) -> value."""
        out: dict[str, str] = {}
        for c in self:
            out.update({c.value: c.value, c.zh: c.value, c.en.lower(): c.value})
        return out


LEAD_STAGES = Choices(
    "stage",
    Choice("identified", "已识别", "Identified", "#94a3b8"),
    Choice("contacted", "已接洽", "Contacted", "#38bdf8"),
    Choice("visited", "已拜访", "Visited", "#6366f1"),
    Choice("negotiating", "洽谈中", "Negotiating", "#f59e0b"),
    Choice("signed", "已签约", "Signed", "#16a34a"),
    Choice("dropped", "已放弃", "Dropped", "#ef4444"),
)

PRIORITIES = Choices(
    "priority",
    Choice("A", "A 类（重点）", "A (key)", "#dc2626"),
    Choice("B", "B 类", "B", "#f59e0b"),
    Choice("C", "C 类", "C", "#64748b"),
)

LEAD_SOURCES = Choices(
    "source",
    Choice("ranking", "补链评分推荐", "Gap ranking"),
    Choice("roadshow", "路演/展会", "Roadshow or expo"),
    Choice("referral", "推荐介绍", "Referral"),
    Choice("ma_list", "外资并购机会清单", "M&A opportunity list"),
    Choice("reinvestment", "增资/利润再投资", "Reinvestment or capital increase"),
)

ROLES = Choices(
    "role",
    Choice("admin", "管理员", "Administrator"),
    Choice("staff", "招商专员", "Promotion staff"),
    Choice("chain_leader", "链长", "Chain leader"),
    Choice("district_officer", "区县招商干部", "District officer"),
    Choice("viewer", "只读用户", "Viewer"),
)

PROJECT_KINDS = Choices(
    "kind",
    Choice("new", "新项目", "New project"),
    Choice("capital_increase", "增资项目", "Capital increase"),
)

PROJECT_STAGES = Choices(
    "stage",
    Choice("signed", "签约", "Signed"),
    Choice("registered", "注册", "Registered"),
    Choice("started", "开工", "Construction started"),
    Choice("producing", "竣工投产", "In production"),
    Choice("full_production", "达产", "At full production"),
    Choice("withdrawn", "撤出", "Withdrawn"),
)

PRESENCE_END_REASONS = Choices(
    "end_reason",
    Choice("exit", "撤离", "Exit"),
    Choice("relocation", "迁出", "Relocation"),
    Choice("shutdown", "停产关闭", "Shutdown"),
    Choice("sale", "出售", "Sale"),
)
# How a presence ended, as history shows it: the reasons staff give, and the district's abolition
# (the import records that one itself: the firm is in the successor district from that day).
PRESENCE_ENDINGS = Choices("end_reason", *PRESENCE_END_REASONS,
                           Choice("redistricting", "区划调整", "Redistricting"))

INFLOW_KINDS = Choices(
    "kind",
    Choice("equity", "股权投资", "Equity"),
    Choice("reinvested_profit", "利润再投资", "Reinvested profit"),
    Choice("shareholder_loan", "外方股东贷款", "Foreign-shareholder loan"),
)

ISSUE_CATEGORIES = Choices(
    "category",
    Choice("logistics", "物流", "Logistics"),
    Choice("labour", "用工", "Labour"),
    Choice("energy", "用能", "Energy"),
    Choice("permits", "审批许可", "Permits"),
    Choice("complaint", "投诉", "Complaint"),
    Choice("other", "其他", "Other"),
)

ISSUE_STATUSES = Choices(
    "status",
    Choice("open", "待处理", "Open", "#ef4444"),
    Choice("in_progress", "处理中", "In progress", "#f59e0b"),
    Choice("resolved", "已解决", "Resolved", "#16a34a"),
    Choice("closed", "已关闭", "Closed", "#64748b"),
)

GAP_ACTIONS = Choices(
    "action",
    Choice("supplement", "补链", "Supplement", "#dc2626"),
    Choice("stabilise", "固链", "Stabilise", "#f59e0b"),
    Choice("strengthen", "强链", "Strengthen", "#2563eb"),
    Choice("extend", "扩链", "Extend", "#7c3aed"),
    Choice("healthy", "健康", "Healthy", "#16a34a"),
)

# Where a candidate's capital comes from (FDI statistics: HK, MO and TW investors are foreign); the
# FDI ranking holds foreign and unknown investors, mainland firms are ranked apart as domestic partners.
INVESTOR_ORIGINS = Choices(
    "origin",
    Choice("foreign", "境外投资者", "Foreign investor", "#2563eb"),
    Choice("unknown", "国别未知", "Country unknown", "#f59e0b"),
    Choice("domestic", "国内合作伙伴（不计入外资）", "Domestic partner (not FDI)", "#64748b"),
)

CANDIDATE_MARKETS = Choices(
    "market",
    Choice("fdi", "外资招商对象", "FDI targets"),
    Choice("domestic", "国内合作伙伴", "Domestic partners"),
)

# What a link did to the resilience index between two readings (scoring/resilience.py movers).
RESILIENCE_MOVES = Choices(
    "move",
    Choice("covered", "新增本地企业", "gained a local maker", "#16a34a"),
    Choice("uncovered", "失去本地企业", "lost its local makers", "#dc2626"),
    Choice("single_source", "仅剩一家本地企业", "down to one local maker", "#f59e0b"),
    Choice("second_source", "新增第二家本地企业", "gained a second local maker", "#16a34a"),
    Choice("bought_from_outside", "转为外地采购", "now bought from outside", "#dc2626"),
    Choice("supplied_here", "转为本地供应", "now supplied locally", "#16a34a"),
)

CHAIN_TIERS = Choices(
    "tier",
    Choice("lead", "主导", "Lead"),
    Choice("pillar", "支柱", "Pillar"),
    Choice("featured", "特色", "Featured"),
)

LINK_SEGMENTS = Choices(
    "segment",
    Choice("upstream", "上游", "Upstream"),
    Choice("midstream", "中游", "Midstream"),
    Choice("downstream", "下游", "Downstream"),
)

EVENT_STATUSES = Choices(
    "status",
    Choice("planned", "计划中", "Planned", "#38bdf8"),
    Choice("held", "已举办", "Held", "#64748b"),
    Choice("cancelled", "已取消", "Cancelled", "#ef4444"),
)

SCORE_FACTORS = Choices(
    "factor",
    Choice("gap", "补链缺口", "Gap severity", "#dc2626"),
    Choice("standing", "企业地位", "Company standing", "#1d4ed8"),
    Choice("synergy", "本地协同", "Local synergy", "#0891b2"),
    Choice("policy_fit", "政策契合", "Policy fit", "#7c3aed"),
    Choice("engagement", "接触基础", "Engagement", "#f59e0b"),
    Choice("district", "区县匹配", "District fit", "#16a34a"),
    Choice("demand", "本地需求", "Local demand", "#db2777"),
)

FOLLOWUP_KINDS = Choices(
    "kind",
    Choice("call", "电话沟通", "Call"),
    Choice("email", "邮件联络", "E-mail"),
    Choice("video_link", "与跨国公司高管视频连线", "Video link with executives"),
    Choice("visit", "上门拜访", "Visit"),
    Choice("meeting", "洽谈会见", "Meeting"),
    Choice("roadshow_meeting", "路演/展会会见", "Roadshow meeting"),
    Choice("service_visit", "三送一访", "Service visit (三送一访)"),
)

FOLLOWUP_STATUSES = Choices(
    "status",
    Choice("open", "待跟进", "Open", "#38bdf8"),
    Choice("done", "已完成", "Done", "#16a34a"),
    Choice("cancelled", "已取消", "Cancelled", "#64748b"),
)

TASK_STATUSES = Choices(
    "status",
    Choice("open", "待办", "Open", "#38bdf8"),
    Choice("done", "已完成", "Done", "#16a34a"),
    Choice("cancelled", "已取消", "Cancelled", "#64748b"),
)

EVENT_KINDS = Choices(
    "kind",
    Choice("expo", "博览会", "Expo"),
    Choice("fair", "投资贸易洽谈会", "Investment fair"),
    Choice("roadshow_abroad", "境外招商路演", "Roadshow abroad"),
    Choice("forum", "论坛", "Forum"),
    Choice("video_link", "视频连线会", "Video-link session"),
    Choice("cloud_signing", "云签约", "Cloud signing"),
)

TARGET_STATUSES = Choices(
    "status",
    Choice("invited", "已邀请", "Invited", "#38bdf8"),
    Choice("confirmed", "已确认", "Confirmed", "#6366f1"),
    Choice("met", "已会见", "Met", "#16a34a"),
    Choice("declined", "已婉拒", "Declined", "#ef4444"),
)

NOTIFICATION_KINDS = Choices(
    "kind",
    Choice("followup_due", "今日待跟进", "Follow-up due today", "#38bdf8"),
    Choice("followup_overdue", "跟进已逾期", "Follow-up overdue", "#f59e0b"),
    Choice("task_due", "任务到期", "Task due", "#6366f1"),
    Choice("pool_return", "线索退回公海池", "Lead returned to the pool", "#ef4444"),
    Choice("lead_assigned", "线索已分配", "Lead assigned to you", "#16a34a"),
    Choice("escalation", "逾期督办", "Overdue escalation", "#dc2626"),
    Choice("exit_risk", "固链预警", "Exit-risk escalation", "#b45309"),
    Choice("project_stalled", "项目停滞", "Project stalled", "#9333ea"),
    Choice("report", "招商周报", "Weekly report", "#64748b"),
)
