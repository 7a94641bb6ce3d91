#!/usr/bin/env python3
"""Generate the bundled demo portfolio in examples/demo/.

Deterministic (random.Random(2026), standard library only). Run from anywhere:

    python3 tools/gen_demo.py

It writes one CSV per entity set (file names and headers taken from
Sources/Portfolio/Catalog.swift and Schema.swift, parsed, never retyped), settings.csv and
README.md, then validates the result (unique ids, resolvable references, enum values, date
shapes, EVM series) and checks that every deliberate governance problem listed in the
README is present. Any failure aborts with a non-zero exit.

The portfolio belongs to a fictional company, Meridian Health Technologies: a medical
device maker that also runs Medicaid behavioral health services and sells on-line.
The data date is 2026-11-20 (a Friday).
"""

import csv
import datetime as dt
import os
import random
import re
import sys
from decimal import Decimal, ROUND_HALF_UP
from fractions import Fraction

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "examples", "demo")
CATALOG = os.path.join(ROOT, "Sources", "Portfolio", "Catalog.swift")
SCHEMA = os.path.join(ROOT, "Sources", "Portfolio", "Schema.swift")

rng = random.Random(2026)

STATUS_DATE = dt.date(2026, 11, 20)          # the portfolio's data date (a Friday)
TS_FIRST = dt.date(2026, 6, 1)               # first timesheet week (Monday)
TS_LAST = dt.date(2026, 11, 16)              # last timesheet week (Monday)
ALLOC_FIRST = dt.date(2026, 6, 1)
ALLOC_LAST = dt.date(2027, 3, 31)
HOLIDAYS = {dt.date(2026, 7, 3), dt.date(2026, 9, 7)}   # for timesheet hours only
DOMAIN = "meridianhealth.example"


def D(s):
    return dt.date.fromisoformat(s)


def days(n):
    return dt.timedelta(days=n)


def friday_on_or_before(d):
    return d - days((d.weekday() - 4) % 7)


def friday_on_or_after(d):
    return d + days((4 - d.weekday()) % 7)


def monday_on_or_after(d):
    return d + days((0 - d.weekday()) % 7)


def monday_on_or_before(d):
    return d - days(d.weekday())


def weekday(d):
    """The date moved off a weekend: Saturday to Friday, Sunday to Monday."""
    if d is None:
        return None
    if d.weekday() == 5:
        return d - days(1)
    if d.weekday() == 6:
        return d + days(1)
    return d


def working_days(a, b, holidays=frozenset()):
    """Mon-Fri days in [a, b] (inclusive), minus holidays."""
    n = 0
    x = a
    while x <= b:
        if x.weekday() < 5 and x not in holidays:
            n += 1
        x += days(1)
    return n


def money(x):
    """Plain decimal money: whole dollars without decimals, else two decimals."""
    q = Decimal(str(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if q == q.to_integral_value():
        return str(int(q))
    return f"{q:.2f}"


def frac(x, places=2):
    """A fraction such as 0.85 (percent fields); trailing zeros dropped."""
    q = Decimal(str(x)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    s = f"{q:f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def hours(x):
    return frac(x, 2)


# --------------------------------------------------------------------------------------
# Schema, parsed from the Swift sources (the single source of truth)
# --------------------------------------------------------------------------------------

def parse_schema():
    schema_src = open(SCHEMA, encoding="utf-8").read()
    catalog_src = open(CATALOG, encoding="utf-8").read()
    m = re.search(r"var setName: String \{(.*?)\n    \}", schema_src, re.S)
    if not m:
        sys.exit("cannot find EntityKind.setName in Schema.swift")
    set_names = dict(re.findall(r'case \.(\w+): return "(\w+)"', m.group(1)))
    enums = {}
    for name, body in re.findall(r'static let (\w+) = EnumType\("\w+", \[(.*?)\]\)', schema_src):
        enums[name] = re.findall(r'"([^"]+)"', body)
    start = catalog_src.index("switch k {")
    end = catalog_src.index("/// Earned value fields")
    parts = re.split(r"\n\s*case \.(\w+):", catalog_src[start:end])
    entities = {}
    for kind, text in zip(parts[1::2], parts[2::2]):
        fields = []
        for fname, ftype, arg, rest in re.findall(
                r'(?<![A-Za-z])FieldDef\("(\w+)",\s*\.(\w+)(?:\(\.(\w+)\))?([^\n]*)', text):
            fields.append((fname, ftype, arg or None, "required: true" in rest))
        if kind not in set_names:
            sys.exit(f"entity kind .{kind} in Catalog.swift has no setName in Schema.swift")
        entities[set_names[kind]] = {"kind": kind, "fields": fields}
    kind_to_set = {v["kind"]: k for k, v in entities.items()}
    if len(entities) != 16:
        sys.exit(f"expected 16 entity sets in Catalog.swift, found {len(entities)}")
    return entities, enums, kind_to_set


ENTITIES, ENUMS, KIND_TO_SET = parse_schema()


def header(set_name):
    # msp_* task fields hold MS Project's own figures from MSPDI imports: never in the demo's CSV.
    return [f[0] for f in ENTITIES[set_name]["fields"] if not f[0].startswith("msp_")]


# --------------------------------------------------------------------------------------
# People, portfolios, programs
# --------------------------------------------------------------------------------------

PEOPLE = [
    ("P-001", "Margaret Chen", "Finance"),
    ("P-002", "David Okafor", "Operations"),
    ("P-003", "Sarah Lindqvist", "Digital"),
    ("P-004", "Robert Alvarez", "PMO"),
    ("P-005", "Priya Raman", "Finance"),
    ("P-006", "James Whitfield", "IT"),
    ("P-007", "Elena Petrova", "Regulatory Affairs"),
    ("P-008", "Marcus Johnson", "Behavioral Health Services"),
    ("P-009", "Aisha Mohammed", "Information Security"),
    ("P-010", "Thomas Becker", "Supply Chain"),
    ("P-011", "Laura Nguyen", "Human Resources"),
    ("P-012", "Kevin O'Brien", "Sales & Service"),
    ("P-013", "Nadia Haddad", "PMO"),
    ("P-014", "Carlos Mendes", "PMO"),
    ("P-015", "Hannah Schultz", "PMO"),
    ("P-016", "Daniel Kim", "IT"),
    ("P-017", "Olivia Brooks", "IT"),
    ("P-018", "Samuel Adeyemi", "Finance"),
    ("P-019", "Rachel Goldberg", "Regulatory Affairs"),
    ("P-020", "Victor Ionescu", "IT"),
    ("P-021", "Mei Tanaka", "Digital"),
    ("P-022", "Grace Mwangi", "Behavioral Health Services"),
    ("P-023", "Ahmed Karimi", "Information Security"),
    ("P-024", "Julia Santos", "Digital"),
    ("P-025", "Benjamin Foster", "Human Resources"),
    ("P-026", "Sofia Rossi", "Data & Analytics"),
    ("P-027", "Patrick Doyle", "Supply Chain"),
    ("P-028", "Isabel Moreno", "Quality"),
    ("P-029", "Wei Zhang", "Data & Analytics"),
    ("P-030", "Fatima Diallo", "Behavioral Health Services"),
    ("P-031", "Michael Reyes", "Legal & Compliance"),
]


def email(name):
    first, last = name.lower().split(" ", 1)
    last = re.sub(r"[^a-z]", "", last)
    return f"{first}.{last}@{DOMAIN}"


PORTFOLIOS = [
    ("PF-1", "Enterprise Transformation", "P-002", 45_000_000),
    ("PF-2", "Regulatory & Compliance", "P-031", 22_000_000),
    ("PF-3", "Digital Commerce", "P-003", 20_000_000),   # deliberately below its projects' Σ bac
]

PROGRAMS = [
    ("PRG-01", "ERP Modernization (SAP S/4HANA)", "PF-1", "P-013", "P-001", "active"),
    ("PRG-02", "Order-to-Cash Transformation", "PF-1", "P-014", "P-005", "active"),
    ("PRG-03", "Data & Analytics", "PF-1", "P-026", "P-006", "active"),
    ("PRG-04", "Workplace & PMO Systems", "PF-1", "P-015", "P-011", "active"),
    ("PRG-05", "Medicaid Behavioral Health", "PF-2", "P-022", "P-008", "active"),
    ("PRG-06", "Product Regulatory Submissions", "PF-2", "P-019", "P-007", "active"),
    ("PRG-07", "Information Security & Compliance", "PF-2", "P-023", "P-009", "active"),
    ("PRG-08", "E-commerce Platform Replacement", "PF-3", "P-021", "P-003", "active"),
    ("PRG-09", "Customer Experience", "PF-3", "P-024", "P-012", "active"),
]
PROGRAM_PORTFOLIO = {p[0]: p[2] for p in PROGRAMS}

# --------------------------------------------------------------------------------------
# Projects
#   key: short handle used inside this script; ids are assigned in list order (PRJ-0001...)
#   cat: category for task, risk and issue templates
#   cpi/spi: the indices of the latest status report (None: no reports)
#   c0/s0: the indices nine-ish weeks earlier (the trend)
#   last/n: date and number of weekly status reports
# --------------------------------------------------------------------------------------

def proj(key, name, code, prog, mgr, sponsor, state, phase, prio, start, finish, bl, bac, bc,
         tags, cat, cpi=None, spi=None, c0=None, s0=None, last=None, n=9, scope="green",
         status=None, why="", **extra):
    p = dict(key=key, name=name, code=code, program=prog, manager=mgr, sponsor=sponsor,
             state=state, phase=phase, priority=prio, start=D(start), finish=D(finish),
             baseline_finish=D(bl), bac=bac, business_case=bc, tags=tags, cat=cat,
             cpi=cpi, spi=spi, c0=c0 if c0 is not None else cpi, s0=s0 if s0 is not None else spi,
             last=D(last) if last else STATUS_DATE, n=n, scope=scope, imported_status=status,
             why=why)
    p.update(extra)
    return p


PROJECTS = [
    # ---- PF-1 Enterprise Transformation ------------------------------------------------
    proj("S4FIN", "SAP S/4HANA Finance Rollout", "ERP-FIN", "PRG-01", "P-016", "P-001",
         "active", "execution", 95, "2025-09-01", "2027-06-30", "2027-03-31", 12_000_000,
         "approved", "erp;sap;finance;strategic", "erp", cpi=0.87, spi=0.85, c0=0.93, s0=0.92,
         why="integration test cycle 2 blocked by open interface defects and mock load 3 slipped"),
    proj("S4SCM", "SAP S/4HANA Supply Chain Rollout", "ERP-SCM", "PRG-01", "P-027", "P-010",
         "active", "execution", 85, "2026-01-12", "2027-09-30", "2027-09-30", 8_500_000,
         "approved", "erp;sap;supply-chain", "erp", cpi=0.93, spi=0.96, c0=0.96, s0=0.97,
         why="systems integrator change orders running ahead of budget"),
    proj("S4MIG", "SAP Data Migration & Cleansing", "ERP-MIG", "PRG-01", "P-020", "P-005",
         "active", "execution", 80, "2026-03-02", "2027-04-30", "2027-03-31", 2_400_000,
         "approved", "erp;sap;data", "data", cpi=0.96, spi=0.92, c0=0.97, s0=0.95,
         why="customer and vendor master cleansing behind plan"),
    proj("S4OCM", "SAP Change Management & Training", "ERP-OCM", "PRG-01", "P-025", "P-011",
         "approved", "planning", 60, "2026-10-05", "2027-08-31", "2027-08-31", 950_000,
         "submitted", "erp;sap;change-management", "hr", status="green"),
    proj("LEGDEC", "Oracle E-Business Suite Decommissioning", "ERP-DEC", "PRG-01", "P-016",
         "P-006", "idea", "initiation", 30, "2027-04-05", "2027-12-17", "2027-12-17", 600_000,
         None, "erp;decommission", "erp", status="green"),
    proj("RECV", "Receivables Platform Replacement", "OTC-AR", "PRG-02", "P-018", "P-005",
         "active", "execution", 90, "2025-11-03", "2027-02-26", "2026-12-18", 4_800_000,
         "approved", "finance;order-to-cash;strategic", "finance", cpi=0.91, spi=0.86, c0=0.95,
         s0=0.93, why="cut-over moved behind the year-end close freeze; lockbox testing late"),
    proj("CAP", "Contract Acquisition Process Redesign", "OTC-CAP", "PRG-02", "P-017", "P-012",
         "active", "execution", 65, "2026-04-06", "2027-01-29", "2027-01-29", 1_100_000,
         "approved", "order-to-cash;process", "finance", cpi=0.97, spi=0.93, c0=0.98, s0=0.96,
         why="legal review of new contract templates taking longer than planned"),
    proj("UCM", "Universal Customer Master", "OTC-UCM", "PRG-02", "P-029", None,
         "active", "execution", 75, "2026-02-02", "2027-05-28", "2027-05-28", 3_200_000,
         "approved", "order-to-cash;master-data", "data", cpi=1.01, spi=0.98, c0=1.00, s0=0.97),
    proj("CCA", "Credit & Collections Automation", "OTC-CCA", "PRG-02", "P-018", "P-005",
         "closed", "closed", 50, "2026-01-05", "2026-08-14", "2026-08-14", 450_000,
         "approved", "order-to-cash;automation", "finance", cpi=0.98, spi=1.00, c0=0.97,
         s0=0.97, n=8),
    proj("EDW", "Enterprise Data Warehouse (Snowflake)", "DA-EDW", "PRG-03", "P-026", "P-006",
         "active", "execution", 80, "2026-01-05", "2027-03-31", "2027-03-31", 3_600_000,
         "approved", "data;analytics;cloud", "data", cpi=0.86, spi=0.88, c0=0.93, s0=0.94,
         watermelon=True),
    proj("BI", "Executive KPI Dashboards", "DA-KPI", "PRG-03", "P-026", None,
         "active", "execution", 55, "2026-05-04", "2026-12-11", "2026-11-27", 380_000,
         "approved", "analytics;reporting", "data", cpi=0.99, spi=0.96, c0=0.98, s0=0.97),
    proj("EVR", "Earned Value Reporting System", "PMO-EVR", "PRG-04", "P-015", "P-004",
         "active", "execution", 50, "2026-07-06", "2027-01-29", "2027-01-29", 290_000,
         "approved", "pmo;evm;reporting", "pmo", cpi=1.03, spi=1.01, c0=1.02, s0=1.00),
    proj("PAY", "Payroll System Replacement (Workday Payroll)", "HR-PAY", "PRG-04", "P-025",
         "P-011", "active", "execution", 85, "2026-03-02", "2027-01-29", "2026-12-31",
         2_100_000, "approved", "hr;payroll", "hr", cpi=0.94, spi=0.91, c0=0.96, s0=0.95,
         why="parallel payroll run 1 did not reconcile; second run scheduled"),
    proj("HRIS", "Workday HCM Cloud Migration", "HR-HCM", "PRG-04", "P-025", "P-011",
         "active", "closing", 70, "2025-10-06", "2026-11-30", "2026-11-30", 1_750_000,
         "approved", "hr;cloud", "hr", cpi=0.98, spi=0.97, c0=0.97, s0=0.96),
    proj("TNA", "Time & Attendance Upgrade", "HR-TNA", "PRG-04", "P-015", "P-011",
         "closed", "closed", 40, "2026-02-02", "2026-07-31", "2026-07-31", 240_000,
         "approved", "hr;upgrade", "hr", cpi=1.02, spi=1.00, c0=1.01, s0=0.98, n=8),
    proj("PPM", "PPM Tool & SharePoint PMO Portal", "PMO-PPM", "PRG-04", "P-015", "P-004",
         "active", "execution", 45, "2026-04-06", "2027-02-26", "2027-02-26", 520_000,
         "approved", "pmo;sharepoint;tooling", "pmo", cpi=0.97, spi=0.93, c0=0.98, s0=0.95,
         last="2026-10-30", why="resource management module configuration behind plan"),
    # ---- PF-2 Regulatory & Compliance --------------------------------------------------
    proj("MBHDX", "Medicaid Behavioral Health Data Exchange", "BH-HIE", "PRG-05", "P-022",
         "P-008", "active", "execution", 95, "2025-10-06", "2027-06-30", "2027-03-31",
         5_400_000, "approved", "medicaid;behavioral-health;interoperability;strategic",
         "health", cpi=0.88, spi=0.86, c0=0.93, s0=0.92, scope="amber",
         why="state HIE certification slipped; FHIR scope request under review"),
    proj("PAIP", "Prior Authorization Intake Portal", "BH-PA", "PRG-05", "P-022", "P-008",
         "active", "execution", 80, "2026-03-02", "2027-03-26", "2027-03-26", 1_900_000,
         "approved", "medicaid;behavioral-health;portal", "health", cpi=0.92, spi=0.97,
         c0=0.95, s0=0.98, why="payer integration rates above estimate"),
    proj("TXQM", "Texas Medicaid Quality Measures Reporting", "BH-TXQ", "PRG-05", "P-030",
         "P-008", "active", "execution", 75, "2026-02-02", "2027-01-29", "2027-01-29",
         850_000, "approved", "medicaid;texas;quality-measures", "health", cpi=0.96, spi=0.87,
         c0=0.97, s0=0.93, why="HEDIS measure specifications changed mid-build"),
    proj("ENC", "Managed Care Encounter Data Submission", "BH-ENC", "PRG-05", "P-014", "P-008",
         "active", "execution", 70, "2026-06-01", "2027-04-30", "2027-04-30", 1_300_000,
         "approved", "medicaid;encounters;claims", "health", cpi=None, spi=0.97, c0=None,
         s0=0.98, ac_zero=True),
    proj("FDA", "FDA 510(k) Submission - CGM-200 Glucose Monitor", "REG-510K", "PRG-06",
         "P-019", "P-007", "active", "execution", 98, "2025-12-01", "2027-02-26", "2026-12-18",
         2_800_000, "approved", "fda;510k;medical-device;strategic", "regulatory", cpi=0.92,
         spi=0.84, c0=0.95, s0=0.91,
         why="biocompatibility, IEC 62304 documentation and IEC 60601 testing all late"),
    proj("EOP2", "FDA End-of-Phase 2 Meeting Preparation", "REG-EOP2", "PRG-06", "P-028",
         "P-007", "active", "closing", 85, "2026-05-04", "2026-10-30", "2026-10-30", 420_000,
         "approved", "fda;clinical", "regulatory", cpi=1.00, spi=0.99, c0=0.99, s0=0.97,
         last="2026-10-30", n=10),
    proj("MDR", "EU MDR Technical Documentation Remediation", "REG-MDR", "PRG-06", "P-028",
         "P-007", "approved", "planning", 70, "2026-09-07", "2027-12-17", "2027-12-17",
         1_600_000, "submitted", "eu-mdr;medical-device", "regulatory", cpi=0.97, spi=0.92,
         c0=0.98, s0=0.96, why="notified body questions on the gap assessment"),
    proj("PMS", "Post-Market Surveillance System", "REG-PMS", "PRG-06", "P-019", "P-007",
         "proposed", "initiation", 55, "2026-10-05", "2027-09-30", "2027-09-30", 900_000,
         "draft", "fda;post-market;quality", "regulatory", cpi=0.98, spi=None, c0=0.99,
         s0=None, pv_zero=True),
    proj("CTDM", "Clinical Trial Data Management Upgrade", "REG-CTDM", "PRG-06", "P-028",
         "P-002", "cancelled", "closed", 20, "2026-02-02", "2027-01-29", "2027-01-29", 750_000,
         "approved", "clinical;data;cancelled", "data", status="amber",
         cancelled_on=D("2026-07-17")),
    proj("ISO", "ISO 27001 Certification", "SEC-ISO", "PRG-07", "P-023", "P-009",
         "active", "execution", 85, "2026-01-05", "2027-02-26", "2027-02-26", 1_200_000,
         "approved", "security;iso27001;compliance", "security", cpi=0.96, spi=0.92, c0=0.97,
         s0=0.95, why="Annex A control evidence collection behind for two sites"),
    proj("SOC2", "SOC 2 Type II Readiness", "SEC-SOC2", "PRG-07", "P-023", "P-009",
         "active", "execution", 75, "2026-04-06", "2026-12-31", "2026-12-31", 780_000,
         "approved", "security;soc2;compliance", "security", cpi=1.00, spi=0.97, c0=0.99,
         s0=0.97),
    proj("IAM", "Identity & Access Management Modernization", "SEC-IAM", "PRG-07", "P-020",
         None, "active", "execution", 80, "2026-02-02", "2027-06-30", "2027-06-30", 2_600_000,
         "approved", "security;identity", "security", cpi=0.98, spi=0.96, c0=0.99, s0=0.97),
    proj("SAT", "Security Awareness & Phishing Program", "SEC-SAT", "PRG-07", "P-023", "P-009",
         "active", "execution", 40, "2026-06-01", "2027-05-28", "2027-05-28", 165_000,
         "approved", "security;training", "security", cpi=1.05, spi=1.02, c0=1.03, s0=1.01),
    # ---- PF-3 Digital Commerce ---------------------------------------------------------
    proj("ECOM", "E-commerce Replatforming (Salesforce Commerce Cloud)", "DC-ECOM", "PRG-08",
         "P-021", "P-003", "active", "execution", 95, "2025-09-01", "2027-05-28", "2027-01-29",
         9_500_000, "approved", "ecommerce;salesforce;strategic", "digital", cpi=0.88,
         spi=0.87, c0=0.94, s0=0.93, scope="amber",
         why="checkout and ERP order integration defects; performance tests failed twice"),
    proj("PIM", "Product Information Management (Akeneo)", "DC-PIM", "PRG-08", "P-024", "P-003",
         "active", "execution", 75, "2026-02-02", "2027-01-29", "2027-01-29", 1_450_000,
         "approved", "ecommerce;pim;master-data", "digital", cpi=0.96, spi=0.93, c0=0.98,
         s0=0.96, scope="amber", why="supplier data onboarding slower than planned"),
    proj("PAYG", "Payment Gateway Migration (Adyen)", "DC-PAY", "PRG-08", "P-024", "P-005",
         "active", "execution", 80, "2026-05-04", "2026-12-18", "2026-12-18", 680_000,
         "approved", "ecommerce;payments;pci", "digital", cpi=1.01, spi=0.97, c0=1.00, s0=0.97),
    proj("OMS", "Order Management System Integration", "DC-OMS", "PRG-08", "P-021", None,
         "approved", "planning", 70, "2026-10-05", "2027-10-29", "2027-10-29", 2_200_000,
         "submitted", "ecommerce;order-management", "digital", cpi=1.00, spi=0.98, c0=1.00,
         s0=0.99),
    proj("HYB", "Legacy Hybris Storefront Decommission", "DC-HYB", "PRG-08", "P-024", "P-003",
         "idea", "initiation", 25, "2027-06-07", "2027-10-29", "2027-10-29", 310_000, None,
         "ecommerce;decommission", "digital", status="green"),
    proj("CRM", "CRM Consolidation (Salesforce Sales Cloud)", "CX-CRM", "PRG-09", "P-017",
         "P-012", "active", "execution", 85, "2026-01-05", "2027-04-30", "2027-04-30",
         3_900_000, "approved", "crm;salesforce", "crm", cpi=0.97, spi=0.98, c0=0.98, s0=0.97),
    proj("CSP", "Customer Self-Service Portal", "CX-CSP", "PRG-09", "P-024", None,
         "closed", "closed", 60, "2025-09-01", "2026-09-30", "2026-09-30", 1_050_000,
         "approved", "crm;portal", "crm", cpi=0.96, spi=1.00, c0=0.95, s0=0.97, n=8),
    proj("MOB", "Mobile Ordering App Relaunch", "CX-MOB", "PRG-09", "P-021", "P-003",
         "on_hold", "planning", 50, "2026-08-03", "2027-06-30", "2027-06-30", 1_350_000,
         "approved", "mobile;ecommerce", "digital", cpi=0.97, spi=0.92, c0=0.98, s0=0.95,
         last="2026-09-25", n=8, why="put on hold pending the FY2027 budget decision"),
]

for i, p in enumerate(PROJECTS, 1):
    p["id"] = f"PRJ-{i:04d}"
    p["portfolio"] = PROGRAM_PORTFOLIO[p["program"]]
BY_KEY = {p["key"]: p for p in PROJECTS}


def pid(key):
    return BY_KEY[key]["id"]


# --------------------------------------------------------------------------------------
# Status reports (earned value series)
# --------------------------------------------------------------------------------------

def pv_fraction(x):
    """Planned value S-curve: half linear, half smoothstep."""
    x = min(max(x, 0.0), 1.0)
    return 0.5 * x + 0.5 * (3 * x * x - 2 * x * x * x)


def band(index):
    if index is None:
        return None
    if index >= 0.95:
        return "green"
    if index >= 0.90:
        return "amber"
    return "red"


RAG_ORDER = {"green": 0, "amber": 1, "red": 2}


def worst(*rags):
    rags = [r for r in rags if r]
    return max(rags, key=lambda r: RAG_ORDER[r]) if rags else None


def ratio(a, b):
    return None if b == 0 else a / b


SUMMARY_GREEN = [
    "On track against the baseline.",
    "Progress in line with plan; no escalations this week.",
    "All workstreams on track; next milestone on schedule.",
    "Delivery on plan; risks reviewed at the weekly stand-up.",
]


def report_dates(p):
    if p["state"] == "closed":
        last = friday_on_or_after(p["finish"])
    else:
        last = friday_on_or_before(p["last"])
    dates = [last - days(7 * k) for k in range(p["n"])][::-1]
    first_allowed = p["start"] + days(4)
    return [d for d in dates if d >= first_allowed]


def build_status_reports():
    rows = []
    for p in PROJECTS:
        if p["spi"] is None and p["cpi"] is None:
            p["reports"] = []
            continue
        dates = report_dates(p)
        n = len(dates)
        span = (p["baseline_finish"] - p["start"]).days
        prev = None
        series = []
        for k, d in enumerate(dates):
            t = k / (n - 1) if n > 1 else 1.0
            last = k == n - 1
            x = (d - p["start"]).days / span
            bac = p["bac"]
            closed_final = p["state"] == "closed" and last
            # planned value
            if p.get("pv_zero"):
                pv = 0
            else:
                pv = round(bac * pv_fraction(x))
            # earned value
            if p.get("pv_zero"):
                ev = round(bac * 0.0045 * (k + 1) * (1 + rng.uniform(-0.05, 0.05)))
            else:
                s = p["s0"] + (p["spi"] - p["s0"]) * t
                if not last:
                    s += rng.uniform(-0.005, 0.005)
                ev = round(pv * s)
                if closed_final:
                    ev = bac
            # actual cost
            if p.get("ac_zero"):
                ac = 0
            else:
                c = p["c0"] + (p["cpi"] - p["c0"]) * t
                if not last:
                    c += rng.uniform(-0.005, 0.005)
                ac = round(ev / c)
            if prev:
                # cumulative series never go down
                if not p.get("pv_zero"):
                    assert pv > prev[0], (p["key"], d, "pv must increase")
                if ev <= prev[1]:
                    ev = prev[1] + round(bac * 0.001)
                if not p.get("ac_zero") and ac <= prev[2]:
                    ac = prev[2] + round(bac * 0.001)
            ev = min(ev, bac)
            prev = (pv, ev, ac)
            cpi = ratio(ev, ac)
            spi = ratio(ev, pv)
            schedule = band(spi) or "green"
            cost = band(cpi) or "amber"        # no actuals yet: cost cannot be confirmed
            scope = p["scope"] if k >= n // 2 else "green"
            overall = worst(schedule, cost, scope)
            if p.get("watermelon"):
                schedule = cost = scope = overall = "green"
            if p.get("ac_zero"):
                summary = ("Actual costs not yet interfaced from the grant accounting system; "
                           "AC reported as 0 until the GL feed is fixed.")
            elif p.get("pv_zero"):
                summary = ("Initiation: discovery and business case work under way; the "
                           "performance measurement baseline is not set, so PV is 0.")
            elif p.get("watermelon"):
                summary = "All workstreams on track; no issues requiring escalation."
            elif p["state"] == "closed" and last:
                summary = "Project complete; closure report and lessons learned filed."
            elif p["state"] == "on_hold" and last:
                summary = "Project placed on hold " + p["why"] + "."
            elif overall == "green":
                summary = rng.choice(SUMMARY_GREEN)
            elif overall == "amber":
                summary = "Watch: " + p["why"] + "; recovery plan agreed with the sponsor."
            else:
                summary = ("Off track: " + p["why"] +
                           ". Escalated to the steering committee.")
            pc = Decimal(ev) / Decimal(bac)
            series.append(dict(project=p["id"], as_of=d, overall=overall, schedule=schedule,
                               cost=cost, scope=scope, pv=pv, ev=ev, ac=ac,
                               percent_complete=frac(pc, 2), summary=summary))
        p["reports"] = series
        rows.extend(series)
    return rows


# --------------------------------------------------------------------------------------
# Milestones
#   entries: (name, fraction of the timeline, key) or (name, "YYYY-MM-DD", key, "overdue"/"open")
# --------------------------------------------------------------------------------------

MILESTONES = {
    "S4FIN": [("Blueprint and fit-gap sign-off", 0.15, True), ("Build complete", 0.45, False),
              ("Integration test cycle 1 exit", 0.6, False),
              ("Integration test cycle 2 exit", "2026-10-30", False, "overdue"),
              ("Data migration mock load 3 signed off", "2026-11-13", False, "overdue"),
              ("Finance go-live (Wave 1)", 0.92, True)],
    "S4SCM": [("Solution design sign-off", 0.2, True), ("Build sprint 4 complete", 0.45, False),
              ("Integration test exit", 0.7, False), ("Data migration mock load 1", 0.8, False),
              ("Supply chain go-live", 0.95, True)],
    "S4MIG": [("Data migration strategy approved", 0.1, False), ("Mock load 1 complete", 0.35, False),
              ("Mock load 2 complete", 0.55, False), ("Mock load 3 complete", 0.72, False),
              ("Cut-over rehearsal", 0.85, True)],
    "S4OCM": [("Change impact assessment", 0.15, False), ("Training needs analysis", 0.3, False),
              ("Train-the-trainer complete", 0.7, True)],
    "LEGDEC": [("Decommission plan approved", 0.2, False), ("Oracle EBS read-only archive", 0.9, True)],
    "RECV": [("Vendor selection signed", 0.1, True), ("Design sign-off", 0.3, False),
             ("Lockbox integration tested", 0.7, False),
             ("Cash application parallel run", "2026-11-06", False, "overdue"),
             ("Receivables go-live", 0.97, True)],
    "CAP": [("Current-state process maps", 0.15, False), ("Contract template library approved", 0.5, False),
            ("CLM workflow live", 0.85, True), ("Process adoption review", 0.98, False)],
    "UCM": [("Golden record rules approved", 0.2, True), ("Data stewardship model approved", 0.3, False), ("Match/merge engine configured", 0.45, False),
            ("Customer data hub go-live", 0.8, True), ("Legacy customer lists retired", 0.97, False)],
    "CCA": [("Collections strategy approved", 0.2, False), ("Dunning automation live", 0.7, True),
            ("Project closure", 1.0, False)],
    "EDW": [("Architecture approved", 0.1, True), ("Finance subject area loaded", 0.4, False),
            ("Sales subject area loaded", 0.65, False),
            ("Medicaid claims subject area loaded", 0.8, False), ("Self-service BI launch", 0.95, True)],
    "BI": [("KPI definitions signed off", 0.2, False), ("Dashboard prototypes reviewed", 0.45, False),
           ("Data feeds from the EDW connected", 0.7, False),
           ("Executive dashboards live", 0.97, True)],
    "EVR": [("EVM reporting standard approved", 0.2, True), ("Cost feed from GL live", 0.55, False),
            ("First portfolio EVM report", 0.9, True)],
    "PAY": [("Payroll design sign-off", 0.2, False), ("Configuration complete", 0.5, False),
            ("Parallel payroll run 1 reconciled", "2026-11-13", False, "overdue"),
            ("Parallel payroll run 2 reconciled", 0.95, False), ("Payroll go-live", 1.0, True)],
    "HRIS": [("Tenant configured", 0.3, False), ("Data conversion complete", 0.6, False),
             ("Workday HCM go-live", 0.85, True), ("Hypercare exit", 0.99, False)],
    "TNA": [("Upgrade tested", 0.6, False), ("Time clocks upgraded", 0.9, True), ("Project closure", 1.0, False)],
    "PPM": [("PPM tool selected", 0.1, True), ("Project templates published", 0.4, False),
            ("Resource management module live", 0.7, False), ("SharePoint PMO portal launch", 0.95, True)],
    "MBHDX": [("Interface specifications approved", 0.2, True), ("HL7 v2 feeds built", 0.45, False),
              ("Trading partner testing complete", 0.6, False),
              ("State HIE connectivity certification", "2026-11-06", True, "overdue"),
              ("Production data exchange live", 0.95, True)],
    "PAIP": [("Intake workflow design approved", 0.2, False), ("Payer API integration built", 0.55, False),
             ("UAT start", "2026-11-20", False, "open"), ("Provider pilot", 0.8, False),
             ("Portal go-live", 0.95, True)],
    "TXQM": [("Measure specifications baselined", 0.15, False),
             ("State validation of measure logic", 0.4, False), ("Measure engine build complete", 0.55, False),
             ("First quarterly submission", 0.8, True), ("Annual submission", 0.98, True)],
    "ENC": [("Trading partner agreement signed", 0.08, False), ("837 encounter mapping approved", 0.2, False), ("Encounter validation engine built", 0.55, False),
            ("State test file accepted", 0.8, True), ("Production submissions", 0.97, True)],
    "FDA": [("Pre-submission (Q-Sub) meeting held", 0.15, True), ("Design verification complete", 0.45, False),
            ("Biocompatibility test report (ISO 10993) approved", "2026-10-16", False, "overdue"),
            ("Software documentation package (IEC 62304) complete", "2026-11-06", True, "overdue"),
            ("Electrical safety testing (IEC 60601) complete", "2026-11-13", False, "overdue"),
            ("510(k) submitted to FDA", 1.0, True)],
    "EOP2": [("Briefing package draft", 0.5, False), ("Briefing package submitted to FDA", 0.8, True),
             ("End-of-Phase 2 meeting held", 0.97, True)],
    "MDR": [("Gap assessment complete", 0.1, False), ("Technical file remediation plan", 0.25, True),
            ("Clinical evaluation reports updated", 0.5, False),
            ("Notified body pre-audit", 0.7, False), ("MDR certificate", 0.98, True)],
    "PMS": [("Business case approved", 0.1, True), ("Vendor shortlist", 0.3, False),
            ("Complaint handling module live", 0.8, False)],
    "CTDM": [("Requirements baselined", 0.1, False), ("Vendor demos complete", 0.35, False)],
    "ISO": [("ISMS scope and policy approved", 0.15, True), ("Risk treatment plan", 0.35, False),
            ("Internal audit complete", 0.7, False), ("Stage 1 certification audit", 0.82, True),
            ("Stage 2 certification audit", 0.97, True)],
    "SOC2": [("Trust services criteria mapped", 0.2, False), ("Control design remediation", 0.5, False),
             ("Observation window start", 0.6, True), ("Readiness assessment report", 0.97, True)],
    "IAM": [("Identity governance design", 0.15, False), ("SSO for tier-1 apps", 0.4, True),
            ("HR-driven provisioning live", 0.55, False),
            ("Privileged access management live", 0.7, False), ("Access certification campaign", 0.95, True)],
    "SAT": [("Training platform live", 0.15, False), ("First phishing simulation", 0.3, False),
            ("Annual awareness completion", 0.95, True)],
    "ECOM": [("Platform contract signed", 0.05, True), ("Storefront design approved", 0.25, False),
             ("Catalog and pricing integration", 0.5, False),
             ("Performance test sign-off", "2026-11-17", False, "overdue"),
             ("Soft launch (B2C)", 0.85, True), ("Full cut-over", 0.98, True)],
    "PIM": [("Data governance council chartered", 0.1, False), ("Data model approved", 0.2, False), ("Supplier onboarding wave 1", 0.5, False),
            ("PIM syndication to storefront", 0.8, True), ("Supplier onboarding wave 2", 0.97, False)],
    "PAYG": [("Adyen contract signed", 0.1, False), ("PCI scope assessment", 0.35, False),
             ("Payments cut-over", 0.9, True)],
    "OMS": [("OMS requirements baselined", 0.1, False), ("OMS vendor selected", 0.2, False), ("Integration design approved", 0.3, True),
            ("Order routing live", 0.85, True)],
    "HYB": [("Decommission assessment", 0.3, False)],
    "CRM": [("Org strategy decided", 0.1, True), ("Sales Cloud pilot region", 0.4, False), ("Pilot review", 0.5, False),
            ("Legacy CRM data migrated", 0.65, False), ("Global rollout", 0.95, True)],
    "CSP": [("Portal MVP", 0.5, False), ("Knowledge base migration", 0.8, False), ("Portal launch", 0.97, True)],
    "MOB": [("App discovery complete", 0.1, False), ("UX prototype", 0.25, True), ("App store release", 0.95, True)],
}


def build_milestones():
    rows = []
    n = 0
    for p in PROJECTS:
        S, F, BL = p["start"], p["finish"], p["baseline_finish"]
        spi = p["spi"] if p["spi"] is not None else 1.0
        extra = max(0, round((0.97 - spi) * 150)) if spi < 0.95 else 0
        for entry in MILESTONES[p["key"]]:
            n += 1
            name, where, key = entry[0], entry[1], entry[2]
            flag = entry[3] if len(entry) > 3 else None
            if isinstance(where, str):
                due = D(where)
                base = due - days(14) if flag == "overdue" else due
            else:
                base = weekday(S + days(round(where * (BL - S).days)))
                due = weekday(S + days(round(where * (F - S).days)))
            forecast = None
            completed = None
            acceptance = "pending"
            if p["state"] == "cancelled":
                completed = min(due, p["cancelled_on"] - days(3))
                acceptance = "accepted"
            elif flag == "overdue":
                forecast = STATUS_DATE + days(7 + rng.randint(0, 5) * 7)
            elif flag == "open":
                forecast = weekday(due + days(extra))
            elif p["state"] == "closed" or due < STATUS_DATE:
                completed = weekday(due + days(rng.randint(-3, 4)))
                if p["state"] == "closed":
                    completed = min(completed, p["finish"])
                completed = min(completed, STATUS_DATE - days(1))
                acceptance = "accepted"
            else:
                forecast = weekday(due + days(extra + (rng.randint(0, 5) if extra else 0)))
            rows.append(dict(id=f"MS-{n:04d}", project=p["id"], name=name, due=due,
                             baseline_due=base, forecast=forecast, completed=completed,
                             key=key, acceptance=acceptance))
    return rows


# --------------------------------------------------------------------------------------
# Tasks
# --------------------------------------------------------------------------------------

TASKS = {
    "erp": [("Design", ["Business process design", "Fit-gap analysis"]),
            ("Build and test", ["Configuration and development", "Integration testing", "Cut-over preparation"])],
    "finance": [("Design", ["Current-state assessment", "Future-state process design"]),
                ("Deliver", ["Solution configuration and interfaces", "User acceptance testing"])],
    "data": [("Foundation", ["Data architecture", "Source system profiling"]),
             ("Build", ["Pipelines and data models", "Data quality rules", "Reports and validation"])],
    "hr": [("Plan", ["Requirements and design", "Change impact assessment"]),
           ("Deliver", ["Configuration", "Parallel testing", "Training and go-live"])],
    "pmo": [("Define", ["Standards and templates", "Tool configuration"]),
            ("Roll out", ["Pilot with two programmes", "Training for project managers"])],
    "health": [("Analysis", ["Policy and requirements analysis", "Interface specifications"]),
               ("Build and certify", ["Build and trading partner testing", "State certification"])],
    "regulatory": [("Evidence", ["Regulatory strategy", "Verification and validation testing"]),
                   ("Submission", ["Technical documentation", "Submission assembly and QA"])],
    "security": [("Assess", ["Scope and risk assessment", "Control gap analysis"]),
                 ("Remediate", ["Control implementation and evidence", "Audit readiness"])],
    "digital": [("Discovery and design", ["Customer journey design", "Solution architecture"]),
                ("Build and launch", ["Sprints 1-6", "Integration and performance testing", "Launch and hypercare"])],
    "crm": [("Design", ["Org and data model design", "Process design"]),
            ("Deliver", ["Build, configuration and data migration", "Rollout"])],
}


def build_tasks():
    rows = []
    n = 0
    for p in PROJECTS:
        if p["state"] == "idea":
            continue
        S, F, BL = p["start"], p["finish"], p["baseline_finish"]
        groups = TASKS[p["cat"]]
        children = [c for _, cs in groups for c in cs]
        N = len(children)
        labour = p["bac"] * 0.35
        spi = p["spi"] if p["spi"] is not None else 1.0
        stop = p.get("cancelled_on", STATUS_DATE)
        ci = 0
        for gname, cs in groups:
            n += 1
            sid = f"TSK-{n:05d}"
            srow = dict(id=sid, project=p["id"], parent=None, name=gname)
            rows.append(srow)
            kids = []
            for cname in cs:
                n += 1
                bs = monday_on_or_after(S + days(round(ci / N * (BL - S).days)))
                bf = friday_on_or_before(S + days(round((ci + 1) / N * (BL - S).days)) - days(1))
                st = monday_on_or_after(S + days(round(ci / N * (F - S).days)))
                fi = friday_on_or_before(S + days(round((ci + 1) / N * (F - S).days)) - days(1))
                if ci == 0:
                    bs = st = S
                if p["state"] == "closed":
                    pc = 1.0
                elif fi < stop:
                    pc = 1.0
                elif st >= stop:
                    pc = 0.0
                else:
                    pc = (stop - st).days / max(1, (fi - st).days) * min(1.0, spi)
                    pc = min(0.95, max(0.05, pc))
                work = round(labour / N / 120 * rng.uniform(0.7, 1.3) / 10) * 10
                cost = Decimal(work) * Decimal(rng.choice([105, 110, 115, 120, 125, 130, 135]))
                kid = dict(id=f"TSK-{n:05d}", project=p["id"], parent=sid, name=cname, start=st,
                           finish=fi, baseline_start=bs, baseline_finish=bf, percent_complete=pc,
                           work=work, cost=cost)
                kids.append(kid)
                ci += 1
            tw = sum(k["work"] for k in kids)
            srow.update(start=min(k["start"] for k in kids), finish=max(k["finish"] for k in kids),
                        baseline_start=min(k["baseline_start"] for k in kids),
                        baseline_finish=max(k["baseline_finish"] for k in kids),
                        percent_complete=sum(k["percent_complete"] * k["work"] for k in kids) / tw,
                        work=tw, cost=sum(k["cost"] for k in kids))
            rows.extend(kids)
    for r in rows:
        r["percent_complete"] = frac(r["percent_complete"], 2)
        r["work"] = hours(r["work"])
    return rows


# --------------------------------------------------------------------------------------
# Dependencies
# --------------------------------------------------------------------------------------

PROJECT_DEPENDENCIES = [
    ("S4MIG", "S4FIN", "SS", "30d"),
    ("S4FIN", "S4SCM", "SS", "60d"),
    ("S4FIN", "LEGDEC", "FS", "90d"),
    ("UCM", "CRM", "SS", "0d"),
    ("HRIS", "PAY", "FS", "0d"),
    ("EDW", "BI", "SS", "14d"),
    ("ISO", "SOC2", "SS", "14d"),
    ("PIM", "ECOM", "FS", "10d"),
    ("PAYG", "ECOM", "FS", "0d"),
    ("ECOM", "OMS", "SS", "0d"),
    ("ECOM", "HYB", "FS", "30d"),
    # for the dependency rules and examples (examples/rules/dependencies.pmo, critical-path.pmo):
    ("S4FIN", "RECV", "FS", "0d"),    # waits on a red project, with no risk recorded for it
    ("IAM", "HRIS", "SS", "0d"),      # a predecessor for upstream(project "PRJ-0014", 1)
    ("CTDM", "PMS", "FS", "0d"),      # depends on a cancelled project
    ("OMS", "MOB", "FS", "0d"),       # a cycle between two projects
    ("MOB", "OMS", "SS", "0d"),
]


def build_dependencies(tasks):
    rows = [dict(**{"from": pid(a), "to": pid(b), "type": t, "lag": lag})
            for a, b, t, lag in PROJECT_DEPENDENCIES]
    # Task networks with a known critical path (examples/critical-path.pmo): in three projects the
    # leaf tasks form a finish-to-start chain, except the second-to-last leaf, a side branch that
    # starts with the one before the last (SS) and has float; ECOM's chain has a 5-business-day lag (vendor lead
    # time) and FDA's last task may finish no earlier than 2bd after the one before it (FF).
    for key in ("S4FIN", "FDA", "ECOM"):
        leaves = [t for t in tasks if t["project"] == pid(key) and t["parent"]]
        main = leaves[:-2] + leaves[-1:]
        side = leaves[-2]
        for i, (a, b) in enumerate(zip(main, main[1:])):
            lag = "5bd" if key == "ECOM" and i == 1 else "0d"
            rows.append({"from": a["id"], "to": b["id"], "type": "FS", "lag": lag})
        rows.append({"from": main[-2]["id"], "to": side["id"], "type": "SS", "lag": "0d"})
        if key == "FDA":
            rows.append({"from": side["id"], "to": main[-1]["id"], "type": "FF", "lag": "2bd"})
    return rows


# US federal holidays on weekdays (observed dates), for business days and schedules (holidays.csv).
PUBLIC_HOLIDAYS = [
    ("2025-11-27", "Thanksgiving Day"), ("2025-12-25", "Christmas Day"), ("2026-01-01", "New Year's Day"),
    ("2026-01-19", "Martin Luther King Jr. Day"), ("2026-02-16", "Presidents' Day"), ("2026-05-25", "Memorial Day"),
    ("2026-06-19", "Juneteenth"), ("2026-07-03", "Independence Day (observed)"), ("2026-09-07", "Labor Day"),
    ("2026-11-26", "Thanksgiving Day"), ("2026-12-25", "Christmas Day"), ("2027-01-01", "New Year's Day"),
    ("2027-01-18", "Martin Luther King Jr. Day"), ("2027-02-15", "Presidents' Day"), ("2027-05-31", "Memorial Day"),
    ("2027-06-18", "Juneteenth (observed)"), ("2027-07-05", "Independence Day (observed)"), ("2027-09-06", "Labor Day"),
    ("2027-11-25", "Thanksgiving Day"), ("2027-12-24", "Christmas Day (observed)"),
]


# --------------------------------------------------------------------------------------
# Resources and allocations
# --------------------------------------------------------------------------------------

RESOURCES = [
    # id, name, role, department, capacity (h/week), rate ($/h), active
    ("RES-001", "Jordan Ellis", "SAP FI/CO Consultant", "ERP Centre of Excellence", 40, 185, True),
    ("RES-002", "Maria Gonzalez", "SAP MM/SD Consultant", "ERP Centre of Excellence", 40, 175, True),
    ("RES-003", "Tom Hayes", "SAP Basis Administrator", "IT Infrastructure", 40, 150, True),
    ("RES-004", "Linh Pham", "Data Migration Specialist", "ERP Centre of Excellence", 40, 140, True),
    ("RES-005", "Rebecca Stone", "Business Analyst", "Finance", 40, 95, True),
    ("RES-006", "Omar Farouk", "Solution Architect", "Enterprise Architecture", 40, 210, True),
    ("RES-007", "Chloe Martin", "SAP FI/CO Consultant", "ERP Centre of Excellence", 40, 190, True),
    ("RES-008", "Ravi Shankar", "ABAP Developer", "ERP Centre of Excellence", 40, 130, True),
    ("RES-009", "Emily Clarke", "Change Management Lead", "Human Resources", 32, 120, True),
    ("RES-010", "Jacob Weiss", "Trainer", "Human Resources", 20, 60, True),
    ("RES-011", "Nora Lindgren", "Integration Developer", "IT Applications", 40, 135, True),
    ("RES-012", "Hector Ramirez", "Accounts Receivable SME", "Finance", 20, 70, True),
    ("RES-013", "Yuki Sato", "QA Test Lead", "IT Quality", 40, 105, True),
    ("RES-014", "Brian Walsh", "QA Engineer", "IT Quality", 40, 85, True),
    ("RES-015", "Amara Okonkwo", "Data Engineer", "Data & Analytics", 40, 125, True),
    ("RES-016", "Lucas Ferreira", "BI Developer", "Data & Analytics", 40, 115, True),
    ("RES-017", "Ingrid Johansson", "Data Architect", "Data & Analytics", 40, 180, True),
    ("RES-018", "Tyrone Jackson", "Payroll SME", "Human Resources", 32, 80, True),
    ("RES-019", "Paula Novak", "Workday Consultant", "HR Systems", 40, 165, True),
    ("RES-020", "Kenji Watanabe", "Developer", "IT Applications", 40, 110, True),
    ("RES-021", "Diane Foster", "Clinical Informatics Analyst", "Behavioral Health Services", 40, 100, True),
    ("RES-022", "Tariq Hassan", "HL7/FHIR Interface Engineer", "IT Applications", 40, 145, True),
    ("RES-023", "Lakshmi Iyer", "Medicaid Policy Analyst", "Behavioral Health Services", 32, 90, True),
    ("RES-024", "Gregory Pike", "Encounter Data Analyst", "Behavioral Health Services", 40, 85, True),
    ("RES-025", "Hana Novotna", "Regulatory Affairs Specialist", "Regulatory Affairs", 40, 130, True),
    ("RES-026", "Peter Lang", "Verification Engineer", "R&D Quality", 40, 120, True),
    ("RES-027", "Zoe Anders", "Software V&V Engineer", "R&D Quality", 40, 125, True),
    ("RES-028", "Marco Bianchi", "Technical Writer", "Regulatory Affairs", 32, 70, True),
    ("RES-029", "Alicia Ramos", "Security Analyst", "Information Security", 40, 140, True),
    ("RES-030", "Ethan Price", "ISO 27001 Lead Auditor (contractor)", "Information Security", 20, 220, True),
    ("RES-031", "Farah Siddiqui", "IAM Engineer", "Information Security", 40, 150, True),
    ("RES-032", "Noah Fischer", "E-commerce Architect", "Digital", 40, 200, True),
    ("RES-033", "Isla McKenzie", "Front-end Developer", "Digital", 40, 120, True),
    ("RES-034", "Mateo Silva", "Back-end Developer", "Digital", 40, 125, True),
    ("RES-035", "Ruth Abebe", "Product Owner", "Digital", 40, 135, True),
    ("RES-036", "Connor Murphy", "Scrum Master", "Digital", 40, 110, True),
    ("RES-037", "Valentina Cruz", "PIM Specialist", "Digital", 40, 105, True),
    ("RES-038", "Oliver Grant", "Salesforce Developer", "CRM", 40, 130, True),
    ("RES-039", "Sienna Patel", "Salesforce Administrator", "CRM", 40, 95, True),
    ("RES-040", "Derek Olsen", "UX Designer", "Digital", 32, 115, True),
    ("RES-041", "Beatriz Costa", "Payments Engineer", "Digital", 40, 140, True),
    ("RES-042", "Frank Mueller", "Infrastructure Engineer", "IT Infrastructure", 40, 120, False),
]
RES_BY_ID = {r[0]: r for r in RESOURCES}

# resource, project key, percent, state, start, finish (None: the project's dates clipped to
# 2026-06-01..2027-03-31). Order matters for RES-020 (see README: the floating-point trap).
ALLOCATIONS = [
    ("RES-001", "S4FIN", "0.7", "approved", None, None),
    ("RES-001", "S4MIG", "0.3", "approved", None, None),
    ("RES-002", "S4SCM", "0.8", "approved", None, None),
    ("RES-002", "S4MIG", "0.2", "approved", None, None),
    ("RES-003", "S4FIN", "0.4", "approved", None, None),
    ("RES-003", "S4SCM", "0.4", "approved", None, None),
    ("RES-004", "S4MIG", "0.6", "approved", None, None),
    ("RES-004", "UCM", "0.4", "approved", None, None),
    ("RES-005", "RECV", "0.5", "approved", None, None),
    ("RES-005", "CAP", "0.3", "approved", None, None),
    ("RES-005", "CCA", "0.2", "approved", None, None),
    ("RES-006", "S4FIN", "0.3", "approved", None, None),
    ("RES-006", "ECOM", "0.3", "approved", None, None),
    ("RES-006", "EDW", "0.2", "approved", None, None),
    ("RES-006", "IAM", "0.1", "approved", None, None),
    ("RES-006", "OMS", "0.1", "requested", "2026-10-05", "2027-03-31"),
    # over-allocated: 60% + 50% from October to January
    ("RES-007", "S4FIN", "0.6", "approved", "2026-06-01", "2027-03-31"),
    ("RES-007", "S4MIG", "0.5", "approved", "2026-10-01", "2027-01-29"),
    ("RES-008", "S4FIN", "0.5", "approved", None, None),
    ("RES-008", "S4SCM", "0.5", "approved", None, None),
    ("RES-009", "HRIS", "0.5", "approved", None, None),
    ("RES-009", "PAY", "0.3", "approved", None, None),
    ("RES-009", "S4OCM", "0.2", "approved", "2026-10-05", "2026-12-31"),
    ("RES-009", "S4OCM", "0.5", "requested", "2027-01-04", "2027-03-31"),
    ("RES-010", "HRIS", "0.5", "approved", None, None),
    ("RES-010", "SAT", "0.5", "approved", None, None),
    ("RES-011", "RECV", "0.4", "approved", None, None),
    ("RES-011", "UCM", "0.3", "approved", None, None),
    ("RES-011", "CRM", "0.3", "approved", None, None),
    ("RES-012", "RECV", "0.8", "approved", None, None),
    ("RES-012", "CCA", "0.2", "approved", None, None),
    ("RES-013", "S4FIN", "0.5", "approved", None, None),
    ("RES-013", "RECV", "0.5", "approved", None, None),
    ("RES-014", "ECOM", "0.6", "approved", None, None),
    ("RES-014", "PAYG", "0.4", "approved", None, None),
    ("RES-015", "EDW", "0.7", "approved", None, None),
    ("RES-015", "TXQM", "0.3", "approved", None, None),
    ("RES-016", "BI", "0.6", "approved", None, None),
    ("RES-016", "EDW", "0.3", "approved", None, None),
    ("RES-016", "EVR", "0.1", "approved", None, None),
    ("RES-017", "EDW", "0.5", "approved", None, None),
    ("RES-017", "UCM", "0.3", "approved", None, None),
    ("RES-017", "MBHDX", "0.2", "approved", None, None),
    ("RES-018", "PAY", "0.8", "approved", None, None),
    ("RES-018", "TNA", "0.2", "approved", None, None),
    ("RES-019", "HRIS", "0.6", "approved", None, None),
    ("RES-019", "PAY", "0.4", "approved", None, None),
    # exactly 100%: 70% + 20% + 10% (in this row order a naive float sum exceeds capacity)
    ("RES-020", "CAP", "0.7", "approved", "2026-07-06", "2027-01-29"),
    ("RES-020", "EVR", "0.2", "approved", "2026-07-06", "2027-01-29"),
    ("RES-020", "PPM", "0.1", "approved", "2026-07-06", "2027-01-29"),
    ("RES-021", "MBHDX", "0.6", "approved", None, None),
    ("RES-021", "PAIP", "0.4", "approved", None, None),
    ("RES-022", "MBHDX", "0.7", "approved", None, None),
    ("RES-022", "ENC", "0.3", "approved", None, None),
    ("RES-023", "TXQM", "0.5", "approved", None, None),
    ("RES-023", "PAIP", "0.3", "approved", None, None),
    ("RES-023", "ENC", "0.2", "approved", None, None),
    ("RES-024", "ENC", "0.7", "approved", None, None),
    ("RES-024", "TXQM", "0.3", "approved", None, None),
    ("RES-025", "FDA", "0.5", "approved", None, None),
    ("RES-025", "EOP2", "0.3", "approved", None, None),
    ("RES-025", "MDR", "0.2", "approved", None, None),
    ("RES-025", "PMS", "0.3", "requested", "2026-11-02", "2027-03-31"),
    ("RES-026", "FDA", "0.8", "approved", None, None),
    ("RES-026", "PMS", "0.2", "requested", "2026-10-05", "2027-03-31"),
    ("RES-027", "FDA", "0.7", "approved", None, None),
    ("RES-027", "MDR", "0.3", "approved", None, None),
    ("RES-028", "FDA", "0.4", "approved", None, None),
    ("RES-028", "EOP2", "0.4", "approved", None, None),
    ("RES-028", "MDR", "0.4", "approved", "2026-11-02", "2027-03-31"),
    # over-allocated: 80% + 40% in November and December
    ("RES-029", "ISO", "0.8", "approved", "2026-06-01", "2027-02-26"),
    ("RES-029", "SOC2", "0.4", "approved", "2026-11-02", "2026-12-31"),
    ("RES-030", "ISO", "0.5", "approved", None, None),
    ("RES-030", "SOC2", "0.5", "approved", None, None),
    ("RES-031", "IAM", "0.9", "approved", None, None),
    ("RES-031", "SAT", "0.1", "approved", None, None),
    ("RES-032", "ECOM", "0.6", "approved", None, None),
    ("RES-032", "PIM", "0.2", "approved", None, None),
    ("RES-032", "OMS", "0.2", "approved", None, None),
    ("RES-033", "ECOM", "0.8", "approved", None, None),
    ("RES-033", "MOB", "0.2", "approved", "2026-08-03", "2026-09-25"),
    ("RES-034", "ECOM", "0.5", "approved", None, None),
    ("RES-034", "PAYG", "0.5", "approved", None, None),
    ("RES-034", "OMS", "0.5", "requested", "2027-01-04", "2027-03-31"),
    ("RES-035", "ECOM", "0.5", "approved", None, None),
    ("RES-035", "PIM", "0.3", "approved", None, None),
    ("RES-035", "MOB", "0.2", "approved", "2026-08-03", "2026-09-25"),
    ("RES-036", "ECOM", "0.5", "approved", None, None),
    ("RES-036", "CRM", "0.5", "approved", None, None),
    ("RES-037", "PIM", "1", "approved", None, None),
    # approved 70%, plus a requested 50%: over only if requests are counted
    ("RES-038", "CRM", "0.7", "approved", None, None),
    ("RES-038", "CSP", "0.3", "approved", None, None),
    ("RES-038", "OMS", "0.5", "requested", "2026-11-02", "2027-03-31"),
    ("RES-039", "CRM", "0.6", "approved", None, None),
    ("RES-039", "CSP", "0.4", "approved", None, None),
    ("RES-040", "ECOM", "0.4", "approved", None, None),
    ("RES-040", "PAIP", "0.4", "approved", None, None),
    ("RES-040", "CSP", "0.2", "approved", None, None),
    ("RES-041", "PAYG", "0.7", "approved", None, None),
    ("RES-041", "RECV", "0.3", "approved", None, None),
    ("RES-042", "S4SCM", "0.5", "approved", "2026-06-01", "2026-09-30"),
    ("RES-042", "CTDM", "0.5", "approved", "2026-06-01", "2026-07-17"),
    ("RES-042", "EDW", "0.5", "approved", "2026-07-20", "2026-09-30"),
]


def build_allocations():
    rows = []
    for res, key, pct, state, a, b in ALLOCATIONS:
        p = BY_KEY[key]
        start = D(a) if a else max(ALLOC_FIRST, p["start"])
        finish = D(b) if b else min(ALLOC_LAST, p["finish"])
        assert start <= finish, (res, key)
        rows.append(dict(resource=res, project=p["id"], start=start, finish=finish,
                         percent=pct, state=state))
    return rows


def build_timesheets(allocations):
    acc = {}
    week = TS_FIRST
    weeks = []
    while week <= TS_LAST:
        weeks.append(week)
        week += days(7)
    leave = {}   # two weeks of summer leave for some resources
    for r in RESOURCES:
        if rng.random() < 0.6:
            w = rng.choice(weeks[4:14])
            leave[r[0]] = {w, w + days(7)}
    for a in allocations:
        if a["state"] != "approved":
            continue
        _, _, _, _, cap, rate, _ = RES_BY_ID[a["resource"]]
        for w in weeks:
            lo, hi = max(w, a["start"]), min(w + days(4), a["finish"])
            if lo > hi or w in leave.get(a["resource"], ()):
                continue
            wd = working_days(lo, hi, HOLIDAYS)
            if wd == 0:
                continue
            h = float(a["percent"]) * cap * wd / 5 * rng.uniform(0.85, 1.10)
            h = round(h * 2) / 2
            if h <= 0:
                continue
            k = (a["resource"], a["project"], w)
            acc[k] = acc.get(k, 0) + h
    rows = []
    for (res, proj_id, w), h in sorted(acc.items()):
        rate = RES_BY_ID[res][5]
        rows.append(dict(resource=res, project=proj_id, week=w, hours=hours(h),
                         cost=Decimal(str(h)) * Decimal(rate)))
    return rows


# --------------------------------------------------------------------------------------
# Risks and issues
# --------------------------------------------------------------------------------------

RISK_TITLES = {
    "erp": ["Key users unavailable during UAT because of quarter-end close",
            "Systems integrator staff turnover in a key workstream",
            "Custom code remediation larger than the estimate",
            "Legacy interface owners cannot support parallel run",
            "Data volumes exceed cut-over window",
            "Licence true-up costs after go-live"],
    "finance": ["Bank lockbox file format change late in testing",
                "Auditors require additional controls evidence",
                "Cut-over collides with year-end close freeze",
                "Cash application match rate below business case",
                "Credit policy changes not approved in time"],
    "data": ["Source system data quality worse than profiled",
             "Cloud consumption costs above forecast",
             "Business owners do not sign off data definitions",
             "Historical data conversion takes longer than planned",
             "Key data architect leaves the programme"],
    "hr": ["Union consultation delays the go-live date",
           "Parallel payroll variances not resolved before cut-over",
           "Training attendance below target",
           "Multi-state tax configuration errors",
           "Workday release update changes configured processes"],
    "pmo": ["Project managers do not adopt the new templates",
            "SharePoint migration loses document metadata",
            "Timesheet compliance too low for earned value reporting"],
    "health": ["State changes companion guide before certification",
               "Trading partners miss the testing window",
               "PHI exposure during test data preparation",
               "Medicaid policy change alters prior authorization rules",
               "Provider adoption of the portal below target",
               "HEDIS specification update mid-year"],
    "regulatory": ["FDA requests additional information (AI letter)",
                   "Test lab capacity delays biocompatibility results",
                   "Predicate device comparison challenged",
                   "Software anomaly list not closed before submission",
                   "Notified body audit slots unavailable",
                   "Clinical data insufficient for the indication"],
    "security": ["Certification auditor availability",
                 "Control owners miss evidence deadlines",
                 "Third-party vendors fail security assessments",
                 "Legacy applications cannot support SSO",
                 "Privileged account discovery finds unmanaged accounts"],
    "digital": ["Peak-season code freeze shortens the test window",
                "Third-party payment provider certification delay",
                "Performance below target at peak load",
                "SEO ranking loss at cut-over",
                "Supplier product data incomplete",
                "ERP order integration defects"],
    "crm": ["Sales teams resist process change",
            "Duplicate accounts after data migration",
            "Salesforce licence costs above budget",
            "Integration with the customer master delayed"],
}

ISSUE_TITLES = {
    "erp": ["Interface defects blocking integration test cycle 2", "Mock load 3 reconciliation errors",
            "Transport backlog in the quality system", "Chart of accounts mapping incomplete"],
    "finance": ["Lockbox test files rejected by bank", "Cash application rules missing for EDI payments",
                "Legal review of contract templates overdue", "Dunning letters print wrong addresses"],
    "data": ["Snowflake warehouse credits exhausted early", "Duplicate customer records in source ERP",
             "ETL job failures on month-end loads", "Data definitions not signed off by Sales"],
    "hr": ["Parallel payroll run 1 variances", "Benefit deduction codes mis-mapped",
           "Training room bookings cancelled", "Workday sandbox refresh overwrote configuration"],
    "pmo": ["Resource management module licences not received", "Template library permissions wrong"],
    "health": ["State HIE test environment unavailable", "837 files rejected for invalid taxonomy codes",
               "Payer API rate limits exceeded in test", "Measure logic disagrees with state calculation",
               "Provider directory feed late"],
    "regulatory": ["Biocompatibility lab report delayed", "Software anomaly list incomplete",
                   "IEC 60601 test failures on the charger", "Briefing package review comments late",
                   "Gap assessment findings exceed estimate"],
    "security": ["Evidence repository access not granted to auditors", "Two sites missing asset inventories",
                 "MFA rollout blocked on legacy VPN", "Phishing simulation tool licence expired"],
    "digital": ["Checkout fails for split shipments", "Performance test failed at 2x peak load",
                "Order export to ERP drops line discounts", "Supplier data import errors",
                "PCI scan finding on staging"],
    "crm": ["Duplicate accounts after migration batch 2", "Territory assignment rules wrong for EMEA",
            "Case routing loses priority field"],
}

# risk counts per project (beyond the deliberate ones below)
RISK_COUNT = {"S4FIN": 3, "S4SCM": 3, "S4MIG": 2, "S4OCM": 2, "LEGDEC": 1, "RECV": 3, "CAP": 2,
              "UCM": 2, "CCA": 1, "EDW": 3, "BI": 1, "EVR": 1, "PAY": 3, "HRIS": 2, "TNA": 1,
              "PPM": 1, "MBHDX": 3, "PAIP": 2, "TXQM": 2, "ENC": 2, "FDA": 4, "EOP2": 1, "MDR": 2,
              "PMS": 1, "CTDM": 1, "ISO": 2, "SOC2": 2, "IAM": 2, "SAT": 1, "ECOM": 3, "PIM": 1,
              "PAYG": 2, "OMS": 1, "HYB": 0, "CRM": 2, "CSP": 1, "MOB": 1}

# (project key, title, probability, impact, cost factor of bac, state, owner)
DELIBERATE_RISKS = [
    ("ECOM", "Holiday-season code freeze collides with the cut-over window", "0.65", 5, 0.05, "open", None),
    ("MBHDX", "State HIE changes the 837/835 companion guide before certification", "0.5", 4, 0.03, "open", None),
    ("PIM", "Supplier product data quality below the onboarding threshold", "0.3", 5, 0.04, "open", None),
]

PROBABILITIES = ["0.05", "0.1", "0.15", "0.2", "0.25", "0.3", "0.35", "0.4", "0.45", "0.5", "0.55",
                 "0.6", "0.65", "0.7", "0.75", "0.8", "0.85", "0.9"]


def risk_level(prob):
    p = Fraction(prob)
    if p <= Fraction(1, 10):
        return 1
    if p <= Fraction(3, 10):
        return 2
    if p <= Fraction(1, 2):
        return 3
    if p <= Fraction(7, 10):
        return 4
    return 5


def people_for(p):
    prog = next(g for g in PROGRAMS if g[0] == p["program"])
    return [p["manager"], prog[3]] + ([p["sponsor"]] if p["sponsor"] else [])


def build_risks():
    rows = []
    n = 0
    for p in PROJECTS:
        titles = list(RISK_TITLES[p["cat"]])
        rng.shuffle(titles)
        items = []
        for t in titles[:RISK_COUNT[p["key"]]]:
            prob = rng.choice(PROBABILITIES)
            impact = rng.randint(1, 5)
            if p["state"] in ("closed", "cancelled"):
                state = "closed"
            else:
                state = rng.choices(["open", "mitigating", "closed"], [6, 3, 1])[0]
            items.append((t, prob, impact, rng.uniform(0.005, 0.06), state,
                          rng.choice(people_for(p))))
        for key, t, prob, impact, cf, state, owner in DELIBERATE_RISKS:
            if key == p["key"]:
                items.append((t, prob, impact, cf, state, owner))
        for t, prob, impact, cf, state, owner in items:
            n += 1
            cost = round(p["bac"] * cf / 5000) * 5000
            if state == "closed":
                review = None
            else:
                review = weekday(STATUS_DATE + days(rng.randint(-21, 45)))
            rows.append(dict(id=f"RSK-{n:04d}", project=p["id"], title=t, probability=prob,
                             impact=impact, cost_impact=cost, state=state, owner=owner,
                             review_due=review))
    return rows


ISSUE_COUNT = {"S4FIN": 3, "S4SCM": 2, "S4MIG": 2, "S4OCM": 0, "LEGDEC": 0, "RECV": 3, "CAP": 2,
               "UCM": 1, "CCA": 1, "EDW": 2, "BI": 1, "EVR": 0, "PAY": 3, "HRIS": 2, "TNA": 1,
               "PPM": 1, "MBHDX": 3, "PAIP": 2, "TXQM": 2, "ENC": 2, "FDA": 3, "EOP2": 1, "MDR": 1,
               "PMS": 0, "CTDM": 0, "ISO": 2, "SOC2": 1, "IAM": 2, "SAT": 1, "ECOM": 4, "PIM": 2,
               "PAYG": 1, "OMS": 0, "HYB": 0, "CRM": 2, "CSP": 1, "MOB": 0}

RED_REPORTED = set()   # filled after the status reports are built


def build_issues():
    rows = []
    n = 0
    for p in PROJECTS:
        titles = list(ISSUE_TITLES[p["cat"]])
        rng.shuffle(titles)
        count = ISSUE_COUNT[p["key"]]
        for j, t in enumerate(titles[:count]):
            n += 1
            if p["state"] == "closed":
                state = "closed"
            elif p["key"] == "RECV":
                state = ["resolved", "closed", "resolved"][j]      # red, but nothing open
            elif p["key"] in RED_REPORTED and j == 0:
                state = "open"
            else:
                state = rng.choices(["open", "in_progress", "resolved", "closed"], [4, 3, 2, 2])[0]
            # open work is recent; resolved and closed issues were opened earlier
            hi = p["finish"] - days(10) if p["state"] == "closed" else STATUS_DATE - days(3)
            if state in ("open", "in_progress"):
                lo = max(p["start"], STATUS_DATE - days(75))
            else:
                lo = max(p["start"], dt.date(2026, 5, 1))
                hi = min(hi, STATUS_DATE - days(30))
            opened = weekday(lo + days(rng.randint(0, max(0, (hi - lo).days))))
            severity = rng.choices(["low", "medium", "high", "critical"], [3, 5, 3, 1])[0]
            if p["key"] in RED_REPORTED and j == 0:
                severity = "high" if p["bac"] < 1_000_000 else "critical"
            due = weekday(opened + days(rng.choice([14, 21, 30, 45])))
            resolved = None
            if state in ("resolved", "closed"):
                resolved = min(weekday(opened + days(rng.randint(5, 40))), STATUS_DATE - days(1))
                if p["state"] == "closed":
                    resolved = min(resolved, p["finish"])
                resolved = max(resolved, opened)
            owner = rng.choice(people_for(p))
            rows.append(dict(id=f"ISS-{n:04d}", project=p["id"], title=t, severity=severity,
                             state=state, owner=owner, opened=opened, due=due, resolved=resolved))
    return rows


# --------------------------------------------------------------------------------------
# Gates and changes
# --------------------------------------------------------------------------------------

def build_gates():
    rows = []
    for p in PROJECTS:
        S, BL = p["start"], p["baseline_finish"]
        span = (BL - S).days
        planned = {"G0": S - days(28), "G1": S, "G2": S + days(round(0.2 * span)),
                   "G3": S + days(round(0.8 * span))}
        if p["state"] == "idea":
            gates = ["G0"]
            planned["G0"] = S - days(120)
        elif p["phase"] == "initiation":
            gates = ["G0", "G1"]
            planned["G1"] = S + days(60)
        elif p["phase"] == "planning":
            gates = ["G0", "G1", "G2"]
        else:
            gates = ["G0", "G1", "G2", "G3"]
        cond = p["spi"] is not None and (band(p["spi"]) != "green" or band(p["cpi"]) != "green")
        for g in gates:
            pl = weekday(planned[g])
            held, decision = None, "pending"
            stop = p.get("cancelled_on", STATUS_DATE)
            if pl < stop and not (p["key"] == "ECOM" and g == "G3"):
                held = min(weekday(pl + days(rng.randint(0, 6))), stop - days(1))
                decision = "conditional" if (cond and g == gates[-1] and rng.random() < 0.6) else "approved"
            if p["state"] == "cancelled" and g == "G2":   # the re-plan gate that stopped it
                pl = held = p["cancelled_on"] - days(2)
                decision = "rejected"
            if p["state"] == "cancelled" and pl >= stop and g != "G2":
                continue
            rows.append(dict(project=p["id"], gate=g, planned=pl, held=held, decision=decision))
    return rows


CHANGES = [
    ("S4FIN", "Add the Brazil legal entity to Wave 1 scope", 650000, "30d", "approved"),
    ("S4FIN", "Extend hypercare from 4 to 8 weeks", 240000, "20d", "submitted"),
    ("S4SCM", "Extended warehouse management for the Reno distribution centre", 1200000, "45d", "submitted"),
    ("RECV", "Lockbox file format change (BAI2 to camt.054)", 85000, "10d", "approved"),
    ("RECV", "Re-plan cut-over after the year-end close freeze", 310000, "70d", "approved"),
    ("UCM", "Include the vendor master in golden record scope", 420000, "40d", "draft"),
    ("EDW", "Add a Medicaid claims subject area", 260000, "21d", "submitted"),
    ("PAY", "Multi-state tax jurisdictions (CA, NY)", 140000, "14d", "approved"),
    ("MBHDX", "FHIR R4 API in addition to HL7 v2 feeds", 780000, "60d", "submitted"),
    ("FDA", "Additional cytotoxicity test requested by the test lab", 95000, "35d", "approved"),
    ("FDA", "Human factors validation study redesign", 180000, "28d", "submitted"),
    ("ISO", "Extend certification scope to the Reno distribution centre", 60000, "14d", "approved"),
    ("ECOM", "B2B punch-out catalogue (cXML)", 540000, "30d", "submitted"),
    ("ECOM", "Defer loyalty programme integration to phase 2", -350000, "0d", "approved"),
    ("PIM", "Add a digital asset management (DAM) module", 210000, "21d", "rejected"),
    ("CRM", "Migrate CPQ quote history", 120000, "10d", "draft"),
    ("OMS", "Add ship-from-store fulfilment", 300000, "30d", "draft"),
]


def build_changes():
    return [dict(id=f"CHG-{i:03d}", project=pid(k), title=t, cost_impact=c, schedule_impact=s,
                 state=st) for i, (k, t, c, s, st) in enumerate(CHANGES, 1)]


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------

def cell(set_name, field, value):
    ftype = next(f[1] for f in ENTITIES[set_name]["fields"] if f[0] == field)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if ftype == "money":
        return money(value)
    if isinstance(value, float):
        raise TypeError(f"{set_name}.{field}: format floats explicitly ({value!r})")
    return str(value)


WRITTEN = {}


def write(set_name, rows):
    cols = header(set_name)
    out = []
    for r in rows:
        extra = set(r) - set(cols)
        if extra:
            sys.exit(f"{set_name}: unknown columns {sorted(extra)}")
        out.append([cell(set_name, c, r.get(c)) for c in cols])
    with open(os.path.join(OUT, f"{set_name}.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(cols)
        w.writerows(out)
    WRITTEN[set_name] = out


def generate():
    os.makedirs(OUT, exist_ok=True)
    people = [dict(id=i, name=n, email=email(n), department=d) for i, n, d in PEOPLE]
    portfolios = [dict(id=i, name=n, owner=o, currency="USD", budget_cap=c) for i, n, o, c in PORTFOLIOS]
    programs = [dict(id=i, name=n, portfolio=pf, manager=m, sponsor=s, state=st)
                for i, n, pf, m, s, st in PROGRAMS]
    reports = build_status_reports()
    for p in PROJECTS:
        p["status"] = p["reports"][-1]["overall"] if p["reports"] else p["imported_status"]
        if p["status"] == "red":
            RED_REPORTED.add(p["key"])
    projects = []
    for p in PROJECTS:
        projects.append(dict(id=p["id"], name=p["name"], code=p["code"], program=p["program"],
                             portfolio=p["portfolio"], manager=p["manager"], sponsor=p["sponsor"],
                             state=p["state"], phase=p["phase"], status=p["status"],
                             priority=p["priority"], start=p["start"], finish=p["finish"],
                             baseline_finish=p["baseline_finish"], bac=p["bac"],
                             contingency=round(p["bac"] * rng.choice([0.05, 0.075, 0.1]) / 1000) * 1000,
                             business_case=p["business_case"], tags=p["tags"]))
    milestones = build_milestones()
    tasks = build_tasks()
    dependencies = build_dependencies(tasks)
    resources = [dict(id=i, name=n, role=ro, department=de, capacity=c, rate=ra, active=a)
                 for i, n, ro, de, c, ra, a in RESOURCES]
    allocations = build_allocations()
    timesheets = build_timesheets(allocations)
    risks = build_risks()
    issues = build_issues()
    gates = build_gates()
    changes = build_changes()
    data = {"people": people, "portfolios": portfolios, "programs": programs,
            "projects": projects, "milestones": milestones, "tasks": tasks,
            "dependencies": dependencies, "resources": resources, "allocations": allocations,
            "timesheets": timesheets, "risks": risks, "issues": issues,
            "status_reports": reports, "gates": gates, "changes": changes,
            "holidays": [dict(date=dt.date.fromisoformat(d), name=n) for d, n in PUBLIC_HOLIDAYS]}
    missing = set(ENTITIES) - set(data)
    if missing:
        sys.exit(f"no rows generated for {sorted(missing)}")
    for name in ENTITIES:        # Catalog order
        write(name, data[name])
    with open(os.path.join(OUT, "settings.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerows([["key", "value"], ["currency", "USD"], ["fiscal_year_start", "1"],
                     ["status_date", STATUS_DATE.isoformat()]])


# --------------------------------------------------------------------------------------
# Validation: read the CSVs back and check them
# --------------------------------------------------------------------------------------

def read_back():
    tables = {}
    for name in ENTITIES:
        with open(os.path.join(OUT, f"{name}.csv"), newline="", encoding="utf-8") as f:
            rd = csv.reader(f)
            hdr = next(rd)
            if hdr != header(name):
                sys.exit(f"{name}.csv header {hdr} != Catalog.swift {header(name)}")
            tables[name] = [dict(zip(hdr, row)) for row in rd]
    return tables


DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NUM_RE = re.compile(r"^-?\d+(\.\d+)?$")


def validate(t):
    errors = []

    def err(msg):
        errors.append(msg)

    ids = {}
    for name, spec in ENTITIES.items():
        fields = spec["fields"]
        if fields[0][1] == "id":
            seen = set()
            for r in t[name]:
                if r["id"] in seen:
                    err(f"{name}: duplicate id {r['id']}")
                seen.add(r["id"])
            ids[name] = seen
    id_patterns = {"people": r"^P-\d{3}$", "portfolios": r"^PF-\d$", "programs": r"^PRG-\d{2}$",
                   "projects": r"^PRJ-\d{4}$", "milestones": r"^MS-\d{4}$",
                   "tasks": r"^TSK-\d{5}$", "resources": r"^RES-\d{3}$",
                   "risks": r"^RSK-\d{4}$", "issues": r"^ISS-\d{4}$", "changes": r"^CHG-\d{3}$"}
    for name, pat in id_patterns.items():
        for i in ids[name]:
            if not re.match(pat, i):
                err(f"{name}: id {i} does not match {pat}")
    for name, spec in ENTITIES.items():
        for ln, r in enumerate(t[name], 2):
            for fname, ftype, arg, required in spec["fields"]:
                v = r[fname]
                where = f"{name}.csv:{ln}:{fname}"
                if v == "":
                    if required:
                        err(f"{where}: required value missing")
                    continue
                if ftype == "reference":
                    target = KIND_TO_SET[arg]
                    if v not in ids[target]:
                        err(f"{where}: dangling reference {v} to {target}")
                elif ftype == "enumeration":
                    if v not in ENUMS[arg]:
                        err(f"{where}: {v!r} not in {arg} {ENUMS[arg]}")
                elif ftype == "date":
                    if not DATE_RE.match(v):
                        err(f"{where}: bad date {v}")
                    else:
                        D(v)
                elif ftype in ("money", "percent", "hours", "int", "real"):
                    if not NUM_RE.match(v):
                        err(f"{where}: bad number {v}")
                elif ftype == "bool":
                    if v not in ("true", "false"):
                        err(f"{where}: bad bool {v}")
                elif ftype == "duration":
                    if not re.match(r"^-?\d+b?d$", v):
                        err(f"{where}: bad duration {v}")
    for ln, r in enumerate(t["dependencies"], 2):
        for end in ("from", "to"):
            if r[end] not in ids["projects"] and r[end] not in ids["tasks"]:
                err(f"dependencies.csv:{ln}: {end} {r[end]} is neither a project nor a task")
    for r in t["timesheets"]:
        if D(r["week"]).weekday() != 0:
            err(f"timesheet week {r['week']} is not a Monday")
        if not (TS_FIRST <= D(r["week"]) <= TS_LAST):
            err(f"timesheet week {r['week']} outside the window")
        if Decimal(r["hours"]) * Decimal(RES_BY_ID[r["resource"]][5]) != Decimal(r["cost"]):
            err(f"timesheet cost != hours x rate: {r}")
    keys = set()
    for r in t["timesheets"]:
        k = (r["resource"], r["project"], r["week"])
        if k in keys:
            err(f"duplicate timesheet row {k}")
        keys.add(k)
    for r in t["status_reports"]:
        if D(r["as_of"]).weekday() != 4:
            err(f"status report as_of {r['as_of']} is not a Friday")
        if D(r["as_of"]) > STATUS_DATE:
            err(f"status report after the status date: {r}")
    by_project = {}
    for r in t["status_reports"]:
        by_project.setdefault(r["project"], []).append(r)
    for prj, rs in by_project.items():
        rs.sort(key=lambda r: r["as_of"])
        for a, b in zip(rs, rs[1:]):
            for f in ("pv", "ev", "ac"):
                if Decimal(b[f]) < Decimal(a[f]):
                    err(f"{prj} {f} decreases {a['as_of']} -> {b['as_of']}")
                if Decimal(b[f]) == Decimal(a[f]) and Decimal(a[f]) != 0:
                    err(f"{prj} {f} flat {a['as_of']} -> {b['as_of']}")
    for r in t["allocations"]:
        if D(r["start"]) > D(r["finish"]):
            err(f"allocation starts after it finishes: {r}")
    for r in t["milestones"]:
        if r["completed"] and D(r["completed"]) > STATUS_DATE:
            err(f"milestone completed in the future: {r['id']}")
    for r in t["issues"]:
        if r["resolved"] and D(r["resolved"]) < D(r["opened"]):
            err(f"issue resolved before opened: {r['id']}")
        if (r["state"] in ("resolved", "closed")) != bool(r["resolved"]):
            err(f"issue state/resolved mismatch: {r['id']}")
    for r in t["gates"]:
        if r["held"] and D(r["held"]) > STATUS_DATE:
            err(f"gate held in the future: {r}")
    if errors:
        for e in errors[:50]:
            print("ERROR:", e, file=sys.stderr)
        sys.exit(f"{len(errors)} validation errors")


# --------------------------------------------------------------------------------------
# The deliberate problems, computed independently from the CSVs (as pmo would)
# --------------------------------------------------------------------------------------

def period_capacity_allocated(t, res_id, a, b, state="approved"):
    cap = Fraction(RES_BY_ID[res_id][4])
    capacity = cap * working_days(a, b) / 5
    alloc = Fraction(0)
    for r in t["allocations"]:
        if r["resource"] != res_id or r["state"] != state:
            continue
        lo, hi = max(a, D(r["start"])), min(b, D(r["finish"]))
        if lo <= hi:
            alloc += Fraction(r["percent"]) * cap * working_days(lo, hi) / 5
    return capacity, alloc


def analyse(t):
    A = {}
    projects = {p["id"]: p for p in t["projects"]}
    latest = {}
    for r in t["status_reports"]:
        if D(r["as_of"]) <= STATUS_DATE and (r["project"] not in latest or r["as_of"] > latest[r["project"]]["as_of"]):
            latest[r["project"]] = r

    def cpi_spi(pid_):
        r = latest.get(pid_)
        if not r:
            return None, None
        ev, ac, pv = Fraction(r["ev"]), Fraction(r["ac"]), Fraction(r["pv"])
        return (ev / ac if ac else None), (ev / pv if pv else None)

    def computed(pid_):
        c, s = cpi_spi(pid_)
        b = [band(x) for x in (c, s) if x is not None]
        return worst(*b) if b else None

    status = {}
    for pid_, p in projects.items():
        status[pid_] = latest[pid_]["overall"] if pid_ in latest else (p["status"] or None)
        if pid_ in latest and p["status"] != latest[pid_]["overall"]:
            sys.exit(f"{pid_}: projects.csv status {p['status']} != latest report {latest[pid_]['overall']}")
    A["latest"], A["status"], A["cpi_spi"], A["computed"] = latest, status, cpi_spi, computed

    A["no_sponsor"] = [i for i, p in projects.items()
                       if Decimal(p["bac"]) > 1_000_000 and p["phase"] != "closed" and not p["sponsor"]]
    open_issue = {r["project"] for r in t["issues"] if r["state"] == "open"}
    A["red_no_open_issue"] = [i for i in projects if status[i] == "red" and i not in open_issue]
    A["red_over_1m"] = [i for i in projects if status[i] == "red" and Decimal(projects[i]["bac"]) > 1_000_000]
    A["red_all"] = [i for i in projects if status[i] == "red"]
    A["stale"] = [i for i, p in projects.items() if p["phase"] in ("planning", "execution")
                  and i in latest and D(latest[i]["as_of"]) < STATUS_DATE - days(14)]
    A["no_report_active"] = [i for i, p in projects.items() if p["phase"] in ("planning", "execution")
                             and i not in latest]
    overdue = [m for m in t["milestones"] if D(m["due"]) < STATUS_DATE and not m["completed"]]
    A["overdue"] = overdue
    per = {}
    for m in overdue:
        per.setdefault(m["project"], []).append(m["id"])
    A["overdue_by_project"] = per
    A["ac_zero"] = [i for i, r in latest.items() if Decimal(r["ac"]) == 0]
    A["pv_zero"] = [i for i, r in latest.items() if Decimal(r["pv"]) == 0]
    A["watermelon"] = [i for i in latest if status[i] == "green" and computed(i) == "red"]
    A["finish_q4"] = [i for i, p in projects.items() if dt.date(2026, 10, 1) <= D(p["finish"]) <= dt.date(2026, 12, 31)]
    A["unowned_high_risks"] = [r["id"] for r in t["risks"]
                               if risk_level(r["probability"]) * int(r["impact"]) >= 12 and not r["owner"]]
    A["unowned_risks"] = [(r["id"], risk_level(r["probability"]) * int(r["impact"])) for r in t["risks"] if not r["owner"]]
    months = {"2026-10": (dt.date(2026, 10, 1), dt.date(2026, 10, 31)),
              "2026-11": (dt.date(2026, 11, 1), dt.date(2026, 11, 30)),
              "2026-12": (dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
              "2026-Q4": (dt.date(2026, 10, 1), dt.date(2026, 12, 31))}
    over = {}
    util = {}
    for name, (a, b) in months.items():
        over[name] = []
        for r in RESOURCES:
            cap, al = period_capacity_allocated(t, r[0], a, b)
            util[(r[0], name)] = al / cap if cap else None
            if al > cap:
                over[name].append(r[0])
    q4_weeks_over = set()
    w = monday_on_or_before(dt.date(2026, 10, 1))
    while w <= dt.date(2026, 12, 31):
        for r in RESOURCES:
            cap, al = period_capacity_allocated(t, r[0], max(w, dt.date(2026, 10, 1)), min(w + days(6), dt.date(2026, 12, 31)))
            if al > cap:
                q4_weeks_over.add(r[0])
        w += days(7)
    A["over"], A["util"], A["over_weeks_q4"] = over, util, q4_weeks_over
    cap, req = period_capacity_allocated(t, "RES-038", dt.date(2026, 12, 1), dt.date(2026, 12, 31), "requested")
    A["res038_requested"] = req / cap
    bac_by_pf = {}
    for p in t["projects"]:
        bac_by_pf[p["portfolio"]] = bac_by_pf.get(p["portfolio"], 0) + Decimal(p["bac"])
    A["over_cap"] = [(pf["id"], bac_by_pf[pf["id"]], Decimal(pf["budget_cap"])) for pf in t["portfolios"]
                     if bac_by_pf[pf["id"]] > Decimal(pf["budget_cap"])]
    A["overdue_gates"] = [(g["project"], g["gate"], g["planned"]) for g in t["gates"]
                          if not g["held"] and D(g["planned"]) < STATUS_DATE]
    ratios = []
    for i in latest:
        c, s = cpi_spi(i)
        ratios += [x for x in (c, s) if x is not None]
    A["ratios_in_band"] = sum(1 for x in ratios if Fraction(85, 100) <= x <= Fraction(108, 100))
    A["ratios_total"] = len(ratios)
    return A


def check_problems(A):
    problems = []

    def need(cond, msg):
        if not cond:
            problems.append(msg)

    need(len(A["no_sponsor"]) >= 2, "1: fewer than two sponsorless projects over $1M")
    need(A["red_no_open_issue"] == [pid("RECV")], f"2: red without open issues: {A['red_no_open_issue']}")
    need({"RES-007", "RES-029"} <= set(A["over"]["2026-12"]) and {"RES-007", "RES-029"} <= set(A["over"]["2026-Q4"]),
         "3: expected RES-007 and RES-029 over-allocated in 2026-12 and 2026-Q4")
    need(set(A["over"]["2026-12"]) == {"RES-007", "RES-029"}, f"3: unexpected over-allocations {A['over']['2026-12']}")
    need(A["util"][("RES-020", "2026-12")] == 1 and "RES-020" not in A["over_weeks_q4"],
         "3: RES-020 must be at exactly 100%")
    need(A["over_weeks_q4"] == {"RES-007", "RES-029"}, f"3: weekly over-allocation {A['over_weeks_q4']}")
    need(A["res038_requested"] > 0, "3: RES-038 requested allocation missing")
    need(any(BY_ID[i]["phase"] == "execution" for i in A["stale"]), "4: no stale execution project")
    need(len(A["overdue"]) >= 5 and any(len(v) >= 2 for v in A["overdue_by_project"].values()),
         "5: overdue milestones")
    need(A["ac_zero"] and A["pv_zero"], "6: ac = 0 / pv = 0")
    need(A["watermelon"], "7: watermelon")
    need(A["unowned_high_risks"], "8: unowned high risk")
    need(A["finish_q4"] and len(A["red_over_1m"]) >= 2, "9: Q4 finish / red over $1M")
    need(A["ratios_in_band"] >= 0.8 * A["ratios_total"], "CPI/SPI mostly 0.85-1.08")
    if problems:
        for p in problems:
            print("MISSING PROBLEM:", p, file=sys.stderr)
        sys.exit(1)


BY_ID = {}


# --------------------------------------------------------------------------------------
# README
# --------------------------------------------------------------------------------------

def fmt_money(x):
    x = Decimal(x)
    if x >= 1_000_000:
        m = f"{x / 1_000_000:.2f}".rstrip("0").rstrip(".")
        return f"${m}M"
    return f"${x / 1000:.0f}k"


def fmt_idx(x):
    return "none" if x is None else f"{float(x):.2f}"


def name_of(i):
    return BY_ID[i]["name"]


def write_readme(t, A):
    counts = {n: len(t[n]) for n in ENTITIES}
    latest, cpi_spi = A["latest"], A["cpi_spi"]
    L = []
    add = L.append
    add("# Demo portfolio: Meridian Health Technologies")
    add("")
    add("The portfolio `pmo` opens when no workspace is given. It is generated by")
    add("`tools/gen_demo.py` (deterministic, `random.Random(2026)`); edit the generator, not the")
    add("CSV files, and run `python3 tools/gen_demo.py` to rebuild them and this README.")
    add("")
    add("Meridian Health Technologies is a fictional mid-size company that makes medical devices,")
    add("runs Medicaid behavioral health services and sells on-line. Its PMO tracks the kind of")
    add("work the product was born from: a multi-year SAP S/4HANA implementation, a receivables")
    add("replacement, a Universal Customer Master, an e-commerce platform replacement, a Medicaid")
    add("behavioral health data exchange, an FDA 510(k) submission, ISO 27001 and SOC 2")
    add("compliance, and the PMO's own PPM tool and earned value reporting.")
    add("")
    add(f"**Data date (status date): {STATUS_DATE.isoformat()}** (a Friday; `settings.csv`). All")
    add("dates are realistic relative to it: timesheets run weekly from 2026-06-01 to 2026-11-16,")
    add("allocations from 2026-06 to 2027-03, status reports are weekly (Fridays) for the last")
    add("8-10 weeks of each reporting project. Currency USD, fiscal year starting in January.")
    add("")
    add("## Contents")
    add("")
    add("| file | rows | notes |")
    add("|---|---:|---|")
    notes = {
        "people": "managers, sponsors, owners",
        "portfolios": "Enterprise Transformation, Regulatory & Compliance, Digital Commerce",
        "programs": " + ".join(str(sum(1 for g in t["programs"] if g["portfolio"] == pf["id"]))
                               for pf in t["portfolios"]) + " across the portfolios",
        "projects": "bac $165k-$12M; phases initiation to closed; one cancelled, one on hold",
        "milestones": "some key, some completed, some forecast later than baseline",
        "tasks": "two summary tasks with leaf tasks per project (not for ideas)",
        "dependencies": "project-to-project and a few task-to-task links",
        "resources": "capacity 40/32/20 h per week, rates $60-$220 per hour; one inactive",
        "allocations": "mostly approved, some requested",
        "timesheets": "per allocated resource, project and Monday; cost = hours x rate",
        "risks": "probability 0.05-0.9, impact 1-5",
        "issues": "",
        "status_reports": "cumulative pv/ev/ac; RAG bands follow CPI/SPI (>= 0.95 green, >= 0.90 amber)",
        "gates": "G0-G3",
        "changes": "",
    }
    for n in ENTITIES:
        add(f"| `{n}.csv` | {counts[n]} | {notes.get(n, '')} |")
    add("")
    add("Headers are exactly the field names of `Sources/Portfolio/Catalog.swift`, in order.")
    add("")
    add("## Portfolios and programs")
    add("")
    for pf in t["portfolios"]:
        pbac = sum(Decimal(p["bac"]) for p in t["projects"] if p["portfolio"] == pf["id"])
        add(f"- **{pf['id']} {pf['name']}** (budget cap {fmt_money(pf['budget_cap'])}, Σ bac {fmt_money(pbac)})")
        for g in t["programs"]:
            if g["portfolio"] != pf["id"]:
                continue
            ps = [p for p in t["projects"] if p["program"] == g["id"]]
            add(f"  - {g['id']} {g['name']}: " + ", ".join(f"{p['id']} {p['name']}" for p in ps))
    add("")
    add("## Deliberate problems")
    add("")
    add("The governance examples and tests depend on these; keep them when changing the generator")
    add("(it checks every one of them and fails otherwise).")
    add("")

    def plist(ids):
        return ", ".join(f"{i} {name_of(i)} ({fmt_money(BY_ID[i]['bac'])})" for i in ids)

    add("1. **No sponsor on large, unfinished projects** (`projects where sponsor is none and bac > $1M`,")
    add("   rule `sponsor_required`): " + plist(A["no_sponsor"]) + ".")
    traps = [p["id"] for p in t["projects"] if not p["sponsor"] and p["id"] not in A["no_sponsor"]]
    add("   Not violations (traps): " + "; ".join(
        f"{i} {name_of(i)} ({fmt_money(BY_ID[i]['bac'])}, phase {BY_ID[i]['phase']})" for i in traps) + ".")
    add("2. **Red with no open issue** (`projects where not exists(issues where state = open) and status = red`): "
        + ", ".join(f"{i} {name_of(i)}" for i in A["red_no_open_issue"]) + "; its issues are "
        + ", ".join(f"{r['id']} ({r['state']})" for r in t["issues"] if r["project"] in A["red_no_open_issue"])
        + ". Every other red project has at least one open issue.")
    u = A["util"]
    add("3. **Over-allocation** (approved allocations only):")
    add(f"   - RES-007 {RES_BY_ID['RES-007'][1]} ({RES_BY_ID['RES-007'][2]}): 60% on {pid('S4FIN')} from 2026-06-01"
        f" + 50% on {pid('S4MIG')} from 2026-10-01 to 2027-01-29 = 110%; utilization(2026-12) ="
        f" {float(u[('RES-007', '2026-12')]):.0%}, utilization(2026-Q4) = {float(u[('RES-007', '2026-Q4')]):.0%}.")
    add(f"   - RES-029 {RES_BY_ID['RES-029'][1]} ({RES_BY_ID['RES-029'][2]}): 80% on {pid('ISO')}"
        f" + 40% on {pid('SOC2')} from 2026-11-02 to 2026-12-31 = 120%; utilization(2026-12) ="
        f" {float(u[('RES-029', '2026-12')]):.0%}, utilization(2026-Q4) = {float(u[('RES-029', '2026-Q4')]):.1%}"
        f" (not over in 2026-10: {float(u[('RES-029', '2026-10')]):.0%}).")
    add(f"   - Trap, exactly 100%: RES-020 {RES_BY_ID['RES-020'][1]} has 70% on {pid('CAP')}, 20% on"
        f" {pid('EVR')} and 10% on {pid('PPM')} (rows in that order), all 2026-07-06..2027-01-29. Not")
    add("     over-allocated. In binary floating point, 0.7 x 184 + 0.2 x 184 + 0.1 x 184 (December has")
    add("     23 working days, 184 hours) sums to 184.00000000000003 > 184; exact decimals give 184.")
    add(f"   - Trap, requested only: RES-038 {RES_BY_ID['RES-038'][1]} has 70% approved on {pid('CRM')} and a"
        f" requested 50% on {pid('OMS')} from 2026-11-02: utilization(2026-12) is 70%, requested is 50%.")
    add("   `resources where utilization(2026-12) > 100%` and the weekly `overallocated(w)` over")
    add(f"   `weeks(2026-Q4)` both give exactly: {', '.join(A['over']['2026-12'])}.")
    stale = A["stale"]
    add("4. **Stale status** (`rule status_fresh`, latest report older than 14 days): " + "; ".join(
        f"{i} {name_of(i)} (phase {BY_ID[i]['phase']}, state {BY_ID[i]['state']}, last report {latest[i]['as_of']},"
        f" {(STATUS_DATE - D(latest[i]['as_of'])).days} days)" for i in stale) + ".")
    mob = pid("MOB")
    if mob in stale:
        add(f"   {mob} is on hold: the rule as written flags it too (refine with `and state != on_hold`).")
    if A["no_report_active"]:
        add("   No status report at all (the rule is *unknown*, not pass): " + ", ".join(
            f"{i} {name_of(i)} (phase {BY_ID[i]['phase']})" for i in A["no_report_active"]) + ".")
    eop = pid("EOP2")
    add(f"   Not flagged: {eop} {name_of(eop)} last reported {latest[eop]['as_of']} but is in phase closing.")
    add(f"5. **Overdue milestones** (due before {STATUS_DATE}, not completed): {len(A['overdue'])} in all:")
    for prj, ms in A["overdue_by_project"].items():
        add(f"   - {prj} {name_of(prj)}: " + ", ".join(
            f"{m} \"{next(x['name'] for x in t['milestones'] if x['id'] == m)}\" (due {next(x['due'] for x in t['milestones'] if x['id'] == m)})"
            for m in ms))
    two = [p for p, ms in A["overdue_by_project"].items() if len(ms) >= 2]
    add(f"   `projects where count(milestones where overdue) >= 2` gives {', '.join(two)}.")
    trap_ms = [m for m in t["milestones"] if D(m["due"]) == STATUS_DATE and not m["completed"]]
    for m in trap_ms:
        add(f"   Trap: {m['id']} \"{m['name']}\" ({m['project']}) is due on {m['due']}, the status date itself: not overdue.")
    z = A["ac_zero"][0]
    add(f"6. **Undefined indices**: {z} {name_of(z)} (execution) reports ac = 0 in every report (actuals not yet")
    add(f"   interfaced), so CPI, EAC, ETC and VAC are none; its timesheets still carry cost (`actual_cost` > 0).")
    add(f"   It reports cost amber (cannot be confirmed), so overall {A['status'][z]} while computed_status is"
        f" {A['computed'](z)} (from SPI alone).")
    z = A["pv_zero"][0]
    add(f"   {z} {name_of(z)} (initiation, proposed) reports pv = 0 (no baseline yet), so SPI is none;")
    c, s = cpi_spi(z)
    add(f"   CPI is {fmt_idx(c)}, so computed_status is {A['computed'](z)}.")
    for w in A["watermelon"]:
        c, s = cpi_spi(w)
        add(f"7. **Watermelon**: {w} {name_of(w)} is reported green (overall, schedule, cost and scope) while")
        add(f"   CPI = {fmt_idx(c)} and SPI = {fmt_idx(s)}: computed_status red.")
    add("8. **Unowned high risks** (`risks where score >= 12 and owner is none`): " + ", ".join(
        f"{i} (score {sc}, {next(r['project'] for r in t['risks'] if r['id'] == i)})"
        for i, sc in A["unowned_risks"] if sc >= 12) + ".")
    for i, sc in A["unowned_risks"]:
        r = next(r for r in t["risks"] if r["id"] == i)
        add(f"   - {i} \"{r['title']}\": probability {r['probability']} (level {risk_level(r['probability'])}),"
            f" impact {r['impact']}, score {sc}" + (" - not flagged (trap)" if sc < 12 else "") + ".")
    add("9. **Date and money filters**:")
    add("   - `projects where finish between 2026-10-01 and 2026-Q4.end`: " + ", ".join(
        f"{i} ({BY_ID[i]['finish']})" for i in A["finish_q4"]) + f". {pid('SOC2')} finishes on 2026-12-31 (inclusive"
        f" end); {pid('CSP')} finished on 2026-09-30, just outside.")
    add(f"   - `projects where status = red and bac > $1M`: {len(A['red_over_1m'])} projects: " + ", ".join(
        f"{i} {name_of(i)} ({fmt_money(BY_ID[i]['bac'])})" for i in A["red_over_1m"]) + ".")
    small_red = [i for i in A["red_all"] if i not in A["red_over_1m"]]
    if small_red:
        add("     Red but under $1M (excluded): " + ", ".join(
            f"{i} {name_of(i)} ({fmt_money(BY_ID[i]['bac'])})" for i in small_red) + ".")
    add("")
    add("Also present (not in the list above, but visible to rules):")
    add("")
    for pf, s, cap in A["over_cap"]:
        add(f"- Portfolio {pf} {next(x['name'] for x in t['portfolios'] if x['id'] == pf)}: Σ bac {fmt_money(s)}"
            f" exceeds its budget_cap {fmt_money(cap)}.")
    for prj, g, planned in A["overdue_gates"]:
        add(f"- Gate {g} of {prj} {name_of(prj)} was planned for {planned} and has not been held (decision pending).")
    add(f"- {pid('CTDM')} {name_of(pid('CTDM'))} is cancelled (gate G2 rejected); {pid('MOB')} is on hold.")
    add(f"- Change CHG-014 has a negative cost impact (a descoping saving).")
    add(f"- RES-042 {RES_BY_ID['RES-042'][1]} is inactive (left 2026-09-30); his allocations end then.")
    add("")
    add("## Status at the data date")
    add("")
    add("| project | phase | status | computed | CPI | SPI | bac | last report |")
    add("|---|---|---|---|---:|---:|---:|---|")
    for p in t["projects"]:
        i = p["id"]
        c, s = cpi_spi(i)
        add(f"| {i} {p['name']} | {p['phase']} | {A['status'][i] or ''} | {A['computed'](i) or ''} |"
            f" {fmt_idx(c) if i in latest else ''} | {fmt_idx(s) if i in latest else ''} | {fmt_money(p['bac'])} |"
            f" {latest[i]['as_of'] if i in latest else ''} |")
    add("")
    with open(os.path.join(OUT, "README.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(L))


def main():
    generate()
    t = read_back()
    validate(t)
    BY_ID.update({p["id"]: p for p in t["projects"]})
    A = analyse(t)
    check_problems(A)
    write_readme(t, A)
    print("wrote", OUT)
    for n in ENTITIES:
        print(f"  {n}.csv: {len(t[n])} rows")
    print("no sponsor, bac > $1M, not closed:", A["no_sponsor"])
    print("red without open issues:", A["red_no_open_issue"])
    print("over-allocated 2026-12:", A["over"]["2026-12"], " 2026-Q4:", A["over"]["2026-Q4"])
    print("stale:", A["stale"], " no report:", A["no_report_active"])
    print("overdue milestones:", A["overdue_by_project"])
    print("ac = 0:", A["ac_zero"], " pv = 0:", A["pv_zero"])
    print("watermelon:", A["watermelon"])
    print("unowned risks:", A["unowned_risks"])
    print("finish in 2026-Q4:", A["finish_q4"])
    print("red:", A["red_all"], " red over $1M:", A["red_over_1m"])
    print(f"CPI/SPI in 0.85-1.08: {A['ratios_in_band']}/{A['ratios_total']}")


if __name__ == "__main__":
    main()
