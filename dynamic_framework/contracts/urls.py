from .views import notices, register, supply_chain, variations

app_name = "contracts"

urlpatterns = [*register.urlpatterns, *variations.urlpatterns, *supply_chain.urlpatterns, *notices.urlpatterns]
