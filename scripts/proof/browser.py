"""A tiny browser for the load: cookies, CSRF, forms, over http.client (stdlib only)."""

from __future__ import annotations

import http.client
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit


@dataclass
class Reply:
    status: int
    body: str
    location: str
    seconds: float


class FormParser(HTMLParser):
    """Every <form method=post>: its action and the values a browser would submit."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get").lower()}
            self._form["fields"] = []  # (name, value) pairs in order
            self._form["radios"] = {}  # name -> first value
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "file"):
                return
            if kind == "radio":
                form["radios"].setdefault(name, a.get("value", "on"))
                if "checked" in a:
                    form["fields"].append((name, a.get("value", "on")))
                return
            if kind == "checkbox":
                if "checked" in a:
                    form["fields"].append((name, a.get("value", "on")))
                return
            form["fields"].append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select = name
            form["fields"].append((name, None))
        elif tag == "option" and self._select:
            fields = form["fields"]
            index = max(i for i, (n, _) in enumerate(fields) if n == self._select)
            if fields[index][1] is None or "selected" in a:
                fields[index] = (self._select, a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            form["fields"].append((name, ""))

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            fields = self._form["fields"]
            fields[-1] = (fields[-1][0], fields[-1][1] + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None


def post_form(html: str, *, path: str) -> dict[str, str] | None:
    """The page's own POST form (action empty or ``path``; never the navigation's sign-out
    form) as a dict, radio groups with nothing ticked set to their first choice."""
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        if form["method"] != "post" or urlsplit(form["action"]).path not in ("", path):
            continue
        values = {n: v or "" for n, v in form["fields"]}
        for name, first in form["radios"].items():
            values.setdefault(name, first)
        if "csrfmiddlewaretoken" in values:
            return values
    return None


@dataclass
class Browser:
    host: str
    port: int
    client_ip: str
    timeout: float = 120.0
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, data: dict | None = None) -> Reply:
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            # The proxy in front appends the client's address (DJANGO_TRUSTED_PROXY_COUNT=1).
            "X-Forwarded-For": self.client_ip,
            "User-Agent": "mentoring-proof/1",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
            headers["Origin"] = f"http://127.0.0.1:{self.port}"
        started = time.perf_counter()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for key, value in response.getheaders():
                if key.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    cookie_value = rest.split(";", 1)[0]
                    if "expires=Thu, 01 Jan 1970" in value or cookie_value in ('""', ""):
                        self.cookies.pop(name.strip(), None)
                    else:
                        self.cookies[name.strip()] = cookie_value
            location = urlsplit(response.getheader("Location", "")).path
            return Reply(response.status, text, location, time.perf_counter() - started)
        finally:
            conn.close()

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post(self, path: str, data: dict) -> Reply:
        return self.request("POST", path, data)
