"""Reviews side by side, for the pages of every consumer of the kit (membership panels,
Exchange shortlisting): a row per criterion with each review's score, the range, and a flag
where reviewers are `DISAGREEMENT_POINTS` or more apart (as `panel_score_table` flags them)."""

from .enums import DISAGREEMENT_POINTS


def score_grid(criteria, reviews) -> list[dict]:
    """Rows of a side-by-side table: per criterion, each review's score (None when missing),
    the range between the highest and lowest score, and whether it is flagged."""
    by_review = [{s.criterion_id: s for s in review.scores.all()} for review in reviews]
    rows = []
    for criterion in criteria:
        cells = [scores.get(criterion.pk) for scores in by_review]
        values = [cell.value for cell in cells if cell is not None]
        spread = max(values) - min(values) if len(values) > 1 else 0
        rows.append(
            {
                "criterion": criterion,
                "cells": cells,
                "range": spread,
                "flagged": spread >= DISAGREEMENT_POINTS,
            }
        )
    return rows


def review_totals(reviews) -> list[int]:
    return [sum(score.value for score in review.scores.all()) for review in reviews]
