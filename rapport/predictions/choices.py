from django.db import models


class Subject(models.TextChoices):
    """What a run predicts."""

    CUSTOMERS = "customers", "Customers: will they buy again"
    EMPLOYEES = "employees", "Employees: attrition risk by team"
    SUPPLIERS = "suppliers", "Suppliers: will the next delivery be late"
