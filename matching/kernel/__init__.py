"""The kernel: the vocabulary every app shares, at the bottom of the house.

Roles, KOTRA trade centres, approval states, the solution taxonomy (categories and certifications),
budget bands, and the review of new organisations. Accounts, companies, demands and consultations
import from here; the kernel imports none of them.
"""
