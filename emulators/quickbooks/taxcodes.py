"""Tax codes and rates: shared by the templates and the TaxService endpoint.

ref: https://developer.intuit.com/app/developer/qbo/api/docs/api/accounting/all-entities/taxservice
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from emulators.quickbooks import crud
from emulators.quickbooks.faults import QBOFault, required
from emulators.quickbooks.money import dec
from emulators.quickbooks.store import Company


def rate(company: Company, name: str, percent: Decimal, agency: str = "1") -> dict[str, Any]:
    """The TaxRate called `name`, created if missing."""
    for existing in company.all("TaxRate"):
        if existing["Name"] == name:
            return existing
    entity = {"Name": name, "RateValue": percent, "AgencyRef": {"value": agency}, "Active": True}
    return company.add("TaxRate", entity)


def add_code(company: Company, name: str, rates: list[dict[str, Any]]) -> dict[str, Any]:
    """A TaxCode whose sales rate list holds `rates` (a group when more than one)."""
    details = [
        {
            "TaxRateRef": {"value": r["Id"], "name": r["Name"]},
            "TaxTypeApplicable": "TaxOnAmount",
            "TaxOrder": 0,
        }
        for r in rates
    ]
    return company.add(
        "TaxCode",
        {
            "Name": name,
            "Active": True,
            "Taxable": True,
            "TaxGroup": len(details) > 1,
            "SalesTaxRateList": {"TaxRateDetail": details},
            "PurchaseTaxRateList": {"TaxRateDetail": []},
        },
    )


def _detail(d: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    """One TaxRateDetails entry of the TaxService response."""
    return {
        "TaxRateName": r["Name"],
        "TaxRateId": r["Id"],
        "RateValue": r["RateValue"],
        "TaxAgencyId": r["AgencyRef"]["value"],
        "TaxApplicableOn": d.get("TaxApplicableOn", "Sales"),
    }


def create_tax_code(company: Company, body: dict[str, Any]) -> dict[str, Any]:
    """POST /taxservice/taxcode: a TaxCode from existing (TaxRateId) or new TaxRates."""
    name = body.get("TaxCode")
    if not name:
        raise required("TaxCode")
    if any(c.get("Name") == name for c in company.all("TaxCode")):
        raise QBOFault(
            "6240",
            "Duplicate Name Exists Error",
            f"The name supplied already exists. : TaxCode {name}",
        )
    with crud.atomic(company):
        rates = []
        for d in body.get("TaxRateDetails") or []:
            found = company.get("TaxRate", d["TaxRateId"]) if d.get("TaxRateId") else None
            rates.append(
                (
                    d,
                    found
                    or rate(
                        company,
                        str(d.get("TaxRateName")),
                        dec(d.get("RateValue")),
                        str(d.get("TaxAgencyId", "1")),
                    ),
                )
            )
        code = add_code(company, name, [r for _, r in rates])
    return {
        "TaxCode": name,
        "TaxCodeId": code["Id"],
        "TaxRateDetails": [_detail(d, r) for d, r in rates],
    }
