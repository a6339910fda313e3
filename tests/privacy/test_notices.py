"""The privacy notices: their words are pinned per version, so changing them needs a new version."""

import hashlib

import pytest
from django.test import override_settings
from django.utils import translation

from portal.privacy.models import ConsentKind, Law
from portal.privacy.notices import VERSIONS, notice

# The SHA-256 of each notice's English text, per (law, kind, version). A change of words fails here:
# give the notice a new version in portal/privacy/notices.py and pin its new text beside the old.
PINNED = {
    ("pipa", "processing", "1"): "b72fce26f392f89a0e32d4b4260388a7a587c9be6a955b8c470fa3c446b1b238",
    ("pipa", "transfer", "1"): "9a0edf9f001db688874f674c1841051fe9a2a19f8701239cd3d6472ebc37146e",
    ("pipa", "marketing", "1"): "e505730aedb193f0064d1fb1c16895c16374770bc7918ba9146a4dc76174ece0",
    ("pdpa", "processing", "1"): "1ceb2755ac10a95f371a4a5c373363e67ece9cc322678cea7101369dcc294579",
    ("pdpa", "transfer", "1"): "b21467c7deb91bb7807c292a7e3b1fb2ed13e36ad9ba76cef917c1c8ffd5a605",
    ("pdpa", "marketing", "1"): "27cd259a31fc65fa76480f6404259c23a704a61340914ae59809ef853d8f6c33",
    ("kvkk", "processing", "1"): "721a0812f56ba59e5e3c1dde5b6f309afa773c5eac1768525afe27bdc466b2e0",
    ("kvkk", "transfer", "1"): "20ff20b3f3339e188bfb1d529a481720cbc64ac39fbae61e5dd17b4e4871ce80",
    ("kvkk", "marketing", "1"): "18140be6e9be262e2df7a0d487b432930fce5998143193431b95b8f733cc9fee",
    ("general", "processing", "1"): "08fd621be021aded7b5b6617eb4b63cd5bb145d324e1264b1e2035e3b2c5432c",
    ("general", "transfer", "1"): "34682f2109d8089ad36bda5b6f82380c16892a57c74a58677f682652bf965447",
    ("general", "marketing", "1"): "632a37afc2be74251e0d77fc59dd594e4e4980d8496fcf9c49036863c1c3b1ce",
}
CASES = [(law, kind) for law in Law.values for kind in ConsentKind.values]


@pytest.mark.parametrize(("law", "kind"), CASES)
@override_settings(PRIVACY_CONTACT_EMAIL="privacy@k-smartcity.example")
def test_the_words_of_every_notice_are_those_pinned_for_its_version(law, kind):
    with translation.override("en"):
        text = notice(law, kind).text

    assert hashlib.sha256(text.encode()).hexdigest() == PINNED[(law, kind, VERSIONS[(law, kind)])]


@pytest.mark.parametrize(
    ("law", "named"),
    [
        ("pipa", "Korea's Personal Information Protection Act (PIPA)"),
        ("pdpa", "Thailand's Personal Data Protection Act B.E. 2562 (PDPA)"),
        ("kvkk", "Türkiye's Law No. 6698 on the Protection of Personal Data (KVKK)"),
    ],
)
def test_each_countrys_notices_name_its_law_and_where_to_complain(law, named):
    with translation.override("en"):
        texts = [notice(law, kind).text for kind in ConsentKind.values]

    assert all(named in text for text in texts)
    assert all("You may complain to " in text for text in texts)
    assert all("Contact: privacy@k-smartcity.example." in text for text in texts)


def test_a_korean_members_transfer_notice_names_the_buyers_countries_and_a_foreign_members_korea():
    with translation.override("en"):
        korean, thai = notice("pipa", "transfer").text, notice("pdpa", "transfer").text

    assert "notably in Thailand, Türkiye, Indonesia, Viet Nam and Saudi Arabia" in korean
    assert "not shown to buyers abroad" in korean
    assert "in the Republic of Korea" in thai
    assert "not shown to Korean companies" in thai


def test_the_general_notice_names_no_law():
    with translation.override("en"):
        text = notice("general", "processing").text

    assert "the data protection law of your country may give you further rights" in text
    assert "PIPA" not in text and "PDPA" not in text and "KVKK" not in text
