"""Writes on Korean companies."""

from django.db import transaction

from .models import ApprovalStatus, Company


@transaction.atomic
def company_approve(*, company: Company) -> Company:
    """Approve a company so its public profile is listed. Side effects: none yet (e-mail comes later)."""
    company.approval_status = ApprovalStatus.APPROVED
    company.rejection_reason = ""
    company.save(update_fields=["approval_status", "rejection_reason", "updated_at"])
    return company
