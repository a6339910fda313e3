"""The demo: fictional data shaped like KOTRA's 2022 smart-city roadshows, seeded through the services."""
