"""Each episode's soonest deadline, kept on the episode (`Episode.next_deadline`, `overdue_after`,
`past_intervention_length_after`) so that a team page of a few hundred families sorts, counts and
pages them in SQL and works out clocks only for the families it shows (docs/performance.md).

What is kept is worked out by the same rules the pages show (`schedule.py`), from the episode's
dates, its visits whose note is not written, its case review and its open plan actions. Every
service that changes one of those calls `deadlines_keep` inside its transaction, with the episode
already locked, so that two changes at once cannot store a deadline worked out from a state
neither left. A change to an authority's timescales or working time works them out again for all
its episodes (`deadlines_refresh`); so does `manage.py casework_deadlines`.
"""

from collections.abc import Iterable

from django.db.models import QuerySet

from earlyhelp.casework.models import Episode
from earlyhelp.casework.schedule import Soonest, soonest
from earlyhelp.casework.selectors import ROW_FIELDS, Clock, pending_dues
from earlyhelp.organisations.models import Authority

KEPT = Episode.DERIVED_FIELDS
BATCH = 500


def _worked_out(listed: list[Episode], clock: Clock) -> dict[int, Soonest]:
    pending = pending_dues(listed, clock=clock)
    return {episode.pk: soonest(pending[episode.pk], clock.hours) for episode in listed}


def deadlines_keep(episode: Episode) -> Episode:
    """Work out again and store one episode's soonest deadlines, after a change to it; the
    instance given has them too. Call it last in the service, with the episode locked."""
    clock = Clock.of(episode.authority)
    listed = list(Episode.objects.filter(pk=episode.pk).select_related("family").only(*ROW_FIELDS))
    kept = _worked_out(listed, clock)[episode.pk]
    values = {name: getattr(kept, name) for name in KEPT}
    # An update, not a save: the episode's version is for what people edit, and a derived
    # value changing must not make somebody's open form stale.
    Episode.objects.filter(pk=episode.pk).derived_update(**values)
    for name, value in values.items():
        setattr(episode, name, value)
    return episode


def deadlines_refresh(episodes: QuerySet[Episode] | None = None) -> int:
    """Work out again and store the soonest deadlines of `episodes` (every episode not closed, by
    default), a batch at a time in a fixed number of queries each. Returns how many changed."""
    chosen = episodes if episodes is not None else Episode.objects.exclude(status=Episode.Status.CLOSED)
    changed = 0
    for authority in Authority.objects.filter(pk__in=chosen.values_list("authority_id", flat=True)):
        clock = Clock.of(authority)
        ids = list(chosen.filter(authority=authority).order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            changed += _batch_refresh(ids[start : start + BATCH], clock)
    return changed


def _batch_refresh(ids: Iterable[int], clock: Clock) -> int:
    listed = list(Episode.objects.filter(pk__in=list(ids)).select_related("family").only(*ROW_FIELDS, *KEPT))
    worked_out = _worked_out(listed, clock)
    different = []
    for episode in listed:
        kept = worked_out[episode.pk]
        if any(getattr(episode, name) != getattr(kept, name) for name in KEPT):
            for name in KEPT:
                setattr(episode, name, getattr(kept, name))
            different.append(episode)
    Episode.objects.derived_bulk_update(different, KEPT, batch_size=BATCH)
    return len(different)


def authority_deadlines_refresh(authority: Authority) -> int:
    """After a change to the authority's timescales or working time (its administrators'
    settings): every episode not closed, worked out by the new rules."""
    return deadlines_refresh(Episode.objects.filter(authority=authority).exclude(status=Episode.Status.CLOSED))
