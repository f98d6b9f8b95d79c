"""Fills the database with the staging tenants: two drone operators, their credentials, deployments and plans.

The ids and credentials are fixed so conformance.yaml can name them.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from garuda.models import Company, Deployment, FlightPlan, FlightSession

COMPANIES = [
    {
        "id": "5d1c0a7e9b2f4c3a8e6d7f1029384756", "name": "Skyline Surveys",
        "auth_token": "sky-4f0e8b6a2d1c9e7f", "api_key": "sky-key-7c3a91e5b2d4",
        "deployments": ["a1b2c3d4e5f60718293a4b5c6d7e8f90", "b2c3d4e5f60718293a4b5c6d7e8f90a1"],
        "approved_plans": ["c3d4e5f60718293a4b5c6d7e8f90a1b2", "d4e5f60718293a4b5c6d7e8f90a1b2c3"],
        "unapproved_plans": ["e5f60718293a4b5c6d7e8f90a1b2c3d4"],
    },
    {
        "id": "6e2d1b8f0c3a5d4b9f7e8a2130495867", "name": "Harbour Aerial",
        "auth_token": "hbr-9a8b7c6d5e4f3a2b", "api_key": "hbr-key-1f2e3d4c5b6a",
        "deployments": ["f60718293a4b5c6d7e8f90a1b2c3d4e5"],
        "approved_plans": ["0718293a4b5c6d7e8f90a1b2c3d4e5f6"],
        "unapproved_plans": ["18293a4b5c6d7e8f90a1b2c3d4e5f607"],
    },
]
# 2018-05-28T01:00:00Z, the seed's own start_date_time, and a few flights after it.
FIRST_START_MS = 1527469200000
HOUR_MS = 3_600_000


class Command(BaseCommand):
    help = "Create the staging companies with their credentials, deployments, flight plans and a few sessions."

    @transaction.atomic
    def handle(self, *args, **options):
        for spec in COMPANIES:
            company = Company.objects.create(id=spec["id"], name=spec["name"], auth_token=spec["auth_token"],
                                             api_key=spec["api_key"])
            deployments = [Deployment.objects.create(id=pk, company=company, name=f"Site {n}")
                           for n, pk in enumerate(spec["deployments"], 1)]
            plans = [FlightPlan.objects.create(id=pk, company=company, approved=True) for pk in spec["approved_plans"]]
            for pk in spec["unapproved_plans"]:
                FlightPlan.objects.create(id=pk, company=company, approved=False)
            for n in range(3):
                start = FIRST_START_MS + n * 24 * HOUR_MS
                FlightSession.objects.create(company=company, deployment=deployments[n % len(deployments)],
                                             flight_plan=plans[n % len(plans)], start_date_time=start,
                                             end_date_time=start + 2 * HOUR_MS)
