"""The demo store's catalog, customers and US sales taxes (data for seed.py)."""

from __future__ import annotations

from decimal import Decimal

# (size, sku, price); one product has quotes and non-ASCII in title and SKU on purpose.
PRODUCTS = [
    {
        "title": "Classic Cotton T-Shirt",
        "vendor": "Northwind",
        "type": "Apparel",
        "variants": [
            ("S", "TS-CLS-S", "19.00"),
            ("M", "TS-CLS-M", "19.00"),
            ("L", "TS-CLS-L", "21.00"),
        ],
    },
    {
        "title": "Merino Wool Sweater",
        "vendor": "Northwind",
        "type": "Apparel",
        "variants": [("M", "SW-MER-M", "89.00"), ("L", "SW-MER-L", "89.00")],
    },
    {
        "title": "Rain Jacket",
        "vendor": "Northwind",
        "type": "Apparel",
        "variants": [("M", "JK-RAIN-M", "129.50"), ("L", "JK-RAIN-L", "129.50")],
    },
    {
        "title": "Canvas Tote Bag",
        "vendor": "Harbor Goods",
        "type": "Bags",
        "variants": [("One size", "BAG-TOTE", "24.00")],
    },
    {
        "title": "Leather Weekender",
        "vendor": "Harbor Goods",
        "type": "Bags",
        "variants": [("One size", "BAG-WKND", "249.00")],
    },
    {
        "title": 'Café "Barista" Mug — Crème',
        "vendor": "Kaffeehaus Müller",
        "type": "Kitchen",
        "variants": [("12 oz", 'MUG-"BARISTA"-CRÈME', "14.50")],
    },
    {
        "title": "Pour-Over Coffee Kit",
        "vendor": "Kaffeehaus Müller",
        "type": "Kitchen",
        "variants": [("Standard", "KIT-POUR", "48.00")],
    },
    {
        "title": "Single-Origin Beans 1kg",
        "vendor": "Kaffeehaus Müller",
        "type": "Food",
        "variants": [("Ethiopia", "BEAN-ETH-1KG", "32.00"), ("Colombia", "BEAN-COL-1KG", "29.00")],
    },
    {
        "title": "Stainless Water Bottle",
        "vendor": "Trailhead",
        "type": "Outdoor",
        "variants": [("500 ml", "BTL-500", "22.00"), ("1 l", "BTL-1000", "27.00")],
    },
    {
        "title": "Trail Running Socks",
        "vendor": "Trailhead",
        "type": "Apparel",
        "variants": [("M", "SOCK-TR-M", "12.99"), ("L", "SOCK-TR-L", "12.99")],
    },
    {
        "title": "Headlamp 300",
        "vendor": "Trailhead",
        "type": "Outdoor",
        "variants": [("Standard", "LAMP-300", "39.95")],
    },
    {
        "title": "Camping Hammock",
        "vendor": "Trailhead",
        "type": "Outdoor",
        "variants": [("Standard", "HAM-STD", "64.00")],
    },
    {
        "title": "Beeswax Candle",
        "vendor": "Lumen & Co",
        "type": "Home",
        "variants": [("Small", "CNDL-S", "9.50"), ("Large", "CNDL-L", "18.00")],
    },
    {
        "title": "Linen Napkins (Set of 4)",
        "vendor": "Lumen & Co",
        "type": "Home",
        "variants": [("Natural", "NAP-LIN-NAT", "28.00")],
    },
    {
        "title": "Ceramic Planter",
        "vendor": "Lumen & Co",
        "type": "Home",
        "variants": [("Small", "PLNT-S", "21.00"), ("Medium", "PLNT-M", "34.00")],
    },
    {
        "title": "Notebook A5 Dot Grid",
        "vendor": "Paper Trail",
        "type": "Stationery",
        "variants": [("Black", "NB-A5-BLK", "15.00")],
    },
    {
        "title": "Fountain Pen",
        "vendor": "Paper Trail",
        "type": "Stationery",
        "variants": [("Fine", "PEN-FP-F", "45.00")],
    },
    {
        "title": "Desk Organizer",
        "vendor": "Paper Trail",
        "type": "Stationery",
        "variants": [("Walnut", "ORG-WAL", "58.00")],
    },
    {
        "title": "Gift Wrap Service",
        "vendor": "Ledgerbridge Demo",
        "type": "Service",
        "variants": [("Standard", "SRV-GIFTWRAP", "4.00")],
    },
    {
        "title": "Wool Beanie",
        "vendor": "Northwind",
        "type": "Apparel",
        "variants": [("One size", "HAT-BEANIE", "26.00")],
    },
]

CUSTOMERS = [
    {"email": "ava.martin@example.com", "firstName": "Ava", "lastName": "Martin"},
    {"email": "liam.chen@example.com", "firstName": "Liam", "lastName": "Chen"},
    {"email": "sofia.garcia@example.com", "firstName": "Sofía", "lastName": "García"},
    {"email": "noah.smith@example.com", "firstName": "Noah", "lastName": "Smith"},
    {"email": "orders@acme-corp.example.com", "firstName": "Acme", "lastName": "Purchasing"},
    {"email": "zoe.oconnor@example.com", "firstName": "Zoë", "lastName": "O'Connor"},
    {"email": "mateo.rossi@example.com", "firstName": "Mateo", "lastName": "Rossi"},
    {"email": "emma.jones@example.com", "firstName": "Emma", "lastName": "Jones"},
]

# (tax line title, rate) for a few US states.
US_TAXES = [
    ("NY State Tax", Decimal("0.08875")),
    ("CA State Tax", Decimal("0.0725")),
    ("TX State Tax", Decimal("0.0625")),
    ("WA State Tax", Decimal("0.065")),
    ("OR State Tax", Decimal("0")),
]
