"""The account pages, kept thin: the forms check what was sent, services and selectors do the rest.

Sign in and out, create an account, confirm the address, and reset a forgotten password. The
pages that answer "check your inbox" answer the same whether or not the address has an account.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .forms import EmailForm, EmailVerifyForm, PasswordResetForm, SignInForm, SignUpForm

GET_POST = ["GET", "POST"]


def next_url(request):
    """The ?next= page to go to after signing in, if it is on this site; else LOGIN_REDIRECT_URL."""
    target = request.POST.get("next", request.GET.get("next", ""))
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else resolve_url(settings.LOGIN_REDIRECT_URL)


def email_sent(request, what):
    """The page that says an email is on its way, if the address is one that gets it."""
    return render(request, "users/email_sent.html", {"what": what})


@require_http_methods(GET_POST)
def sign_in(request):
    form = SignInForm(request, data=request.POST if request.method == "POST" else None)
    if form.is_valid():
        login(request, form.user)
        return redirect(next_url(request))
    # A locked-out client's attempt: AxesMiddleware answers 429 instead of this page.
    context = {"form": form, "next": request.POST.get("next", request.GET.get("next", ""))}
    return render(request, "users/sign_in.html", context)


@require_POST
def sign_out(request):
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


@require_http_methods(GET_POST)
def sign_up(request):
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        # None for an address that has an account: its owner is emailed, and this page is the same.
        services.user_register(**form.cleaned_data)
        return email_sent(request, "verify")
    return render(request, "users/sign_up.html", {"form": form})


def link_page(request, form_class, template, use_link, done):
    """The page an emailed link opens: a form that posts the link's token (a GET changes nothing),
    then `use_link(form)` and the sign-in page saying `done`; a link that cannot be used is a
    400 page saying why."""
    if request.method == "GET":
        form = form_class(initial={"token": request.GET.get("token", "")})
    else:
        form = form_class(request.POST)
        if form.is_valid():
            use_link(form)
            messages.success(request, done)
            return redirect(settings.LOGIN_URL)
    link_error = form.link_error()
    context = {"form": form, "link_error": link_error}
    return render(request, template, context, status=400 if link_error else 200)


def email_request_page(request, template, send, what):
    """A page that asks for an address and has `send` email it, answering the same for any."""
    form = EmailForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        send(email=form.cleaned_data["email"])
        return email_sent(request, what)
    return render(request, template, {"form": form})


@require_http_methods(GET_POST)
def verify_email(request):
    return link_page(
        request,
        EmailVerifyForm,
        "users/verify_email.html",
        lambda form: services.user_verify_email(user=form.user),
        "Your email address is confirmed: you can sign in.",
    )


@require_http_methods(GET_POST)
def verify_email_resend(request):
    return email_request_page(
        request, "users/verify_email_resend.html", services.user_request_verification, "verify"
    )


@require_http_methods(GET_POST)
def password_reset(request):
    return email_request_page(
        request, "users/password_reset.html", services.user_request_password_reset, "reset"
    )


@require_http_methods(GET_POST)
def password_reset_confirm(request):
    """The reset link's page: the new password, twice."""
    return link_page(
        request,
        PasswordResetForm,
        "users/password_reset_confirm.html",
        lambda form: services.user_reset_password(
            user=form.user, password=form.cleaned_data["new_password1"]
        ),
        "Your password is changed: sign in with it.",
    )
