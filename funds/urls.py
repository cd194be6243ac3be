from django.urls import path

from funds.views import allocation, board, budget, dashboard, payments, standards

app_name = "funds"
urlpatterns = [
    path("", dashboard.home, name="home"),
    path("board/", board.board, name="submission_board"),
    path("appropriations/", budget.appropriation_list, name="appropriation_list"),
    path("appropriations/receipts/", budget.receipt_list, name="receipt_list"),
    path("appropriations/new/", budget.appropriation_form, name="appropriation_create"),
    path("appropriations/<int:pk>/", budget.appropriation_detail, name="appropriation_detail"),
    path("appropriations/<int:pk>/edit/", budget.appropriation_form, name="appropriation_edit"),
    path("department-lines/new/", budget.department_line_form, name="department_line_create"),
    path("department-lines/<int:pk>/edit/", budget.department_line_form, name="department_line_edit"),
    path("plans/", allocation.plan_list, name="plan_list"),
    path("plans/new/", allocation.plan_create, name="plan_create"),
    path("plans/<int:pk>/", allocation.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", allocation.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/submit/", allocation.plan_submit, name="plan_submit"),
    path("plans/<int:pk>/approve/", allocation.plan_approve, name="plan_approve"),
    path("plans/<int:pk>/return/", allocation.plan_return, name="plan_return"),
    path("payments/", payments.payment_list, name="payment_list"),
    path("payments/<int:pk>/", payments.payment_detail, name="payment_detail"),
    path("payments/<int:pk>/reversal/", payments.payment_reversal_request_view, name="payment_reversal_request"),
    path(
        "payments/<int:pk>/reversal/<str:verdict>/",
        payments.payment_reversal_decide_view,
        name="payment_reversal_decide",
    ),
    path("standards/", standards.standard_list, name="standard_list"),
    path("standards/new/", standards.standard_form, name="standard_create"),
    path("standards/copy/", standards.standard_copy, name="standard_copy"),
    path("standards/<int:pk>/edit/", standards.standard_form, name="standard_edit"),
]
