"""The domain's messages in the reader's language.

crm/ speaks English to API clients and never imports flask; pages show the same refusals to
people, so the messages they can cause are recognised here by pattern and translated, with
stage values relabelled. A message not listed is shown as the domain wrote it.
"""
from __future__ import annotations

import re
from typing import Callable, Match

from flask_babel import gettext as _

from crm.choices import LEAD_STAGES
from web.i18n import current_locale


def _stage(match: Match[str], group: str) -> str:
    return LEAD_STAGES.label(match[group], current_locale())


_STAGE = r".*?\((?P<{}>\w+)\)"
RULES: tuple[tuple[re.Pattern[str], Callable[[Match[str]], str]], ...] = tuple(
    (re.compile(pattern), render) for pattern, render in (
        (r"^(?:required|cannot be empty)$", lambda m: _("This field is required.")),
        (r"^(?:text of )?at most (?P<n>\d+) characters$", lambda m: _("At most %(n)s characters.", n=m["n"])),
        (r"^at least (?P<n>\d+) characters$", lambda m: _("At least %(n)s characters.", n=m["n"])),
        (r"^does not match your current password$", lambda m: _("This is not your current password.")),
        (r"^Storage is full or failing", lambda m: _("Storage is full or failing: nothing was saved. An administrator "
                                                     "must free disk space and restart ChainLead; what was saved "
                                                     "before is kept.")),
        (r"^1 to 100 characters$", lambda m: _("1 to 100 characters.")),
        (r"^must be one of ", lambda m: _("Pick one of the listed values.")),
        (r"whole number of US dollars, 0 or more", lambda m: _("Enter a whole number of US dollars (0 or more).")),
        (r"whole number of US dollars, more than 0", lambda m: _("Enter a whole number of US dollars, above 0.")),
        (r"^no \w+ with id ", lambda m: _("Not found: pick one from the list.")),
        (r"^(?:cannot be in the future|a date no later than today)", lambda m: _("Cannot be in the future.")),
        (r"^must be a date", lambda m: _("Enter a date as YYYY-MM-DD.")),
        (r"^is before the first day$", lambda m: _("Must not be before the first day.")),
        (r"^(?P<name>\S+) \((?P<code>\d+)\) was abolished on (?P<on>[\d-]+)",
         lambda m: _("%(name)s was abolished on %(on)s: pick today's district.", name=m["name"], on=m["on"])),
        (r"^letters, digits", lambda m: _("Letters, digits, '.', '_' or '-', at most 64.")),
        (r"^this presence already ended on (?P<on>[\d-]+)$",
         lambda m: _("This presence already ended on %(on)s.", on=m["on"])),
        (r"is after today \((?P<on>[\d-]+)\)", lambda m: _("Cannot be after today (%(on)s).", on=m["on"])),
        (r"^must be after the presence began \((?P<on>[\d-]+)\)$",
         lambda m: _("Must be after the firm arrived (%(on)s).", on=m["on"])),
        (r"there is no ended presence to restore$", lambda m: _("The firm is present there: there is nothing to "
                                                                "restore.")),
        (r"has no project to hang a visit on", lambda m: _("This firm has no project in ChainLead to hang the visit "
                                                            "on: record its project first.")),
        (r"^a district officer needs a district$", lambda m: _("A district officer needs a district.")),
        (r"^a chain leader needs a chain$", lambda m: _("A chain leader needs a chain.")),
        (r"^not a valid e-mail address$", lambda m: _("Not a valid e-mail address.")),
        (r"^digits, spaces", lambda m: _("Digits, spaces and + ( ) - only.")),
        (r"^disagrees with industry_category", lambda m: _("Only a manufacturing project has the category "
                                                             "manufacturing.")),
        (r"^only an R&D centre", lambda m: _("Only an R&D centre can be recognised as one.")),
        (r"^user '(?P<name>[^']+)' already exists$", lambda m: _("The username %(name)s is taken.", name=m["name"])),
        (r"^dropping a lead needs a reason$", lambda m: _("dropping a lead needs a reason.")),
        (r"^a signed lead has become a project", lambda m: _("a signed lead has become a project and keeps its "
                                                             "stage.")),
        (r"^the lead is already" + _STAGE.format("a") + "$",
         lambda m: _("the lead is already %(stage)s.", stage=_stage(m, "a"))),
        (r"^cannot skip from" + _STAGE.format("a") + " to" + _STAGE.format("b") + ": next is" + _STAGE.format("c"),
         lambda m: _("cannot skip from %(a)s to %(b)s; the next stage is %(c)s.",
                     a=_stage(m, "a"), b=_stage(m, "b"), c=_stage(m, "c"))),
        (r"^cannot go back from" + _STAGE.format("a") + " to" + _STAGE.format("b"),
         lambda m: _("cannot go back from %(a)s to %(b)s: one stage at a time.", a=_stage(m, "a"), b=_stage(m, "b"))),
        (r"^a dropped lead re-opens at" + _STAGE.format("a"),
         lambda m: _("a dropped lead re-opens at %(stage)s or an earlier stage.", stage=_stage(m, "a"))),
        (r"^lead \S+ is no longer in the pool: you claimed it first$",
         lambda m: _("You have already claimed this lead.")),
        (r"^lead \S+ is no longer in the pool: (?P<who>.+) claimed it first$",
         lambda m: _("Someone was quicker: %(who)s claimed this lead first.", who=m["who"])),
        (r"^lead \S+ is \w+ and not in the pool$", lambda m: _("This lead is not in the pool any more.")),
        (r"^required: what came of it$", lambda m: _("Write what came of it.")),
        (r"^required \(or due_on\)$", lambda m: _("This field is required.")),
        (r"^the follow-up is already \w+; it cannot be completed again$",
         lambda m: _("This follow-up was already logged.")),
        (r"^Something went wrong on our side", lambda m: _("Something went wrong on our side; the error has been "
                                                            "logged.")),
        (r"^The database is not reachable", lambda m: _("The database is not reachable right now; please retry "
                                                        "shortly.")),
        (r"^The CSRF tokens? ", lambda m: _("The form has expired or was not sent from this site: reload the page "
                                             "and try again.")),
        (r"^The requested URL was not found", lambda m: _("There is no such page.")),
        # companies imported from the browser: the file, the dry run's token, the matcher's reasons
        (r"only \.csv and \.xlsx files can be imported$", lambda m: _("Only .csv and .xlsx files can be imported.")),
        (r"old Excel \.xls files cannot be read", lambda m: _("Old Excel .xls files cannot be read: save the file as "
                                                             ".xlsx or .csv.")),
        (r"MB is more than the (?P<mb>\d+) MB an import accepts",
         lambda m: _("The file is larger than the %(mb)s MB an import accepts; split it.", mb=m["mb"])),
        (r"^The data value transmitted exceeds", lambda m: _("The file is too large for an import; split it.")),
        (r": the file is empty$", lambda m: _("The file is empty.")),
        (r"not a readable \.xlsx workbook|^\S+\.xlsx: ", lambda m: _("This is not a readable .xlsx workbook: save it "
                                                                    "again from Excel.")),
        (r"holds binary data, not CSV text|is a zip file, not CSV text",
         lambda m: _("This is not CSV text: export the table as CSV or .xlsx.")),
        (r":(?P<line>\d+): this line is not UTF-8", lambda m: _("Line %(line)s is not UTF-8 although the lines before "
                                                                "it are: save the file again as UTF-8 CSV.",
                                                                line=m["line"])),
        (r"cannot tell the text encoding", lambda m: _("The text encoding cannot be told: save the file as UTF-8 CSV "
                                                       "or as .xlsx.")),
        (r"^the file name must be 1 to (?P<n>\d+) characters", lambda m: _("The file name must be 1 to %(n)s "
                                                                           "characters of text: rename the file.",
                                                                           n=m["n"])),
        (r"^a CSV or XLSX file is required$", lambda m: _("Choose a CSV or XLSX file.")),
        (r"^unknown or expired upload", lambda m: _("This dry run has expired or is not yours: upload the file "
                                                    "again.")),
        (r"^does not match the uploaded file$", lambda m: _("This is not the file of the dry run: upload it again.")),
        (r"^the file has (?P<n>\d+) problem", lambda m: _("The file has %(n)s problems: correct them and upload it "
                                                          "again.", n=m["n"])),
        (r"^the file has ambiguous rows", lambda m: _("The file has ambiguous rows: tick the box to leave them out, "
                                                      "or add company_id to them and upload the file again.")),
        (r"^an import is running", lambda m: _("Another import is running: wait for it to finish, then commit "
                                               "again.")),
        (r"^(?P<n>\d+) (?:problem\(s\) in the file|ambiguous match\(es\)); nothing was written",
         lambda m: _("%(n)s problems or ambiguous rows: nothing was written.", n=m["n"])),
        (r"^matches several companies by name$", lambda m: _("matches several companies by name")),
        (r"^has the name of a company from another country \(row says (?P<c>\w*)\)",
         lambda m: _("has the name of a company from another country (the row says %(country)s)", country=m["c"])),
        (r"^is close to$", lambda m: _("is close to the names of")),
        (r"^has a new company_id \((?P<id>[^)]*)\) but the name of$",
         lambda m: _("has a new company_id (%(id)s) but the name of", id=m["id"])),
        (r"^names the same company as row (?P<n>\d+)$", lambda m: _("names the same company as row %(n)s", n=m["n"])),
        (r"^is (?P<n>[\d,]+) characters long; a cell holds at most (?P<max>[\d,]+)",
         lambda m: _("is %(n)s characters long; a cell holds at most %(max)s.", n=m["n"], max=m["max"])),
        (r"^(?P<name>.+) is not a column name$", lambda m: _("%(name)s is not a column name.", name=m["name"])),
        (r"^your role may not ", lambda m: _("Your role does not allow this.")),
        (r"^\w+ \S+ not found$", lambda m: _("There is no such record, or it is outside your area.")),
        (r"is at version \d+, not \d+", lambda m: _("Someone changed this record meanwhile: reload and try again.")),
    ))


def translate(message: str) -> str:
    """The message in the current language when it is one the pages know, else as written."""
    for pattern, render in RULES:
        found = pattern.search(message)
        if found:
            return render(found)
    return message
