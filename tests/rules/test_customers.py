"""QBO customer names: the candidate per customer mode and QBO's display-name rules."""

from __future__ import annotations

import pytest

from rules.customers import clean_display_name, customer_for_order, deduplicated_name
from rules.orders import parse_order
from tests.rules import companies
from tests.rules.builders import make_order


@pytest.mark.parametrize(
    ("mode", "order", "name", "email"),
    [
        ("original", {}, "Jane Doe", "jane@example.com"),
        (
            "original",
            {"customer": (None, None, "solo@example.com")},
            "solo@example.com",
            "solo@example.com",
        ),
        ("original", {"customer": None}, "Shopify customer #1001", None),
        ("company", {"company": "Acme: Garden Supplies"}, "Acme - Garden Supplies", None),
        ("company", {"company": None}, "Jane Doe", "jane@example.com"),
        ("generic", {"company": "Acme"}, "Shopify Sales", None),
    ],
)
def test_candidate_name_per_customer_mode(mode, order, name, email):
    options = companies.options("uk", customer_mode=mode)
    spec = customer_for_order(parse_order(make_order(**order)), options)
    assert (spec.display_name, spec.email) == (name, email)
    assert spec.generic is (mode == "generic")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Jane   Doe ", "Jane Doe"),
        ("A:B:C", "A - B - C"),
        ('Zoë Ø\'Brien \\ "Co"', 'Zoë Ø\'Brien \\ "Co"'),
        ("x" * 150, "x" * 100),
    ],
)
def test_display_names_follow_qbo_rules(raw, clean):
    assert clean_display_name(raw) == clean


@pytest.mark.parametrize(
    ("attempt", "customer_id", "name"),
    [
        (1, None, "Jane Doe"),
        (2, None, "Jane Doe (2)"),
        (3, None, "Jane Doe (3)"),
        (2, "gid://shopify/Customer/777", "Jane Doe (Shopify 777)"),
        (3, "gid://shopify/Customer/777", "Jane Doe (2)"),
    ],
)
def test_collision_suffix_is_deterministic(attempt, customer_id, name):
    assert deduplicated_name("Jane Doe", attempt, customer_id) == name


def test_suffix_keeps_the_name_within_100_characters():
    name = deduplicated_name("y" * 100, 12)
    assert len(name) == 100 and name.endswith(" (12)")
