from .views import bidding, evaluation, manage, opportunities

app_name = "calloffs"

# opportunities before bidding: its fixed paths (/opportunities/alerts/, /opportunities/feed.atom) must win over
# patterns with a reference in them.
urlpatterns = [*manage.urlpatterns, *opportunities.urlpatterns, *bidding.urlpatterns, *evaluation.urlpatterns]
