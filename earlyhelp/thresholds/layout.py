"""The matrix as the check pages lay it out: indicators by domain group, domain and level, the
referral lists, and which were ticked. Pure: shared by the thresholds and front door pages."""

from typing import Any

from earlyhelp.thresholds.definition import FrameworkDefinition


def indicators_selected(definition: FrameworkDefinition, chosen: set[str]) -> list[Any]:
    return [indicator for key, indicator in definition.by_id.items() if key in chosen]


def indicator_layout(definition: FrameworkDefinition, chosen: set[str]) -> dict[str, Any]:
    """The indicators as the form shows them: by domain group and domain, then by level."""
    groups = []
    for group in definition.domain_groups:
        domains = []
        for domain in group.domains:
            levels = []
            ticked = 0
            for cell in definition.matrix:
                if cell.domain != domain.id:
                    continue
                items = [(entry.id, entry.wording, entry.includes, entry.id in chosen) for entry in cell.indicators]
                ticked += sum(1 for entry in cell.indicators if entry.id in chosen)
                levels.append({"level": cell.level, "name": definition.level_name(cell.level), "items": items})
            domains.append({"id": domain.id, "name": domain.name, "levels": levels, "ticked": ticked})
        groups.append({"name": group.name, "domains": domains})
    lists = [
        {
            "list": special,
            "items": [(item.id, item.wording, item.group, item.id in chosen) for item in special.items],
            "ticked": sum(1 for item in special.items if item.id in chosen),
        }
        for special in definition.special_lists
    ]
    return {"groups": groups, "lists": lists}
