"""The roles of the permission matrix, as its columns (tests/test_permission_matrix*.py).

Bangkok's centre covers Thailand (both buyers), Istanbul's does not.
"""

ANON = "anonymous"
SME = "sme_owner"  # member of the company in the company URLs
STRANGER = "stranger"  # member of another Korean company
BUYER = "buyer"  # member of Khon Kaen's buyer organisation, which owns the Thai listings
BUYER2 = "other_buyer"  # member of another Thai buyer organisation (Chiang Mai)
BKK = "centre_staff"  # KOTRA Bangkok
IST = "other_centre_staff"  # KOTRA Istanbul
ADMIN = "admin"
ROLES = [ANON, SME, STRANGER, BUYER, BUYER2, BKK, IST, ADMIN]


def users_by_role(sme_owner, stranger, buyer, other_buyer, centre_staff, other_centre_staff, admin):
    """The matrix's columns (but the anonymous visitor) mapped to their users."""
    return {
        SME: sme_owner,
        STRANGER: stranger,
        BUYER: buyer,
        BUYER2: other_buyer,
        BKK: centre_staff,
        IST: other_centre_staff,
        ADMIN: admin,
    }
