"""Every public form and every list's query parameters, fuzzed with hostile values: no 500, ever.

Bad input must get a clear answer in the visitor's language (a 400 page, a form error, a 404),
never a server error. The URLs come from the URL resolver, their concrete arguments from the
records a small demo-like world holds, and the parameter names from what the pages themselves
offer (their forms and links) and what the views read (``request.GET`` in their source): a new
page, filter or form is fuzzed without editing this test. Hypothesis draws the values, with a
fixed seed (``derandomize``) so that CI is deterministic, within a bounded number of examples.

NUL bytes only fail on PostgreSQL (SQLite stores them): run this module on both databases.
"""

import inspect
import re
import sys
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import islice, product
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from django.apps import apps
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from technopolice.complaints.tests.factories import CampaignFactory
from technopolice.documents import actions as documents
from technopolice.documents import cleaning
from technopolice.documents.tests import builders
from technopolice.mapdata.tests.mapview_helpers import camera
from technopolice.registry.tests.world import build_world

# Values a person, a broken client or an attacker may send where a page expects a number, a
# date, a slug or a choice. "²" passes str.isdigit() yet int() refuses it.
HOSTILE = [
    str(10**30),
    "-1",
    "99999",
    "²",
    "1e309",
    "\x00",
    "a\x00b",
    "2024-02-30",
    "31/12/99999",
    "x" * 100_000,
    "unknown-choice",
    "",
    "%",
    "' OR 1=1 --",
    "\ud800",  # a lone surrogate: not encodable in UTF-8
]
# Sent to each parameter of each page alone: the values that broke pages before. Hypothesis mixes the rest.
SWEEP = [str(10**30), "²", "\x00", ["1", "2"]]
# One request taking longer is a failure too: a forged formset row count once cost 10 s of CPU.
SLOW_SECONDS = 5
# Parameters every list understands (lib.opendata): the page and the twins' page size.
COMMON_PARAMETERS = {"page", "_size"}
# Not public: the admin is for staff, and its own forms are Django's; but anyone may post to its login.
SKIPPED_NAMESPACES = {"admin"}
PUBLIC_ANYWAY = {"admin:login"}
# A person fills a form with these where no value is offered.
PLAIN = {"email": "zoe@example.net", "date": "2024-05-01", "number": "1"}


class PageParser(HTMLParser):
    """The forms (action, method, fields with their default values) and the links of a page."""

    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self.forms.append(Form(a.get("action") or "", (a.get("method") or "get").lower()))
        elif self.forms and tag in ("input", "textarea", "select") and a.get("name"):
            kind = a.get("type", tag)
            if kind in ("submit", "button", "file", "image"):
                return
            if kind in ("checkbox", "radio") and a["name"] in self.forms[-1].fields:
                return
            value = a.get("value") or PLAIN.get(kind, "")
            self.forms[-1].kinds[a["name"]] = kind
            self.forms[-1].fields[a["name"]] = "on" if kind == "checkbox" and not a.get("value") else value
            self._select = a["name"] if tag == "select" else None
        elif tag == "option" and self._select and self.forms:
            fields = self.forms[-1].fields
            if not fields[self._select] and a.get("value"):
                fields[self._select] = a["value"]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)  # input type per field

    def filled(self) -> dict[str, str]:
        """The fields as a person sends them: a word in the text boxes (a search needs one before
        it reads its other parameters), the offered default elsewhere."""
        return {
            name: value or ("surveillance" if self.kinds.get(name) in ("text", "search") else value)
            for name, value in self.fields.items()
            if value or self.kinds.get(name) in ("text", "search")
        }


@dataclass
class Target:
    """One URL to fuzz: the query parameters it reads, and the fields of the form it answers."""

    path: str
    parameters: set[str] = field(default_factory=set)
    post: dict[str, str] | None = None  # the form's fields and default values, for a POST target
    base: dict[str, str] = field(default_factory=dict)  # a GET form's fields as a person fills them


def _patterns(patterns, prefix=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, (*prefix, pattern.namespace))
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = ":".join(p for p in (*prefix, pattern.name) if p)
            if name in PUBLIC_ANYWAY or not SKIPPED_NAMESPACES.intersection(prefix):
                yield name, pattern


def _argument_values() -> dict[str, list]:
    """Candidate values per argument type: every slug and id of the records the world holds."""
    slugs, ids = [], []
    for model in apps.get_models():
        names = {f.name for f in model._meta.get_fields()}
        if "slug" in names:
            slugs += list(model.objects.values_list("slug", flat=True)[:50])
        if model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField"):
            ids += list(model.objects.values_list("pk", flat=True)[:20])
    return {
        "slug": list(dict.fromkeys(slugs)),
        "int": sorted(set(ids))[:5] or [1],
        "str": ["json", "csv", "x"],
        "fmt": ["json", "csv"],
        "path": ["x"],
    }


def _converter_kind(converter) -> str:
    name = type(converter).__name__.removesuffix("Converter").lower()
    return name if name in ("slug", "int", "fmt", "path") else "str"


def concrete_urls(client: Client) -> list[str]:
    """One URL per named public pattern: the first set of arguments that finds a page (or the last tried)."""
    values = _argument_values()
    urls = []
    for name, pattern in _patterns(get_resolver().url_patterns):
        converters = pattern.pattern.converters
        if not converters:
            try:
                urls.append(reverse(name))
            except NoReverseMatch:
                pass
            continue
        choices = [values[_converter_kind(c)] for c in converters.values()]
        found = None
        for combination in islice(product(*choices), 40):
            try:
                url = reverse(name, kwargs=dict(zip(converters, combination, strict=True)))
            except NoReverseMatch:
                continue
            found = url
            if client.get(url).status_code < 400:
                break
        if found:
            urls.append(found)
    return urls


def _reverse_raw(name: str, kwargs: dict) -> str | None:
    """The path of ``name`` with ``kwargs`` put in as they are (a converter would refuse them)."""
    placeholders = {a: f"ARG{i}x" for i, a in enumerate(kwargs)}
    try:
        path = reverse(name, kwargs={a: _placeholder(name, a, p) for a, p in placeholders.items()})
    except NoReverseMatch:
        return None
    for argument, placeholder in placeholders.items():
        path = path.replace(_placeholder(name, argument, placeholder), quote(kwargs[argument], safe=""))
    return path


def _placeholder(name: str, argument: str, placeholder: str) -> str:
    # A value each converter accepts and that cannot appear elsewhere in the path.
    kind = _converter_kind(dict(_patterns(get_resolver().url_patterns))[name].pattern.converters[argument])
    return {"int": str(9_876_543_210 + int(placeholder[3:-1])), "fmt": "json"}.get(kind, placeholder.lower())


def _read_in_source(view) -> set[str]:
    """Query parameters a view's module reads by name (``request.GET.get("year")``, ``GET["q"]``)."""
    module = sys.modules.get(getattr(view, "__module__", ""), None)
    try:
        source = inspect.getsource(module) if module else ""
    except (OSError, TypeError):
        return set()
    return set(re.findall(r"GET(?:\.get|\.getlist)?\s*[\(\[]\s*[\"']([\w-]+)[\"']", source))


def _view(path: str):
    try:
        return resolve(path).func
    except Resolver404:
        return None


def _twin_of(path: str, page: str) -> bool:
    """``path`` is the .json/.csv twin of the list at ``page`` (same app, its URL name extends the page's)."""
    a, b = resolve(path), resolve(page)
    return path != page and a.namespace == b.namespace and a.url_name.startswith(b.url_name)


def discover(client: Client) -> tuple[list[Target], list[Target]]:
    """The GET targets (one per public URL pattern, with the query parameters it reads) and the
    POST targets (every form found on those pages, with its fields and default values)."""
    gets: dict[str, Target] = {}
    posts: dict[str, Target] = {}

    def get_target(path: str) -> Target:
        name = resolve(path).view_name  # one target per pattern: twelve technology pages are one view
        return gets.setdefault(name, Target(path, set(COMMON_PARAMETERS) | _read_in_source(_view(path))))

    for url in concrete_urls(client):
        target = get_target(url)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = PageParser()
        page.feed(response.content.decode())
        for form in page.forms:
            action = urlsplit(form.action).path or url
            if _view(action) is None:
                continue
            if form.method == "post":
                fields = {k: v for k, v in form.fields.items() if k != "csrfmiddlewaretoken"}
                # The rows of a formset are alike: the first row's fields stand for the others'.
                names = {k for k in fields if not re.search(r"-[1-9]\d*-", k)}
                posts.setdefault(resolve(action).view_name, Target(action, names, fields))
            else:
                target_of_form = get_target(action)
                target_of_form.parameters |= set(form.fields)
                target_of_form.base.update(form.filled())
        for link in page.links:
            parts = urlsplit(link)
            if parts.netloc or not parts.path.startswith("/") or _view(parts.path) is None:
                continue
            linked = get_target(parts.path)
            linked.parameters |= {name for name, _value in parse_qsl(parts.query)}
            if _twin_of(parts.path, url):  # a list's .json/.csv twin reads the same filters
                linked.parameters |= target.parameters
    return list(gets.values()), list(posts.values())


def _encoded(pairs: list[tuple[str, str]]) -> str:
    # As a broken client sends them: a lone surrogate goes out as its raw (invalid) UTF-8 bytes.
    return urlencode(pairs, encoding="utf-8", errors="surrogatepass")


def _pairs(values: dict[str, str | list[str]]) -> list[tuple[str, str]]:
    return [(k, item) for k, v in values.items() for item in (v if isinstance(v, list) else [v])]


def hostile_values():
    """One hostile value, or several for one name (a list where a value is expected)."""
    one = st.one_of(
        st.sampled_from(HOSTILE),
        st.integers(min_value=-(10**40), max_value=10**40).map(str),
        st.text(max_size=30),
    )
    return st.one_of(one, st.lists(one, min_size=2, max_size=3))


# A login with a wrong password still costs a full hash: the real hasher would make the run minutes.
@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class FuzzTests(TestCase):
    """Anonymous visitors, as anyone on the internet; rate limits are reset between requests so
    that the forms are validated instead of refused for their volume."""

    @classmethod
    def setUpTestData(cls):
        build_world(cls)
        CampaignFactory()
        camera(45.43, 4.39)
        documents.import_file(
            cleaning.clean(builders.pdf("Délibération sur la vidéosurveillance algorithmique")),
            "Délibération",
            "deliberation",
            issuer=cls.town_of_nice,
            dossier=cls.safe_city,
        )
        cls.gets, cls.posts = discover(Client())
        cls.arguments = _argument_values()

    def setUp(self):
        self.client = Client(raise_request_exception=False)
        self.failures = []

    def send(self, target: Target, values: dict) -> None:
        cache.clear()
        started = time.monotonic()
        if target.post is None:
            response = self.client.get(target.path, QUERY_STRING=_encoded(_pairs(values)))
        else:
            body = _encoded(_pairs({**target.post, **values}))
            response = self.client.post(target.path, body, content_type="application/x-www-form-urlencoded")
        seconds = time.monotonic() - started
        if response.status_code >= 500 or seconds > SLOW_SECONDS:
            shown = {k: (repr(v)[:60] + "...") if len(repr(v)) > 60 else v for k, v in values.items()}
            method = "GET" if target.post is None else "POST"
            self.failures.append(f"{method} {target.path} {shown}: {response.status_code} in {seconds:.1f} s")

    def assert_no_failure(self):
        self.assertEqual(self.failures, [], "server errors:\n" + "\n".join(self.failures))

    def test_the_pages_and_forms_to_fuzz_are_discovered(self):
        paths = {t.path for t in self.gets}
        for path in ("/documents/", "/dossiers/", "/recherche/", "/carte/classement/", "/plaintes/"):
            self.assertIn(path, paths)
        documents_list = next(t for t in self.gets if t.path == "/documents/")
        self.assertLessEqual({"year", "issuer", "dossier", "kind"}, documents_list.parameters)
        twin = next(t for t in self.gets if t.path == "/documents/documents.json")
        self.assertLessEqual({"year", "issuer", "dossier"}, twin.parameters)
        search = next(t for t in self.gets if t.path == "/recherche/")
        self.assertEqual(search.base.get("q"), "surveillance")  # its filters are read with a query only
        forms = {t.path for t in self.posts}
        for path in (
            "/documents/envoyer/",
            "/carte/proposer/",
            "/comptes/inscription/",
            "/proposer/",
            "/admin/login/",
        ):
            self.assertIn(path, forms)

    def test_every_parameter_of_every_list(self):
        """Each parameter alone (no other parameter's refusal hides its error) with the values most
        likely to break; the other hostile values come mixed, in the Hypothesis test below."""
        for target in self.gets:
            for name in sorted(target.parameters):
                for value in SWEEP:
                    self.send(target, {name: value})
                    if target.base:  # and within a filled form, where the view reads further
                        self.send(target, {**target.base, name: value})
        self.assert_no_failure()

    def test_every_field_of_every_form(self):
        """A form checks all its fields at once, so all take the same hostile value; a formset's
        management fields (how many rows) are refused first, so they go alone."""
        for target in self.posts:
            management = {n for n in target.parameters if n.endswith("_FORMS")}
            fields = sorted(target.parameters - management)
            for value in [*HOSTILE, *SWEEP]:
                # 100 KB in every field of a large form would pass Django's body limit (a 400
                # before any field is read): such values go to twenty fields at a time.
                group = 20 if len(value) > 1000 else len(fields)
                for start in range(0, len(fields), group or 1):
                    self.send(target, dict.fromkeys(fields[start : start + group], value))
            for name in sorted(management):
                for value in SWEEP:
                    self.send(target, {name: value})
        self.assert_no_failure()

    def test_path_arguments_out_of_range(self):
        """Ids past any database integer and tokens with NUL bytes, in the path itself."""
        for name, pattern in _patterns(get_resolver().url_patterns):
            converters = pattern.pattern.converters
            for argument, converter in converters.items():
                kind = _converter_kind(converter)
                values = {"int": [str(10**30)], "str": ["\x00", "a\x00b", "x" * 10_000]}.get(kind, [])
                for value in values:
                    kwargs = {a: str(self.arguments[_converter_kind(c)][0]) for a, c in converters.items()}
                    kwargs[argument] = value
                    path = _reverse_raw(name, kwargs)
                    if path and self.client.get(path).status_code >= 500:
                        self.failures.append(f"GET {path[:80]!r}")
        self.assert_no_failure()

    @settings(
        max_examples=200,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.data())
    def test_lists_and_forms_with_hostile_combinations(self, data):
        """A few parameters or fields at a time, the others kept at their defaults."""
        self.failures = []  # each example stands alone, so that Hypothesis shrinks the one that failed
        target = data.draw(st.sampled_from(self.gets + self.posts))
        names = data.draw(
            st.lists(st.sampled_from(sorted(target.parameters)), min_size=1, max_size=3, unique=True)
        )
        base = target.base if data.draw(st.booleans()) else {}
        self.send(target, {**base, **{name: data.draw(hostile_values()) for name in names}})
        self.assert_no_failure()
