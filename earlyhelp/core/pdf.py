"""The family's copies as PDF: the same page as its printable HTML, drawn by WeasyPrint (ADR 29).

`copy_response` renders the page's own template, laid out for paper (`pdf_base.html`: no
navigation, no forms, A4 with page numbers), and returns it as a download. Nothing is fetched
while drawing (a page's own words are escaped, and no image, stylesheet or font is loaded from
anywhere), so a PDF cannot be made to reach another server.
"""

from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string


def _fetch_nothing(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"The PDF copies load nothing from elsewhere ({url[:40]})")


def wants_pdf(request: HttpRequest) -> bool:
    return request.GET.get("as") == "pdf"


# The paper layout's stylesheet, given to WeasyPrint directly: no page holds an inline style (the
# content security policy would refuse one), and nothing is fetched.
STYLESHEET = Path(__file__).with_name("pdf.css")


def pdf_of(template: str, context: dict[str, Any], request: HttpRequest) -> bytes:
    from weasyprint import CSS, HTML  # loaded on first use: it loads Pango, which only the copies need

    html = render_to_string(template, {**context, "layout": "pdf_base.html", "form": None}, request=request)
    stylesheet = CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=_fetch_nothing)
    pdf: bytes = HTML(string=html, url_fetcher=_fetch_nothing).write_pdf(stylesheets=[stylesheet])
    return pdf


def copy_response(request: HttpRequest, template: str, context: dict[str, Any], *, filename: str) -> HttpResponse:
    """The page, or with `?as=pdf` the same page as a PDF download named `filename`."""
    if not wants_pdf(request):
        return render(request, template, context)
    response = HttpResponse(pdf_of(template, context, request), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
