"""Every URL pattern of the site, with sample arguments: the hostile tests walk them all."""

import re
import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the raw route when unnamed
    route: str  # e.g. "pairing/pairs/<int:pair_id>/"
    params: tuple[tuple[str, str], ...]  # (converter, name)
    callback: object

    def url(self, values: dict[str, object] | None = None) -> str:
        values = values or {}

        def fill(match: re.Match) -> str:
            converter, name = match.group(1) or "str", match.group(2)
            if name in values:
                return str(values[name])
            return str(SAMPLE[converter])

        return "/" + PARAM.sub(fill, self.route)


SAMPLE = {
    "int": 999999,
    "slug": "no-such-slug",
    "str": "no-such-token",
    "path": "999999",
    "uuid": uuid.UUID(int=7),
}


def routes() -> list[Route]:
    found: list[Route] = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                if route.startswith("^") or "(?P" in route:  # regex routes (admin): skipped
                    continue
                name = f"{namespace}{pattern.name}" if pattern.name else route
                params = tuple((c or "str", n) for c, n in PARAM.findall(route))
                found.append(Route(name, route, params, pattern.callback))

    walk(get_resolver().url_patterns, "", "")
    return found


def app_routes(namespaces=("programmes", "pairing", "feedback", "insights", "notifications")):
    return [r for r in routes() if r.name.split(":")[0] in namespaces]
