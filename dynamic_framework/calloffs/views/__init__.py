"""Call-off pages, one module per group of users:

- manage.py         commissioners: create, change, send for approval, approve and publish, amend, cancel, copy,
                    answer providers' questions
- opportunities.py  everyone: published opportunities, the Atom feed, alerts by email; providers ask questions
- bidding.py        providers: bids with prices, answers and supply chains, receipts; subcontractors confirm
- evaluation.py     commissioners and evaluators after the deadline: panel, conflicts, scores, moderation,
                    results, award, standstill, confirmation

Each module defines its own `urlpatterns`; calloffs/urls.py joins them under the "calloffs" namespace.
"""
