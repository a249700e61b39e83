from .views import costs, simulator, statements

app_name = "payments"

urlpatterns = [*statements.urlpatterns, *simulator.urlpatterns, *costs.urlpatterns]
