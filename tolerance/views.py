from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .permissions import get_case_for_user


@login_required
def case_detail(request, pk):
    case = get_case_for_user(request.user, pk)
    return render(request, "tolerance/case_detail.html", {"case": case})
