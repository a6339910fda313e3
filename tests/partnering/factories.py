"""Factories of partner requests and conversations (beside tests/factories.py, which builds the rest)."""

import factory
from factory.django import DjangoModelFactory

from matching.partnering.models import Conversation, Message, PartnerRequest
from tests import factories


class PartnerRequestFactory(DjangoModelFactory):
    """A buyer's question to a company, waiting for its answer."""

    class Meta:
        model = PartnerRequest

    company = factory.SubFactory(factories.CompanyFactory)
    buyer = factory.SubFactory(factories.BuyerOrganisationFactory)
    from_company = False
    kind = PartnerRequest.Kind.QUESTION
    status = PartnerRequest.Status.PENDING
    message = "Does your flood sensor work in tidal canals?"
    decline_reason = factory.LazyAttribute(
        lambda o: PartnerRequest.DeclineReason.NOT_NOW if o.status == PartnerRequest.Status.DECLINED else ""
    )


class ConversationFactory(DjangoModelFactory):
    class Meta:
        model = Conversation
        django_get_or_create = ("company", "buyer")

    company = factory.SubFactory(factories.CompanyFactory)
    buyer = factory.SubFactory(factories.BuyerOrganisationFactory)


class MessageFactory(DjangoModelFactory):
    class Meta:
        model = Message

    conversation = factory.SubFactory(ConversationFactory)
    from_company = False
    body = "Hello from Khon Kaen."
