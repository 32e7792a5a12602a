"""Error pages: a person gets a page in their language, never a traceback."""
from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from .labels import N_

MESSAGES = {
    400: N_("请求有误"),
    403: N_("您无权访问此页面"),
    404: N_("页面不存在"),
    429: N_("操作过于频繁，请稍后再试"),
    500: N_("系统出错，请稍后再试"),
}


def register(app: Flask) -> None:
    def page(status: int, detail: str | None = None, exc=None):
        from .api.errors import http_error, is_api_request

        if is_api_request():  # the JSON API answers in JSON, never with a page
            return http_error(exc, status)
        return render_template("error.html", status=status, message=_(MESSAGES[status]), detail=detail), status

    for status in MESSAGES:
        app.register_error_handler(status, lambda exc, status=status: page(status, exc=exc))

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return page(400, _("页面已过期，请刷新后重试"))
