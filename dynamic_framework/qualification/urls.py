from .views import apply, assess, manage, register

app_name = "qualification"

# register and manage come first: their fixed paths (/framework/register/, /framework/manage/) must win over
# apply's patterns with a reference in them.
urlpatterns = [*register.urlpatterns, *manage.urlpatterns, *assess.urlpatterns, *apply.urlpatterns]
