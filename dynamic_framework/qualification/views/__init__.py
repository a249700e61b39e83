"""Qualification pages, one module per group of users:

- apply.py     the framework's public pages, and providers applying (task list, sections, submit, clarifications)
- assess.py    framework managers and evaluators assessing applications (queue, assign, sections, decision)
- register.py  the public register of qualified providers, and changes to it (suspend, withdraw, confirm details)
- manage.py    framework managers keeping the framework and its questions up to date

Each module defines its own `urlpatterns`; qualification/urls.py joins them under the "qualification" namespace.
"""
