"""Demo QuickBooks companies the emulator offers on its consent page, and the invoices each one holds."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

MAX_COMPANY_NAME_LENGTH = 200


@dataclass(frozen=True)
class DemoCompany:
    """A QuickBooks company (realm) a user can connect an app to."""

    realm_id: str
    name: str

    def __post_init__(self) -> None:
        if not isinstance(self.realm_id, str) or not self.realm_id.isascii() or not self.realm_id.isdigit():
            raise ValueError("realm_id must be a non-empty string of ASCII digits")
        if len(self.realm_id) > 32:
            raise ValueError("realm_id is too long")
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError("company name must be a non-empty string")
        if len(self.name) > MAX_COMPANY_NAME_LENGTH:
            raise ValueError("company name is too long")


# Realm ids of the lengths Intuit hands out (15 to 19 digits), so nothing sized to one length passes by luck.
DEFAULT_COMPANIES: tuple[DemoCompany, ...] = (
    DemoCompany(realm_id="9341452718063011", name="Harbor Lane Bakery"),
    DemoCompany(realm_id="123146326029514", name="Pinecrest Plumbing & Heating"),
    DemoCompany(realm_id="4620816365287351902", name="Blue Heron Bookkeeping"),
)


def checked_companies(companies: object) -> tuple[DemoCompany, ...]:
    """Return the companies as a tuple after checking they are usable."""
    result = tuple(companies)  # type: ignore[call-overload]
    if not result:
        raise ValueError("at least one demo company is required")
    if not all(isinstance(company, DemoCompany) for company in result):
        raise TypeError("companies must be DemoCompany instances")
    realm_ids = [company.realm_id for company in result]
    if len(set(realm_ids)) != len(realm_ids):
        raise ValueError("demo companies must have distinct realm ids")
    return result


_CUSTOMERS = ("Amy's Bird Sanctuary", "Bill's Windsurf Shop", "Cool Cars", "Diego Rodriguez", "Dukes Basketball Camp")
INVOICES_PER_COMPANY = 3


def invoices_of(company: DemoCompany) -> list[dict[str, object]]:
    """A few invoices shaped like the Accounting API's Invoice entity, the same for a company every time."""
    seed = hashlib.sha256(company.realm_id.encode("ascii")).digest()
    invoices = []
    for number in range(1, INVOICES_PER_COMPANY + 1):
        customer = seed[number] % len(_CUSTOMERS)
        cents = 10_000 + int.from_bytes(seed[8 + 2 * number : 10 + 2 * number], "big") * 7
        total = f"{cents // 100}.{cents % 100:02d}"
        invoices.append({
            "Id": str(100 + number),
            "SyncToken": "0",
            "DocNumber": f"{1000 + number}",
            "TxnDate": f"2026-0{number}-15",
            "DueDate": f"2026-0{number + 1}-14",
            "CustomerRef": {"value": str(customer + 1), "name": _CUSTOMERS[customer]},
            "CurrencyRef": {"value": "USD", "name": "United States Dollar"},
            "TotalAmt": float(total),
            "Balance": float(total) if number == INVOICES_PER_COMPANY else 0.0,
            "domain": "QBO",
            "sparse": False,
            "MetaData": {"CreateTime": f"2026-0{number}-15T09:00:00-08:00",
                         "LastUpdatedTime": f"2026-0{number}-15T09:00:00-08:00"},
        })
    return invoices
