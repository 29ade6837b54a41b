"""Telling readers a report is out (requirements M2): a notification in every active user's inbox,
linking to the report, and an e-mail with the headline figures when SMTP is configured. Each
recipient's lines are drawn from the report as they may read it (crm/reports/scope.py), as the page
the mail links to is.

The e-mail goes out at once; a user whose mail the server refused keeps an unmailed notification,
which the regular digest job (crm/notify/mail.py) tries again. Set CHAINLEAD_BASE_URL so the mail links
to the report page; without it the link is the path alone.
"""
from __future__ import annotations

import logging
import smtplib
from datetime import datetime
from typing import Any

from crm.notify import mail
from crm.base.notices import Notice, notify
from crm.reports.store import Report
from crm.reports.words import growth_cap
from crm.people.users import list_users
from graph.config import env

log = logging.getLogger("chainlead.reports")


def _wan(usd: float | int | None, lang: str) -> str:
    if usd is None:
        return "—"
    return f"{usd / 10_000:,.0f}万美元" if lang == "zh" else f"USD {usd / 1_000_000:,.1f} million"


def _pct(value: float | None, lang: str) -> str:
    if value is not None and abs(value) > growth_cap():
        return "基数过小，不作比较" if lang == "zh" else "base too small to compare"
    return "—" if value is None else f"{value * 100:+.1f}%"


def summary_lines(figures: dict[str, Any], lang: str = "zh") -> list[str]:
    """The headline figures in a few lines (zh or en): pipeline, FDI against target, the warning."""
    week, fdi, pipe = figures["pipeline"]["week"], figures["fdi"], figures["pipeline"]
    n = {k: week[k]["value"] for k in ("new_leads", "advances", "drops", "signings")}
    contracted, ytd = _wan(week["contracted_fdi_usd"]["value"], lang), _wan(fdi["ytd_usd"]["value"], lang)
    growth, target = _pct(fdi["growth"]["value"], lang), (fdi["growth"]["target"] or 0) * 100
    if lang == "zh":
        lines = [f"本周新增线索{n['new_leads']}条，推进{n['advances']}次，放弃{n['drops']}条；"
                 f"签约{n['signings']}个，合同外资{contracted}；在谈线索{pipe['open']['value']}条。",
                 f"{fdi['year']}年截至{fdi['as_of']}外商直接投资{ytd}，同比{growth}（目标≥{target:.0f}%）。"]
    else:
        lines = [f"This week {n['new_leads']} new leads, {n['advances']} moved on, {n['drops']} dropped; "
                 f"{n['signings']} signed, contracted FDI {contracted}; {pipe['open']['value']} leads open.",
                 f"FDI in {fdi['year']} to {fdi['as_of']}: {ytd}, {growth} year on year "
                 f"(target ≥ {target:.0f}%)."]
    if any(w["code"] == "fdi_off_track" for w in figures.get("warnings", [])):
        proj = fdi["projection"]
        projected, goal = _wan(proj["projected_usd"], lang), _wan(proj["target_usd"], lang)
        lines.append(f"预警：全年进度滞后，按当前进度预计全年{projected}，低于目标{goal}。" if lang == "zh" else
                     f"Warning: the year is behind; at this pace {projected}, below the target of {goal}.")
    ranking = figures["districts"]["ranking"]
    if ranking and ranking[0]["score"] > 0:
        first = ranking[0]
        lines.append(f"招商活跃指数第一：{first['name_zh']}（{first['score']:.1f}）。" if lang == "zh" else
                     f"Most active district: {first.get('name_en') or first['name_zh']} ({first['score']:.1f}).")
    elif ranking:
        lines.append("本周各区县招商活跃指数均为0，不排名次。" if lang == "zh" else
                     "Every district's activity index is 0 this week: no ranking.")
    return lines


def deliver(store: Any, report: Report, *, now: datetime, config: mail.SmtpConfig | None = None) -> int:
    """Notify every active user, mail those with an address when SMTP is set; returns users notified."""
    users = sorted((u for u in list_users(store) if u.active), key=lambda u: u.id)
    figures = report.figures
    title = (f"招商周报 {report.week}（{figures['week_start']} 至 {figures['week_end']}）",
             f"Weekly promotion report {report.week} ({figures['week_start']} to {figures['week_end']})")
    link = f"/reports/{report.week}"
    notices = []
    for u in users:
        seen = report.seen_by(u.actor()).figures
        body = ("\n".join(summary_lines(seen, "zh")), "\n".join(summary_lines(seen, "en")))
        notices.append(Notice(f"report:{report.week}:{report.generated_at.isoformat()}", u.id, "report", title,
                              body, link, "Report", report.week))
    told = notify(store, notices, now=now)
    config = config if config is not None else mail.SmtpConfig.from_env()
    if config is None:
        return told
    address = (env("BASE_URL") or "").rstrip("/") + link
    for notice, user in zip(notices, users):
        if not user.email:
            continue
        try:
            english = (user.locale or "zh").startswith("en")
            mail.send(config, user.email, title[english], f"{notice.body[english]}\n\n{address}\n\n— ChainLead")
        except (smtplib.SMTPException, OSError) as exc:
            log.warning("could not mail the %s report to %s: %s (the digest tries again)", report.week, user.id, exc)
            continue
        store.write("MATCH (n:Notification {id: $id}) SET n.emailed_at = $now", {"id": notice.id, "now": now})
    return told
