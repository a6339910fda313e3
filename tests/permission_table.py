"""The permission matrix's table: the status every role gets from every URL of the portal
(tests/test_permission_matrix.py asks them; the admin site's table is in test_permission_matrix_admin.py)."""

from tests.roles import ADMIN, ANON, BKK, BUYER, BUYER2, IST, SME, STRANGER

# fmt: off
EXPECTED = {
    # ------------------------------------------------------------ portal
    "home": {
        ANON: 200, SME: 200, STRANGER: 200, BUYER: 200, BUYER2: 200, BKK: 200, IST: 200, ADMIN: 200,
    },
    # The language links of the navigation: a cookie, then back to the page.
    "language": {
        ANON: 302, SME: 302, STRANGER: 302, BUYER: 302, BUYER2: 302, BKK: 302, IST: 302, ADMIN: 302,
    },
    "language (unknown)": {
        ANON: 404, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 404, IST: 404, ADMIN: 404,
    },
    "healthz": {
        ANON: 200, SME: 200, STRANGER: 200, BUYER: 200, BUYER2: 200, BKK: 200, IST: 200, ADMIN: 200,
    },
    "login": {
        ANON: 200, SME: 200, STRANGER: 200, BUYER: 200, BUYER2: 200, BKK: 200, IST: 200, ADMIN: 200,
    },
    "logout": {
        ANON: 302, SME: 302, STRANGER: 302, BUYER: 302, BUYER2: 302, BKK: 302, IST: 302, ADMIN: 302,
    },
    "logout (GET)": {
        ANON: 405, SME: 405, STRANGER: 405, BUYER: 405, BUYER2: 405, BKK: 405, IST: 405, ADMIN: 405,
    },
    # ------------------------------------------------------------ accounts
    "member_home": {
        ANON: 302, SME: 200, STRANGER: 200, BUYER: 200, BUYER2: 200, BKK: 200, IST: 200, ADMIN: 200,
    },
    "accounts:signup": {
        ANON: 200, SME: 302, STRANGER: 302, BUYER: 302, BUYER2: 302, BKK: 302, IST: 302, ADMIN: 302,
    },
    # Members invite colleagues; staff and admin accounts are made by admins.
    # Everyone's own settings: language, time zone, Buddhist-era years.
    "accounts:preferences": {
        ANON: 302, SME: 200, STRANGER: 200, BUYER: 200, BUYER2: 200, BKK: 200, IST: 200, ADMIN: 200,
    },
    # Everyone's own consents (portal.privacy): read, give or withdraw; a posted change goes back to the page.
    "privacy:consents": {
        ANON: 302, SME: 200, STRANGER: 200, BUYER: 200, BUYER2: 200, BKK: 200, IST: 200, ADMIN: 200,
    },
    "privacy:consents (withdraw marketing)": {
        ANON: 302, SME: 302, STRANGER: 302, BUYER: 302, BUYER2: 302, BKK: 302, IST: 302, ADMIN: 302,
    },
    "privacy:consents (an unknown consent)": {
        ANON: 302, SME: 400, STRANGER: 400, BUYER: 400, BUYER2: 400, BKK: 400, IST: 400, ADMIN: 400,
    },
    # Everything the portal holds about oneself, as a page and as JSON: everyone their own.
    "privacy:my_data": {
        ANON: 302, SME: 200, STRANGER: 200, BUYER: 200, BUYER2: 200, BKK: 200, IST: 200, ADMIN: 200,
    },
    "privacy:my_data_json": {
        ANON: 302, SME: 200, STRANGER: 200, BUYER: 200, BUYER2: 200, BKK: 200, IST: 200, ADMIN: 200,
    },
    # Everyone asks for their own account's deletion, confirmed with their password.
    "privacy:deletion_request": {
        ANON: 302, SME: 200, STRANGER: 200, BUYER: 200, BUYER2: 200, BKK: 200, IST: 200, ADMIN: 200,
    },
    "privacy:deletion_request (wrong password)": {
        ANON: 302, SME: 400, STRANGER: 400, BUYER: 400, BUYER2: 400, BKK: 400, IST: 400, ADMIN: 400,
    },
    # ... and withdraws their own open request (with none open: a message), by POST only.
    "privacy:deletion_request_withdraw": {
        ANON: 302, SME: 302, STRANGER: 302, BUYER: 302, BUYER2: 302, BKK: 302, IST: 302, ADMIN: 302,
    },
    "privacy:deletion_request_withdraw (GET)": {
        ANON: 302, SME: 405, STRANGER: 405, BUYER: 405, BUYER2: 405, BKK: 405, IST: 405, ADMIN: 405,
    },
    "accounts:invite": {
        ANON: 302, SME: 302, STRANGER: 302, BUYER: 302, BUYER2: 302, BKK: 403, IST: 403, ADMIN: 403,
    },
    "accounts:invite (invalid e-mail)": {
        ANON: 302, SME: 400, STRANGER: 400, BUYER: 400, BUYER2: 400, BKK: 403, IST: 403, ADMIN: 403,
    },
    "accounts:invite (GET)": {
        ANON: 302, SME: 405, STRANGER: 405, BUYER: 405, BUYER2: 405, BKK: 405, IST: 405, ADMIN: 405,
    },
    # Someone logged in is sent to their own organisation page: accepting would switch accounts.
    "accounts:invitation_accept": {
        ANON: 200, SME: 302, STRANGER: 302, BUYER: 302, BUYER2: 302, BKK: 302, IST: 302, ADMIN: 302,
    },
    "accounts:invitation_accept (used)": {
        ANON: 410, SME: 302, STRANGER: 302, BUYER: 302, BUYER2: 302, BKK: 302, IST: 302, ADMIN: 302,
    },
    "accounts:review_queue": {
        ANON: 302, SME: 403, STRANGER: 403, BUYER: 403, BUYER2: 403, BKK: 200, IST: 200, ADMIN: 200,
    },
    # Only admins review Korean companies: no trade centre covers Korea.
    "accounts:review_decide (company, approve)": {
        ANON: 302, SME: 403, STRANGER: 403, BUYER: 403, BUYER2: 403, BKK: 404, IST: 404, ADMIN: 302,
    },
    "accounts:review_decide (company, reject)": {
        ANON: 302, SME: 403, STRANGER: 403, BUYER: 403, BUYER2: 403, BKK: 404, IST: 404, ADMIN: 302,
    },
    "accounts:review_decide (buyer, approve)": {
        ANON: 302, SME: 403, STRANGER: 403, BUYER: 403, BUYER2: 403, BKK: 302, IST: 404, ADMIN: 302,
    },
    "accounts:review_decide (buyer, reject)": {
        ANON: 302, SME: 403, STRANGER: 403, BUYER: 403, BUYER2: 403, BKK: 302, IST: 404, ADMIN: 302,
    },
    "accounts:password_change": {
        ANON: 302, SME: 200, STRANGER: 200, BUYER: 200, BUYER2: 200, BKK: 200, IST: 200, ADMIN: 200,
    },
    "accounts:password_change_done": {
        ANON: 302, SME: 200, STRANGER: 200, BUYER: 200, BUYER2: 200, BKK: 200, IST: 200, ADMIN: 200,
    },
    "accounts:password_reset": {
        ANON: 200, SME: 200, STRANGER: 200, BUYER: 200, BUYER2: 200, BKK: 200, IST: 200, ADMIN: 200,
    },
    "accounts:password_reset_done": {
        ANON: 200, SME: 200, STRANGER: 200, BUYER: 200, BUYER2: 200, BKK: 200, IST: 200, ADMIN: 200,
    },
    # A valid link moves its token into the session and redirects to the set-password form.
    "accounts:password_reset_confirm": {
        ANON: 302, SME: 302, STRANGER: 302, BUYER: 302, BUYER2: 302, BKK: 302, IST: 302, ADMIN: 302,
    },
    "accounts:password_reset_complete": {
        ANON: 200, SME: 200, STRANGER: 200, BUYER: 200, BUYER2: 200, BKK: 200, IST: 200, ADMIN: 200,
    },
    # ------------------------------------------------------------ companies
    "companies:list": {
        ANON: 200, SME: 200, STRANGER: 200, BUYER: 200, BUYER2: 200, BKK: 200, IST: 200, ADMIN: 200,
    },
    "companies:detail (approved)": {
        ANON: 200, SME: 200, STRANGER: 200, BUYER: 200, BUYER2: 200, BKK: 200, IST: 200, ADMIN: 200,
    },
    "companies:detail (another company, pending)": {
        ANON: 404, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 200, IST: 200, ADMIN: 200,
    },
    "companies:detail (own company, pending)": {
        ANON: 404, SME: 200, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 200, IST: 200, ADMIN: 200,
    },
    "companies:brochure": {
        ANON: 200, SME: 200, STRANGER: 200, BUYER: 200, BUYER2: 200, BKK: 200, IST: 200, ADMIN: 200,
    },
    "companies:logo": {
        ANON: 200, SME: 200, STRANGER: 200, BUYER: 200, BUYER2: 200, BKK: 200, IST: 200, ADMIN: 200,
    },
    # A pending company is not public yet: neither is its logo.
    "companies:logo (another company, pending)": {
        ANON: 404, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 200, IST: 200, ADMIN: 200,
    },
    "companies:edit": {
        ANON: 302, SME: 200, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 404, IST: 404, ADMIN: 200,
    },
    "companies:solutions": {
        ANON: 302, SME: 200, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 404, IST: 404, ADMIN: 200,
    },
    "companies:references": {
        ANON: 302, SME: 200, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 404, IST: 404, ADMIN: 200,
    },
    # ------------------------------------------------------------ demands
    "demands:list": {
        ANON: 200, SME: 200, STRANGER: 200, BUYER: 200, BUYER2: 200, BKK: 200, IST: 200, ADMIN: 200,
    },
    "demands:mine": {
        ANON: 302, SME: 403, STRANGER: 403, BUYER: 200, BUYER2: 200, BKK: 200, IST: 200, ADMIN: 200,
    },
    "demands:create": {
        ANON: 302, SME: 403, STRANGER: 403, BUYER: 200, BUYER2: 200, BKK: 200, IST: 200, ADMIN: 200,
    },
    "demands:detail (open)": {
        ANON: 200, SME: 200, STRANGER: 200, BUYER: 200, BUYER2: 200, BKK: 200, IST: 200, ADMIN: 200,
    },
    "demands:detail (draft)": {
        ANON: 404, SME: 404, STRANGER: 404, BUYER: 200, BUYER2: 404, BKK: 200, IST: 404, ADMIN: 200,
    },
    "demands:edit": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 200, BUYER2: 404, BKK: 200, IST: 404, ADMIN: 200,
    },
    "demands:publish": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 302, BUYER2: 404, BKK: 302, IST: 404, ADMIN: 302,
    },
    "demands:publish (GET)": {
        ANON: 302, SME: 405, STRANGER: 405, BUYER: 405, BUYER2: 405, BKK: 405, IST: 405, ADMIN: 405,
    },
    "demands:close": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 302, BUYER2: 404, BKK: 302, IST: 404, ADMIN: 302,
    },
    # A draft was never public: closing it is refused with a message on the listing's page.
    "demands:close (draft)": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 302, BUYER2: 404, BKK: 302, IST: 404, ADMIN: 302,
    },
    # ------------------------------------------------------------ recommendations
    "company_matches": {
        ANON: 302, SME: 200, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 200, IST: 200, ADMIN: 200,
    },
    "demand_matches": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 200, BUYER2: 404, BKK: 200, IST: 404, ADMIN: 200,
    },
    # ------------------------------------------------------------ results (staff: their centre's events)
    "dashboard": {
        ANON: 302, SME: 403, STRANGER: 403, BUYER: 403, BUYER2: 403, BKK: 200, IST: 200, ADMIN: 200,
    },
    "dashboard_export": {
        ANON: 302, SME: 403, STRANGER: 403, BUYER: 403, BUYER2: 403, BKK: 200, IST: 200, ADMIN: 200,
    },
    "dashboard_export_xlsx": {
        ANON: 302, SME: 403, STRANGER: 403, BUYER: 403, BUYER2: 403, BKK: 200, IST: 200, ADMIN: 200,
    },
    # The ministry's report (PDF, XLSX; Korean, English): an event's for its centre's staff and admins, a
    # year's for admins and staff of a centre with events that year (Istanbul's has none in that year).
    "ministry_report": {
        ANON: 302, SME: 403, STRANGER: 403, BUYER: 403, BUYER2: 403, BKK: 200, IST: 404, ADMIN: 200,
    },
    "ministry_report (Excel, English)": {
        ANON: 302, SME: 403, STRANGER: 403, BUYER: 403, BUYER2: 403, BKK: 200, IST: 404, ADMIN: 200,
    },
    "ministry_report_year": {
        ANON: 302, SME: 403, STRANGER: 403, BUYER: 403, BUYER2: 403, BKK: 200, IST: 404, ADMIN: 200,
    },
    # ------------------------------------------------------------ consultations (a Bangkok event)
    "consultations:events": {
        ANON: 302, SME: 403, STRANGER: 403, BUYER: 403, BUYER2: 403, BKK: 200, IST: 200, ADMIN: 200,
    },
    # Staff and admins have no agenda of their own; they open a registration's.
    "consultations:my_agenda": {
        ANON: 302, SME: 200, STRANGER: 200, BUYER: 200, BUYER2: 200, BKK: 403, IST: 403, ADMIN: 403,
    },
    "consultations:agenda": {
        ANON: 302, SME: 200, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 200, IST: 404, ADMIN: 200,
    },
    "consultations:agenda_ics": {
        ANON: 302, SME: 200, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 200, IST: 404, ADMIN: 200,
    },
    "consultations:meeting_ics": {
        ANON: 302, SME: 200, STRANGER: 404, BUYER: 200, BUYER2: 404, BKK: 200, IST: 404, ADMIN: 200,
    },
    # Each side records its own outcome; staff of the organising centre and admins record the official one.
    "consultations:outcome": {
        ANON: 302, SME: 200, STRANGER: 404, BUYER: 200, BUYER2: 404, BKK: 200, IST: 404, ADMIN: 200,
    },
    "consultations:mou_document": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 200, IST: 404, ADMIN: 200,
    },
    # The link in the follow-up e-mail: members of the meeting's Korean company only.
    "consultations:follow_up": {
        ANON: 302, SME: 200, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 404, IST: 404, ADMIN: 404,
    },
    "consultations:log": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 200, IST: 404, ADMIN: 200,
    },
    # Check-in at the door: the organising centre's staff and admins; the typed code is refused (the event
    # is not today) with a message, and the page redirects back to itself.
    "consultations:check_in": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 200, IST: 404, ADMIN: 200,
    },
    "consultations:check_in (typed code)": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 302, IST: 404, ADMIN: 302,
    },
    # ?table= goes to that table's check-in page; there a typed code checks in and starts the meeting.
    "consultations:check_in (at a table)": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 302, IST: 404, ADMIN: 302,
    },
    "consultations:table_check_in": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 200, IST: 404, ADMIN: 200,
    },
    "consultations:table_check_in (typed code)": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 302, IST: 404, ADMIN: 302,
    },
    "consultations:board": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 200, IST: 404, ADMIN: 200,
    },
    # Filling a freed place of the board with a walk-in: the organising centre's staff and admins. Nobody
    # checked in at the world's event, so the POST re-renders the page with that refusal.
    "consultations:walk_in": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 200, IST: 404, ADMIN: 200,
    },
    "consultations:walk_in (nobody checked in)": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 200, IST: 404, ADMIN: 200,
    },
    "consultations:schedule": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 302, IST: 404, ADMIN: 302,
    },
    "consultations:create": {
        ANON: 302, SME: 403, STRANGER: 403, BUYER: 403, BUYER2: 403, BKK: 200, IST: 200, ADMIN: 200,
    },
    "consultations:detail": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 200, IST: 404, ADMIN: 200,
    },
    "consultations:edit": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 200, IST: 404, ADMIN: 200,
    },
    "consultations:publish": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 302, IST: 404, ADMIN: 302,
    },
    # The world's event is upcoming: reopening it is refused with a message, back on its page.
    "consultations:reopen": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 302, IST: 404, ADMIN: 302,
    },
    "consultations:reopening_end": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 302, IST: 404, ADMIN: 302,
    },
    # A request staff made for both sides: the SME was asked, so only the SME's members answer it.
    "consultations:request_answer": {
        ANON: 302, SME: 302, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 404, IST: 404, ADMIN: 404,
    },
    "consultations:suggestions": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 200, IST: 404, ADMIN: 200,
    },
    "consultations:request_create": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 302, IST: 404, ADMIN: 302,
    },
    "consultations:grid": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 200, IST: 404, ADMIN: 200,
    },
    "consultations:meeting_create": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 200, IST: 404, ADMIN: 200,
    },
    "consultations:meeting_create (slot taken)": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 200, IST: 404, ADMIN: 200,
    },
    "consultations:meetings_lock": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 302, IST: 404, ADMIN: 302,
    },
    "consultations:meeting_edit": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 200, IST: 404, ADMIN: 200,
    },
    # GET asks for the confirmation and the reason; the POST with a reason cancels.
    "consultations:meeting_cancel": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 200, IST: 404, ADMIN: 200,
    },
    "consultations:meeting_cancel (with a reason)": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 302, IST: 404, ADMIN: 302,
    },
    # Participants ask KOTRA to move or cancel their booked meeting; staff and admins have no such page.
    "consultations:meeting_change_ask": {
        ANON: 302, SME: 200, STRANGER: 404, BUYER: 200, BUYER2: 404, BKK: 403, IST: 403, ADMIN: 403,
    },
    "consultations:meeting_change_ask (send)": {
        ANON: 302, SME: 302, STRANGER: 404, BUYER: 302, BUYER2: 404, BKK: 403, IST: 403, ADMIN: 403,
    },
    # The company asked: its member withdraws; the buyer is sent back with "only the side that asked".
    "consultations:meeting_change_withdraw": {
        ANON: 302, SME: 302, STRANGER: 404, BUYER: 302, BUYER2: 404, BKK: 403, IST: 403, ADMIN: 403,
    },
    "consultations:meeting_change_withdraw (GET)": {
        ANON: 302, SME: 405, STRANGER: 405, BUYER: 405, BUYER2: 405, BKK: 405, IST: 405, ADMIN: 405,
    },
    # The organising centre's staff answer from the event's page (or this page of the request).
    "consultations:meeting_change_answer": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 200, IST: 404, ADMIN: 200,
    },
    "consultations:meeting_change_answer (approve)": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 302, IST: 404, ADMIN: 302,
    },
    "consultations:registrations": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 200, IST: 404, ADMIN: 200,
    },
    "consultations:registration_create": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 200, IST: 404, ADMIN: 200,
    },
    "consultations:registration_edit": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 200, IST: 404, ADMIN: 200,
    },
    "consultations:registration_decide": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 302, IST: 404, ADMIN: 302,
    },
    "consultations:interpreters": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 200, IST: 404, ADMIN: 200,
    },
    "consultations:interpreter_edit": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 200, IST: 404, ADMIN: 200,
    },
    # The event's public page: its programme, for anyone while the event is published; a draft's for its
    # staff only.
    "consultations:programme": {
        ANON: 200, SME: 200, STRANGER: 200, BUYER: 200, BUYER2: 200, BKK: 200, IST: 200, ADMIN: 200,
    },
    "consultations:programme (draft)": {
        ANON: 404, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 200, IST: 404, ADMIN: 200,
    },
    "consultations:programme_sessions": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 200, IST: 404, ADMIN: 200,
    },
    "consultations:programme_sessions (add)": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 302, IST: 404, ADMIN: 302,
    },
    "consultations:programme_session_edit": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 200, IST: 404, ADMIN: 200,
    },
    "consultations:programme_session_delete": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 302, IST: 404, ADMIN: 302,
    },
    "consultations:programme_session_delete (GET)": {
        ANON: 302, SME: 405, STRANGER: 405, BUYER: 405, BUYER2: 405, BKK: 405, IST: 405, ADMIN: 405,
    },
    # Members register their own organisation for upcoming events; staff register others from the event.
    "consultations:join_list": {
        ANON: 302, SME: 200, STRANGER: 200, BUYER: 200, BUYER2: 200, BKK: 403, IST: 403, ADMIN: 403,
    },
    # Registered and confirmed members see the other side's participants and ask them for meetings.
    "consultations:meet": {
        ANON: 302, SME: 200, STRANGER: 404, BUYER: 200, BUYER2: 404, BKK: 404, IST: 404, ADMIN: 404,
    },
    # A member shortlists the other side's participants of their events: the SME adds the buyer.
    "consultations:shortlist": {
        ANON: 302, SME: 302, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 404, IST: 404, ADMIN: 404,
    },
    # Already registered (SME, buyer): back to the list with their registration's state.
    "consultations:join": {
        ANON: 302, SME: 302, STRANGER: 200, BUYER: 302, BUYER2: 200, BKK: 403, IST: 403, ADMIN: 403,
    },
    # ------------------------------------------------------------ partnering
    # Requests and conversations are the two organisations' own: staff and admins have none (403), the
    # members of other organisations get 404 for one that is not theirs.
    "partnering:requests": {
        ANON: 302, SME: 200, STRANGER: 200, BUYER: 200, BUYER2: 200, BKK: 403, IST: 403, ADMIN: 403,
    },
    # A buyer contacts a Korean company; Korean companies contact buyers (the company param is not theirs).
    "partnering:new (a company)": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 200, BUYER2: 200, BKK: 403, IST: 403, ADMIN: 403,
    },
    "partnering:request": {
        ANON: 302, SME: 200, STRANGER: 404, BUYER: 200, BUYER2: 404, BKK: 403, IST: 403, ADMIN: 403,
    },
    # The company accepts (302 to the request); the buyer who asked is sent back with a message.
    "partnering:answer": {
        ANON: 302, SME: 302, STRANGER: 404, BUYER: 302, BUYER2: 404, BKK: 403, IST: 403, ADMIN: 403,
    },
    "partnering:answer (GET)": {
        ANON: 302, SME: 405, STRANGER: 405, BUYER: 405, BUYER2: 405, BKK: 405, IST: 405, ADMIN: 405,
    },
    "partnering:withdraw": {
        ANON: 302, SME: 302, STRANGER: 404, BUYER: 302, BUYER2: 404, BKK: 403, IST: 403, ADMIN: 403,
    },
    # Either side of an agreed online meeting proposes new times (302 back to the request).
    "partnering:move": {
        ANON: 302, SME: 302, STRANGER: 404, BUYER: 302, BUYER2: 404, BKK: 403, IST: 403, ADMIN: 403,
    },
    # No move waits in the world: both sides are sent back to the request with that message.
    "partnering:move_answer": {
        ANON: 302, SME: 302, STRANGER: 404, BUYER: 302, BUYER2: 404, BKK: 403, IST: 403, ADMIN: 403,
    },
    "partnering:ics": {
        ANON: 302, SME: 200, STRANGER: 404, BUYER: 200, BUYER2: 404, BKK: 403, IST: 403, ADMIN: 403,
    },
    "partnering:ics (no time agreed)": {
        ANON: 302, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 403, IST: 403, ADMIN: 403,
    },
    # The menu's inbox badge: 0 for staff and admins, who have no inbox.
    "partnering:inbox_count": {
        ANON: 302, SME: 200, STRANGER: 200, BUYER: 200, BUYER2: 200, BKK: 200, IST: 200, ADMIN: 200,
    },
    # Staff read the conversations of their events' participants; admins and other centres do not.
    "partnering:conversations": {
        ANON: 302, SME: 200, STRANGER: 200, BUYER: 200, BUYER2: 200, BKK: 200, IST: 200, ADMIN: 403,
    },
    "partnering:conversation": {
        ANON: 302, SME: 200, STRANGER: 404, BUYER: 200, BUYER2: 404, BKK: 200, IST: 404, ADMIN: 404,
    },
    "partnering:conversation (write)": {
        ANON: 302, SME: 302, STRANGER: 404, BUYER: 302, BUYER2: 404, BKK: 403, IST: 404, ADMIN: 404,
    },
    # ------------------------------------------------------------ places
    # The cities of a country for the city fields: public, as sign-up needs it.
    "geo:city_options": {
        ANON: 200, SME: 200, STRANGER: 200, BUYER: 200, BUYER2: 200, BKK: 200, IST: 200, ADMIN: 200,
    },
    "geo:city_options (unknown country)": {
        ANON: 404, SME: 404, STRANGER: 404, BUYER: 404, BUYER2: 404, BKK: 404, IST: 404, ADMIN: 404,
    },
}
