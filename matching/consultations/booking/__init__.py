"""Booking: meeting requests, meetings, agendas, .ics, e-mails and the scheduler adapter."""
