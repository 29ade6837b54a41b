"""The plan's financial rewards per project and year: 任务 10 (paid-in capital) and 任务 5 (R&D centre).

Pure functions over a project's flags and its inflows; every threshold, rate, cap and year comes
from policy `incentives`, so a change in the bureau's implementing rules is a YAML edit. Each
result carries its explanation as data (tier, base, rate, cap, reasons in zh/en) because a firm
and an auditor must both see why a figure is what it is. Money is Decimal, rounded to the fen.

>>> from types import SimpleNamespace as P
>>> p = P(kind="new", manufacturing=True, industry_category="manufacturing", rd_centre=False,
...       rd_centre_recognised_on=None, archived=False, capital_support_elsewhere=None, rd_support_elsewhere=None)
>>> f = P(received_on=date(2023, 6, 1), amount_usd=30_000_001, kind="equity", archived=False)
>>> year_reward(p, [f], 2023, IncentivePolicy.load()).capital_reward_rmb
Decimal('1200000.04')
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Iterable, Protocol

from crm.choices import INFLOW_KINDS, PROJECT_KINDS
from crm.errors import ValidationFailed
from crm.policy import load_policy, section

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


class ProjectFacts(Protocol):
    kind: str
    manufacturing: bool
    industry_category: str
    rd_centre: bool
    rd_centre_recognised_on: date | None
    archived: bool
    capital_support_elsewhere: str | None
    rd_support_elsewhere: str | None


class InflowFacts(Protocol):
    received_on: date
    amount_usd: int
    kind: str
    archived: bool


@dataclass(frozen=True)
class Reason:
    code: str
    zh: str
    en: str


@dataclass(frozen=True)
class Tier:
    name: str
    exceeds_usd: int
    rate: Decimal
    manufacturing_only: bool

    def applies_to(self, manufacturing: bool) -> bool:
        return manufacturing or not self.manufacturing_only


@dataclass(frozen=True)
class IncentivePolicy:
    first_year: int
    counted_kinds: tuple[str, ...]
    excluded_categories: tuple[str, ...]
    eligible_kinds: tuple[str, ...]
    tiers: tuple[Tier, ...]
    usd_to_rmb_rate: Decimal | None
    cap_rmb: Decimal
    rd_centre_rmb: Decimal
    no_double_support: bool
    category_labels: dict[str, tuple[str, str]] = field(default_factory=dict, compare=False)

    @classmethod
    def load(cls, policy: dict[str, Any] | None = None) -> "IncentivePolicy":
        """Parse policy `incentives` (the file's, unless a policy mapping is given); refuse a bad one."""
        data = policy if policy is not None else load_policy()
        raw = section("incentives", data)
        categories: Any = section("industry_categories", data)  # a list of {id, label_zh, label_en}
        labels = {c["id"]: (c["label_zh"], c["label_en"]) for c in categories}
        try:
            tiers = tuple(Tier(str(t["name"]), _whole(t["exceeds_usd"]), _decimal(t["rate"]),
                               bool(t["manufacturing_only"])) for t in raw["tiers"])
            fx = raw.get("base_usd_to_rmb_rate")
            return cls(first_year=_whole(raw["first_year"]), counted_kinds=tuple(raw["counted_kinds"]),
                       excluded_categories=tuple(raw["excluded_categories"]),
                       eligible_kinds=tuple(raw["eligible_kinds"]), tiers=tiers,
                       usd_to_rmb_rate=None if fx is None else _decimal(fx),
                       cap_rmb=_decimal(raw["cap_rmb_per_project_year"]),
                       rd_centre_rmb=_decimal(raw["rd_centre_opening_reward_rmb"]),
                       no_double_support=_flag(raw["no_double_support"]), category_labels=labels)
        except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
            raise ValidationFailed({"policy": [f"incentives: missing or bad value ({exc})"]}) from None


def _decimal(value: Any) -> Decimal:
    """Via str: YAML gives 0.02 as a float, and Decimal(0.02) would carry its binary error."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    number = Decimal(str(value))
    if number < 0:
        raise ValueError(f"{value!r} is negative")
    return number


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{value!r} is not true or false")
    return value


def _whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{value!r} is not a whole number")
    return value


@dataclass(frozen=True)
class YearReward:
    """One project's rewards for one calendar year, with the reasons behind each figure."""
    year: int
    counted_usd: int
    uncounted_usd: int
    tier: str | None
    rate: Decimal | None
    base: Decimal
    uncapped_rmb: Decimal
    capital_reward_rmb: Decimal
    capped: bool
    rd_centre_rmb: Decimal
    reasons: tuple[Reason, ...]
    withheld_rmb: Decimal = ZERO

    @property
    def total_rmb(self) -> Decimal:
        return self.capital_reward_rmb + self.rd_centre_rmb


def _usd(amount: int | Decimal) -> str:
    return f"USD {amount:,}"


def _rmb(amount: Decimal) -> str:
    return f"RMB {amount:,.2f}"


def _pct(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


def year_totals(inflows: Iterable[InflowFacts], year: int, policy: IncentivePolicy) -> tuple[int, int]:
    """The year's paid-in capital that counts (年实际到位外资, loans excluded) and what does not."""
    counted = uncounted = 0
    for flow in inflows:
        if flow.archived or flow.received_on.year != year:
            continue
        if flow.kind in policy.counted_kinds:
            counted += flow.amount_usd
        else:
            uncounted += flow.amount_usd
    return counted, uncounted


def pick_tier(counted_usd: int, manufacturing: bool, policy: IncentivePolicy) -> Tier | None:
    """The best-paying tier whose threshold the figure *exceeds* (equal is not enough) and whose sector fits."""
    fitting = [t for t in policy.tiers if t.applies_to(manufacturing) and counted_usd > t.exceeds_usd]
    return max(fitting, key=lambda t: (t.rate, t.exceeds_usd), default=None)


def _blockers(project: ProjectFacts, year: int, policy: IncentivePolicy) -> list[Reason]:
    """Why a project earns no capital reward this year, whatever its figures."""
    out = []
    if project.archived:
        out.append(Reason("archived", "项目已归档，不计奖励", "The project is archived and earns nothing"))
    if year < policy.first_year:
        out.append(Reason("before_first_year", f"财政奖励从{policy.first_year}年开始，{year}年到位外资不计奖励（任务10）",
                          f"Rewards start in {policy.first_year}; capital paid in {year} earns nothing (task 10)"))
    if project.kind not in policy.eligible_kinds:
        out.append(Reason("ineligible_kind", f"仅新项目或增资项目可获奖励，本项目为“{PROJECT_KINDS.label(project.kind)}”",
                          f"Only new or capital-increase projects qualify; this one is {project.kind!r}"))
    if project.industry_category in policy.excluded_categories:
        zh, en = policy.category_labels.get(project.industry_category, (project.industry_category,) * 2)
        out.append(Reason("excluded_category", f"{zh}项目不在奖励范围（任务10：房地产业、金融业及类金融业项目除外）",
                          f"{en} projects are excluded (task 10: real estate, finance and quasi-finance)"))
    return out


def _tier_reasons(counted: int, manufacturing: bool, tier: Tier | None, policy: IncentivePolicy) -> list[Reason]:
    out = []
    for other in sorted(policy.tiers, key=lambda t: t.exceeds_usd):
        better = tier is None or other.rate > tier.rate
        if other is tier or not better or not other.applies_to(manufacturing):
            continue
        sector = ("制造业", "manufacturing ") if other.manufacturing_only else ("", "")
        out.append(Reason("not_exceeded", f"当年计入金额{_usd(counted)}未超过{_usd(other.exceeds_usd)}，"
                                          f"不适用{sector[0]}{_pct(other.rate)}档（须“超过”）",
                          f"{_usd(counted)} counted does not exceed {_usd(other.exceeds_usd)}: "
                          f"no {sector[1]}{_pct(other.rate)} tier (it must exceed)"))
    if tier is not None:
        sector = ("制造业项目", "A manufacturing project") if tier.manufacturing_only else ("项目", "A project")
        out.append(Reason("tier", f"{sector[0]}当年实际到位外资{_usd(counted)}超过{_usd(tier.exceeds_usd)}："
                                  f"按不低于{_pct(tier.rate)}（人民币）奖励，此为计划规定的下限",
                          f"{sector[1]} with {_usd(counted)} paid in, above {_usd(tier.exceeds_usd)}: "
                          f"at least {_pct(tier.rate)} in RMB (the plan's floor)"))
    return out


def _base(counted: int, policy: IncentivePolicy) -> tuple[Decimal, Reason]:
    """以其当年实际到位外资金额（美元）为基数: the USD figure, converted only if policy gives a rate."""
    if policy.usd_to_rmb_rate is None:
        return Decimal(counted), Reason("base", f"以当年实际到位外资{_usd(counted)}的数额为基数，奖励以人民币计",
                                        f"The base is the year's {_usd(counted)} figure; the reward is paid in RMB")
    base = (Decimal(counted) * policy.usd_to_rmb_rate).quantize(CENT, ROUND_HALF_UP)
    return base, Reason("base", f"以当年实际到位外资{_usd(counted)}按{policy.usd_to_rmb_rate}折算为{_rmb(base)}作为基数",
                        f"The base is {_usd(counted)} converted at {policy.usd_to_rmb_rate} to {_rmb(base)}")


def _rd_centre(project: ProjectFacts, year: int, policy: IncentivePolicy) -> tuple[Decimal, list[Reason]]:
    """任务 5: a recognised foreign R&D centre's one-off opening reward, in its recognition year."""
    recognised = project.rd_centre_recognised_on
    if not project.rd_centre or recognised is None or recognised.year != year or project.archived:
        return ZERO, []
    if year < policy.first_year:
        return ZERO, [Reason("rd_before_first_year", f"研发中心于{recognised.isoformat()}认定，早于{policy.first_year}年，不计开办奖励",
                             f"R&D centre recognised on {recognised.isoformat()}, before {policy.first_year}: no reward")]
    amount = policy.rd_centre_rmb.quantize(CENT)
    return amount, [Reason("rd_centre", f"外资研发中心于{recognised.isoformat()}认定：一次性开办奖励{_rmb(amount)}（任务5，不计入年度上限）",
                           f"Foreign R&D centre recognised on {recognised.isoformat()}: one-off opening reward "
                           f"{_rmb(amount)} (task 5, outside the yearly cap)")]


def _not_twice(project: ProjectFacts, capital: Decimal, rd: Decimal) -> tuple[Decimal, Decimal, Decimal, list[Reason]]:
    """按照同一方向不重复支持 (the plan as issued): a reward another scheme already paid for the same
    purpose is flagged and withheld here; returns the capital and R&D rewards left, what was withheld, and why."""
    withheld, reasons = ZERO, []
    for amount, scheme, zh, en in ((capital, project.capital_support_elsewhere, "到位外资", "paid-in capital"),
                                   (rd, project.rd_support_elsewhere, "研发中心开办", "opening an R&D centre")):
        if amount and scheme:
            withheld += amount
            reasons.append(Reason("double_support",
                                  f"该项目已获“{scheme}”{zh}方面的支持，按照同一方向不重复支持，本项奖励{_rmb(amount)}不予发放",
                                  f"Already rewarded for {en} by “{scheme}”: support is not given twice for the same "
                                  f"purpose, so {_rmb(amount)} is withheld"))
    capital = ZERO if capital and project.capital_support_elsewhere else capital
    rd = ZERO if rd and project.rd_support_elsewhere else rd
    return capital, rd, withheld, reasons


def year_reward(project: ProjectFacts, inflows: Iterable[InflowFacts], year: int,
                policy: IncentivePolicy) -> YearReward:
    """What the plan awards this project for one calendar year, and why."""
    counted, uncounted = year_totals(inflows, year, policy)
    reasons: list[Reason] = []
    if uncounted:
        left_out = [k for k in INFLOW_KINDS.values if k not in policy.counted_kinds]
        zh = "、".join(INFLOW_KINDS.label(k) for k in left_out)
        en = ", ".join(INFLOW_KINDS.label(k, "en").lower() for k in left_out)
        reasons.append(Reason("not_counted", f"{zh}共{_usd(uncounted)}不计入当年实际到位外资金额（任务10）",
                              f"{_usd(uncounted)} of {en} does not count as paid-in capital (task 10)"))
    tier, base, uncapped, reward, capped = None, ZERO, ZERO, ZERO, False
    blockers = _blockers(project, year, policy)
    if blockers:
        reasons.extend(blockers)
    elif counted == 0:
        reasons.append(Reason("no_capital", "当年无计入的实际到位外资", "No counted capital paid in this year"))
    else:
        tier = pick_tier(counted, project.manufacturing, policy)
        reasons.extend(_tier_reasons(counted, project.manufacturing, tier, policy))
        if tier is not None:
            base, why = _base(counted, policy)
            reasons.insert(len(reasons) - 1, why)
            uncapped = (base * tier.rate).quantize(CENT, ROUND_HALF_UP)
            capped = uncapped > policy.cap_rmb
            reward = policy.cap_rmb.quantize(CENT) if capped else uncapped
            if capped:
                reasons.append(Reason("capped", f"按比例应为{_rmb(uncapped)}，超过单个项目年度上限{_rmb(policy.cap_rmb)}，按上限计",
                                      f"{_rmb(uncapped)} by the rate exceeds the yearly cap of {_rmb(policy.cap_rmb)}"))
    rd_amount, rd_reasons = _rd_centre(project, year, policy)
    withheld = ZERO
    if policy.no_double_support:
        reward, rd_amount, withheld, twice = _not_twice(project, reward, rd_amount)
        rd_reasons += twice
    return YearReward(year=year, counted_usd=counted, uncounted_usd=uncounted, tier=tier.name if tier else None,
                      rate=tier.rate if tier else None, base=base, uncapped_rmb=uncapped, capital_reward_rmb=reward,
                      capped=capped, rd_centre_rmb=rd_amount, reasons=tuple(reasons + rd_reasons),
                      withheld_rmb=withheld)


def project_rewards(project: ProjectFacts, inflows: Iterable[InflowFacts], policy: IncentivePolicy) -> list[YearReward]:
    """One YearReward for every year with capital paid in or an R&D centre recognised, oldest first."""
    flows = [f for f in inflows if not f.archived]
    years = {f.received_on.year for f in flows}
    if project.rd_centre and project.rd_centre_recognised_on is not None:
        years.add(project.rd_centre_recognised_on.year)
    return [year_reward(project, flows, year, policy) for year in sorted(years)]
