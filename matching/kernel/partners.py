"""Whether a Korean company and a buyer are partners: the kernel asks, the apps that know answer.

Contact details show only between partners (matching.kernel.permissions). What makes two organisations
partners is recorded above the kernel (an accepted partner request, a meeting at a roadshow), so the app
that records it registers a check here when Django starts (`PartneringConfig.ready`), and the kernel's
rules ask through `are_partners` without importing upward.
"""

_checks = []


def register(check):
    """Add `check(company_id, buyer_id) -> bool`; registering the same check twice keeps one."""
    if check not in _checks:
        _checks.append(check)


def are_partners(company_id, buyer_id):
    """True when any registered check says the two organisations are partners."""
    if company_id is None or buyer_id is None:
        return False
    return any(check(company_id, buyer_id) for check in _checks)
