"""A parsed sheet as plain JSON data and back: what a CriteriaVersion stores, immutable per version."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from .model import Criterion, Group, Heading, Option, Part, Sheet, SheetWarning

FORMAT = 1


def sheet_to_data(sheet: Sheet) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "set_number": sheet.set_number,
        "version": sheet.version,
        "parts": [
            {
                "letter": part.letter,
                "title": part.title,
                "max_points": part.max_points,
                "groups": [
                    {
                        "part": g.part,
                        "number": g.number,
                        "title": g.title,
                        "description": g.description,
                        "max_points": g.max_points,
                        "knockout_note": g.knockout_note,
                        "line": g.line,
                        "headings": [asdict(h) for h in g.headings],
                        "criteria": [asdict(c) for c in g.criteria],
                    }
                    for g in part.groups
                ],
            }
            for part in sheet.parts.values()
        ],
        "warnings": [asdict(w) for w in sheet.warnings],
    }


def sheet_from_data(data: dict[str, Any]) -> Sheet:
    sheet = Sheet(set_number=data["set_number"], version=data["version"])
    for p in data["parts"]:
        part = Part(p["letter"], p["title"], p["max_points"])
        for g in p["groups"]:
            group = Group(
                part=g["part"],
                number=g["number"],
                title=g["title"],
                description=g["description"],
                max_points=g["max_points"],
                knockout_note=g["knockout_note"],
                line=g["line"],
                headings=[Heading(**h) for h in g["headings"]],
            )
            for c in g["criteria"]:
                fields = dict(c)
                fields["options"] = [Option(**o) for o in c["options"]]
                crit = Criterion(**fields)
                group.criteria.append(crit)
                sheet.criteria.append(crit)
            part.groups.append(group)
        sheet.parts[part.letter] = part
    sheet.warnings.extend(SheetWarning(**w) for w in data["warnings"])
    return sheet
