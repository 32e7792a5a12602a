"""远程勘验办: where a scenario allows it, the reviewer books a video
inspection instead of a site visit. For food businesses (the restaurant
family) the case is eligible when the applicant asked for it and the
premises are at most 150 m²; the reviewer's food review then chooses the
mode (video unless they choose on site); an ineligible case is always
inspected on site, whatever was chosen."""
from __future__ import annotations

import pytest

from tests.walk import load_intake, start

# The other food scenarios with the same choice, and what makes their food licence need a review.
VIDEO_SLOT = {"appointment_at": "2026-12-03T10:00:00+08:00"}  # asking for a video inspection proposes a slot
OTHERS = {"beverage_shop": {}, "convenience_store": VIDEO_SLOT,
          "tobacco_liquor_shop": {**VIDEO_SLOT, "food_categories": ["bulk_liquor"]}}
COMPANY = {"has_company": True, "uscc": "91420103MA4KXXXX0Q"}


def after_review(runtime, scenario, mode, area, asked, **changes):
    walk = start(runtime, load_intake(scenario), scenario=scenario, **COMPANY, area_m2=area, remote_inspection=asked,
                 **changes)
    fixed = {"decision": "approve", **({"inspection_mode": mode} if mode else {})}
    walk.complete("Task_FoodReview", **fixed)
    tasks = walk.open_tasks()
    return ("video" if "Task_VideoBooking:food" in tasks else
            "onsite" if "Task_OnsiteInspection:food" in tasks else sorted(tasks))


@pytest.mark.parametrize("mode, area, asked, expected", [
    ("video", 120, True, "video"),     # eligible, booked by video
    (None, 120, True, "video"),        # eligible, nothing chosen: video as the applicant asked
    ("onsite", 120, True, "onsite"),   # eligible, but the reviewer wants to see it
    ("video", 151, True, "onsite"),    # too large for a video inspection
    ("video", 120, False, "onsite"),   # the applicant did not agree to film
])
def test_the_reviewer_chooses_video_only_where_the_case_is_eligible(runtime, mode, area, asked, expected):
    assert after_review(runtime, "restaurant", mode, area, asked) == expected


@pytest.mark.parametrize("scenario", OTHERS)
def test_every_food_scenario_lets_the_reviewer_choose(runtime, scenario):
    assert after_review(runtime, scenario, "onsite", 60, True, **OTHERS[scenario]) == "onsite"
    assert after_review(runtime, scenario, "video", 60, True, **OTHERS[scenario]) == "video"
