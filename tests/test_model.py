"""The agreement model: frozen, keyword-only, validated on construction, references checked."""

import copy
import datetime
import pickle

import attrs
import pytest
from hypothesis import given

import dpup
from dpup import (
    Acceptance,
    AccessArrangement,
    Agency,
    Agreement,
    AgreementError,
    Checklist,
    DataFlow,
    Engagement,
    Explanation,
    Identifiability,
    Information,
    Names,
    Provider,
    Purpose,
    Sensitivity,
    ServiceUser,
    Team,
)
from dpup.errors import format_path
from tests.strategies import agreements

CLASSES = [
    ServiceUser,
    Team,
    Provider,
    Agency,
    Purpose,
    Information,
    DataFlow,
    Checklist,
    Names,
    Explanation,
    AccessArrangement,
    Engagement,
    Acceptance,
    Agreement,
]


def small(**changes: object) -> Agreement:
    fields: dict[str, object] = {
        "id": "demo",
        "title": "Demo",
        "parties": ["ccss"],
        "service_users": [ServiceUser(id="parents", name="Parents")],
        "holders": [
            Provider(id="ccss", name="CCSS"),
            Agency(id="agency", name="Agency", teams=[Team(id="agency.evaluation", name="Evaluation")]),
        ],
        "information": [Information(id="record", about=["parents"])],
        "flows": [DataFlow(id="intake", from_="parents", to="ccss", carries=["record"], purpose="delivery")],
    }
    fields.update(changes)
    return Agreement(**fields)  # type: ignore[arg-type]


# -- the classes ------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", CLASSES)
def test_classes_are_frozen_slotted_and_keyword_only(cls: type) -> None:
    assert attrs.has(cls)
    assert "__slots__" in cls.__dict__
    assert all(a.kw_only for a in attrs.fields(cls) if a.init)
    with pytest.raises(TypeError):
        cls("positional")


def test_instances_cannot_change() -> None:
    group = ServiceUser(id="parents", name="Parents")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        group.name = "Other"  # type: ignore[misc]
    a = small()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        a.flows = ()  # type: ignore[misc]


def test_lists_become_tuples() -> None:
    flow = DataFlow(id="f", from_="a", to="b", carries=["x", "y"])
    assert flow.carries == ("x", "y")
    assert small().holders[1].teams[0].id == "agency.evaluation"
    assert isinstance(small().flows, tuple)


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (lambda: ServiceUser(id="the parents", name="P"), ValueError, "ServiceUser.id must be an id (letters, digits and . - _ : / +, starting with a letter, digit or underscore), not 'the parents' (a str)"),
        (lambda: ServiceUser(id=7, name="P"), TypeError, "ServiceUser.id must be an id (text), not 7 (an int)"),
        (lambda: ServiceUser(id="p", name=None), TypeError, "ServiceUser.name must be text (a str), not None"),
        (lambda: ServiceUser(id="ok", name=3), TypeError, "ServiceUser.name must be text (a str), not 3 (an int)"),
        (lambda: ServiceUser(id="p", name="P", maori_data_interest="yes"), TypeError, "ServiceUser.maori_data_interest must be True or False, not 'yes' (a str)"),
        (lambda: Provider(id="p", name=b"P"), TypeError, "Provider.name must be text (a str), not b'P' (a bytes)"),
        (lambda: Provider(id="p", name="P", teams=None), TypeError, "Provider.teams must be a list, not None"),
        (lambda: Provider(id="p", name="P", teams=[{"id": "t"}]), TypeError, "Provider.teams must hold Team objects, not {'id': 't'} (a dict)"),
        (lambda: DataFlow(id="f", from_="a b", to="c"), ValueError, "DataFlow.from_ must be an id (letters, digits and . - _ : / +, starting with a letter, digit or underscore), not 'a b' (a str)"),
        (lambda: DataFlow(id="f", from_="a", to="c", purpose="no purpose"), ValueError, "DataFlow.purpose must be an id (letters, digits and . - _ : / +, starting with a letter, digit or underscore), not 'no purpose' (a str)"),
        (lambda: DataFlow(id="f", from_="a", to="c", carries="record"), TypeError, "DataFlow.carries must be a list of ids, not the single string 'record'"),
        (lambda: DataFlow(id="f", from_="a", to="c", carries=None), TypeError, "DataFlow.carries must be a list of ids, not None"),
        (lambda: Team(id="t", name="T", purposes={"eval"}), TypeError, "Team.purposes must be a list of ids, not {'eval'} (a set): a set has no order, and an agreement keeps the order it is given (pass a list, such as sorted(...))"),
        (lambda: Names(holders=frozenset(["ccss"])), TypeError, "Names.holders must be a list of ids, not frozenset({'ccss'}) (a frozenset): a set has no order, and an agreement keeps the order it is given (pass a list, such as sorted(...))"),
        (lambda: Agreement(id="a", title="t", parties={"ccss": "provider"}), TypeError, "Agreement.parties must be a list of ids, not {'ccss': 'provider'} (a dict)"),
        (lambda: Explanation(id="e", versions={"adult": 1}), TypeError, "Explanation.versions must be a list of text, not {'adult': 1} (a dict)"),
        (lambda: Agreement(id="a", title="t", purposes={Purpose(id="p")}), TypeError, "Agreement.purposes must be a list, not {Purpose(id='p', description=None, benefit=None, needs_identity=None, authority=None, compatible_with=())} (a set): a set has no order, and an agreement keeps the order it is given (pass a list)"),
        (lambda: Agreement(id="a", title="t", purposes={"p": Purpose(id="p")}), TypeError, "Agreement.purposes must be a list, not {'p': Purpose(id='p', description=None, benefit=None, needs_identity=None, authority=None, compatible_with=())} (a dict)"),
        (lambda: DataFlow(id="f", from_="a", to="c", carries=["ok", "not ok"]), ValueError, "DataFlow.carries must be an id (letters, digits and . - _ : / +, starting with a letter, digit or underscore), not 'not ok' (a str)"),
        (lambda: DataFlow(id="f", from_="a", to="c", frequency=4), TypeError, "DataFlow.frequency must be text (a str) or None, not 4 (an int)"),
        (lambda: Purpose(id="p", needs_identity="no"), TypeError, "Purpose.needs_identity must be True, False or None, not 'no' (a str)"),
        (lambda: Agreement(id="a", title="t", review_by="2027-06-30"), TypeError, "Agreement.review_by must be a date (a datetime.date, without a time) or None, not '2027-06-30' (a str)"),
        (lambda: Agreement(id="a", title="t", review_by=datetime.datetime(2027, 6, 30, 10)), TypeError, "Agreement.review_by must be a date (a datetime.date, without a time) or None, not datetime.datetime(2027, 6, 30, 10, 0) (a datetime)"),
        (lambda: Agreement(id="a\n", title="t"), ValueError, "Agreement.id must be an id (letters, digits and . - _ : / +, starting with a letter, digit or underscore), not 'a\\n' (a str)"),
        (lambda: Agreement(id="a", title=10**5000), TypeError, "Agreement.title must be text (a str), not a number too long to show (an int)"),
        (lambda: Agreement(id="a" * 100, title=1), TypeError, "Agreement.title must be text (a str), not 1 (an int)"),
        (lambda: DataFlow(id="f", from_="a" * 1000 + " ", to="c"), ValueError, "DataFlow.from_ must be an id (letters, digits and . - _ : / +, starting with a letter, digit or underscore), not " + repr("a" * 60)[:-1] + "…' (1,001 characters) (a str)"),
        (lambda: Agreement(id="a", title=None), TypeError, "Agreement.title must be text (a str), not None"),
        (lambda: Explanation(id="e", names=["ccss"]), TypeError, "Explanation.names must be a Names object, not ['ccss'] (a list)"),
        (lambda: Explanation(id="e", versions=["adult", 2]), TypeError, "Explanation.versions must hold only text, not 2 (an int)"),
        (lambda: Engagement(maori=None), TypeError, "Engagement.maori must be True or False, not None"),
        (lambda: Information(id="i", sensitivity=3), ValueError, "Information.sensitivity must be one of low, medium, high, not 3 (an int)"),
        (lambda: Acceptance(code="XX1", subject="s", reason="r", by="b"), ValueError, "Acceptance.code must be a check code such as 'PM004' (PM, ME, UH or SV and three digits), not 'XX1' (a str)"),
        (lambda: Acceptance(code="PM004\n", subject="s", reason="r", by="b"), ValueError, "Acceptance.code must be a check code such as 'PM004' (PM, ME, UH or SV and three digits), not 'PM004\\n' (a str)"),
        (lambda: Acceptance(code="PM001", subject="s", reason="r", by=5), TypeError, "Acceptance.by must be text (a str), not 5 (an int)"),
        (lambda: Agreement(id="a", title="caf\udce9"), ValueError, "Agreement.title must be text of whole Unicode characters (no lone surrogate such as '\\udce9'), not 'caf\\udce9' (a str)"),
        (lambda: ServiceUser(id="p", name="P", description="\ud83d"), ValueError, "ServiceUser.description must be text of whole Unicode characters (no lone surrogate such as '\\udce9'), not '\\ud83d' (a str)"),
        (lambda: Acceptance(code="PM001", subject="s", reason="r", by="Mā\udcc4ori"), ValueError, "Acceptance.by must be text of whole Unicode characters (no lone surrogate such as '\\udce9'), not 'Mā\\udcc4ori' (a str)"),
        (lambda: Explanation(id="e", versions=["adult", "\udce9"]), ValueError, "Explanation.versions must hold only text of whole Unicode characters (no lone surrogate such as '\\udce9'), not '\\udce9' (a str)"),
    ],
)  # fmt: skip
def test_validators_say_the_class_field_expected_and_found(
    build, error: type[Exception], message: str
) -> None:  # type: ignore[no-untyped-def]
    # One readable sentence, never attrs' tuple of the message, the attribute and the value.
    with pytest.raises(error) as info:
        build()
    assert str(info.value) == message
    assert info.value.args == (message,)


def test_text_of_whole_characters_builds_whatever_its_script() -> None:
    # The near misses of the lone surrogates above: any real character is text.
    text = "Māori 😀 ✓ \u2028 \U0010fffd"
    assert ServiceUser(id="p", name=text, description=text).name == text
    assert Explanation(id="e", versions=[text]).versions == (text,)
    assert Checklist(what=text).what == text


def test_a_lone_surrogate_is_refused_by_evolve_too() -> None:
    a = Agreement(id="a", title="t")
    with pytest.raises(ValueError, match=r"Agreement\.title must be text of whole Unicode characters"):
        attrs.evolve(a, title="\udce9")


def test_the_right_values_build() -> None:
    # The near misses of the cases above: each field given what it must be.
    assert Agreement(id="a", title="t", review_by=datetime.date(2027, 6, 30)).review_by == datetime.date(
        2027, 6, 30
    )
    assert ServiceUser(id="_p", name="P", maori_data_interest=True).maori_data_interest is True
    assert Explanation(id="e", versions=("adult", "child"), names=Names(holders=["ccss"])).versions == (
        "adult",
        "child",
    )
    assert DataFlow(id="f", from_="a", to="c", carries=iter(["x"]), frequency="monthly").carries == ("x",)
    assert Provider(id="p", name="P", teams=[Team(id="p.t", name="T")]).teams[0].id == "p.t"
    assert Purpose(id="p", needs_identity=None).needs_identity is None


def test_enum_values_outside_their_set_say_the_allowed_values() -> None:
    with pytest.raises(
        ValueError, match=r"identifiability must be one of identifying, de-identified, aggregate, not 'named'"
    ):
        Information(id="i", identifiability="named")
    with pytest.raises(ValueError, match=r"sensitivity must be one of low, medium, high, not 'very'"):
        Information(id="i", sensitivity="very")


def test_enum_values_are_converted() -> None:
    info = Information(id="i", identifiability="de-identified", sensitivity="high")
    assert info.identifiability is Identifiability.DE_IDENTIFIED
    assert info.sensitivity is Sensitivity.HIGH


def test_checklist_missing_lists_unanswered_and_blank_items_in_order() -> None:
    says = Checklist(what="Your record", why="  ", how_used="To help")
    owed = tuple(i for i in dpup.CHECKLIST_ITEMS if i not in ("what", "how_used"))
    assert says.missing(no_choice=True) == owed
    assert says.missing() == tuple(i for i in owed if i != "no_choice_why")
    assert Checklist(**dict.fromkeys(dpup.CHECKLIST_ITEMS, "answered")).missing(no_choice=True) == ()
    assert (
        Checklist(**{**dict.fromkeys(dpup.CHECKLIST_ITEMS, "answered"), "no_choice_why": " "}).missing() == ()
    )


# -- the agreement ------------------------------------------------------------------------------


def test_lookups() -> None:
    a = small(purposes=[Purpose(id="evaluation")])
    assert a.node("agency.evaluation").name == "Evaluation"
    assert a.node("parents").name == "Parents"
    assert a.organisation_of("agency.evaluation") == "agency"
    assert a.organisation_of("ccss") == "ccss"
    assert a.organisation_of("parents") is None
    assert a.purpose("evaluation") == Purpose(id="evaluation")
    assert a.purpose("delivery") is None  # named by a flow, never declared: allowed
    assert a.info("record").about == ("parents",)
    assert a.flow("intake").to == "ccss"
    assert [(org.id, team.id) for org, team in a.teams()] == [("agency", "agency.evaluation")]
    with pytest.raises(KeyError):
        a.node("nobody")


def test_agreement_equality_and_hash_ignore_the_index() -> None:
    assert small() == small()
    assert hash(small()) == hash(small())
    assert small() != small(title="Other")


def test_the_index_is_not_an_attrs_field() -> None:
    a = dpup.examples.load("best-foot-forward")
    names = [f.name for f in attrs.fields(Agreement)]
    assert "_index" not in names
    assert names[:2] == ["id", "title"]
    assert "_index" not in attrs.asdict(a)
    assert "_index" not in attrs.asdict(a, recurse=False)
    assert len(attrs.astuple(a, recurse=False)) == len(names)
    assert Agreement(**attrs.asdict(a, recurse=False)) == a  # the common idiom
    assert attrs.evolve(a, title="Other").flow("intake-parents") is a.flow("intake-parents")
    assert "_index" not in repr(small())


@pytest.mark.parametrize("how", ["pickle", "copy", "deepcopy"])
def test_copies_look_up_as_the_original_does(how: str) -> None:
    a = dpup.examples.load("best-foot-forward")
    b = {
        "pickle": lambda: pickle.loads(pickle.dumps(a)),
        "copy": lambda: copy.copy(a),
        "deepcopy": lambda: copy.deepcopy(a),
    }[how]()
    assert b == a
    assert hash(b) == hash(a)
    assert b.flow("intake-parents") == a.flow("intake-parents")
    assert b.organisation_of("agency.evaluation") == "agency"
    assert b.purpose("nothing") is None
    assert b._index is not a._index  # its own, so a write to one cannot corrupt the other


def test_id_used_twice_names_both_places() -> None:
    with pytest.raises(AgreementError) as info:
        small(purposes=[Purpose(id="ccss")])
    (p,) = info.value.problems
    assert format_path(p.path) == "$.purposes[0].id"
    assert p.message == "id 'ccss' is used twice: here and at $.holders[0].id"


def test_reference_problems_name_both_ends_and_are_all_reported() -> None:
    flows = [DataFlow(id="intake", from_="parent", to="ccs", carries=["record", "notes"])]
    with pytest.raises(AgreementError) as info:
        small(flows=flows, parties=["agency.evaluation"])
    assert [(format_path(p.path), p.message, p.hint) for p in info.value.problems] == [
        (
            "$.parties[0]",
            "agreement 'demo' refers to 'agency.evaluation', which is not an organisation (a holder) in this agreement",
            None,
        ),
        (
            "$.flows[0].from",
            "flow 'intake' refers to 'parent', which is not a service-user group or holder in this agreement",
            "did you mean 'parents'?",
        ),
        (
            "$.flows[0].to",
            "flow 'intake' refers to 'ccs', which is not a service-user group or holder in this agreement",
            "did you mean 'ccss'?",
        ),
        (
            "$.flows[0].carries[1]",
            "flow 'intake' refers to 'notes', which is not an information item in this agreement",
            None,
        ),
    ]


def test_explanation_access_and_engagement_references() -> None:
    with pytest.raises(AgreementError) as info:
        small(
            explanations=[
                Explanation(id="e", for_=["kids"], covers=["outake"], names=Names(holders=["parents"]))
            ],
            access=[AccessArrangement(contact="agency.evaluation", covers=["nobody"])],
            engagement=[Engagement(with_=["ccss", "whanau"])],
        )
    assert [format_path(p.path) for p in info.value.problems] == [
        "$.explanations[0].for[0]",
        "$.explanations[0].covers[0]",
        "$.explanations[0].names.holders[0]",
        "$.access[0].covers[0]",
        "$.engagement[0].with[1]",
    ]


def test_names_purposes_and_team_purposes_need_not_be_declared() -> None:
    a = small(
        holders=[
            Provider(id="ccss", name="CCSS", teams=[Team(id="ccss.t", name="T", purposes=["anything"])])
        ],
        explanations=[Explanation(id="e", names=Names(purposes=["undeclared"]))],
        purposes=[Purpose(id="p", compatible_with=["also-undeclared"])],
    )
    assert a.purpose("undeclared") is None


def test_what_a_draft_lacks_is_optional() -> None:
    a = Agreement(
        id="draft",
        title="Draft",
        purposes=[Purpose(id="p")],
        information=[Information(id="i")],
        explanations=[Explanation(id="e")],
    )
    assert a.purposes[0].benefit is None
    assert a.purposes[0].needs_identity is None
    assert a.information[0].identifiability is None
    assert a.explanations[0].says.missing(no_choice=True) == dpup.CHECKLIST_ITEMS
    assert a.review_by is None


@given(agreements())
def test_generated_agreements_are_valid_and_rebuild_equal(a: Agreement) -> None:
    assert attrs.evolve(a) == a
    for flow in a.flows:
        assert a.node(flow.from_) is not None
        assert a.node(flow.to) is not None
    assert a.review_by is None or isinstance(a.review_by, datetime.date)


def test_lists_of_objects_name_the_field_and_the_wrong_item() -> None:
    with pytest.raises(TypeError, match=r"^Agreement.flows must hold DataFlow objects, not 'x' \(a str\)$"):
        dpup.Agreement(id="a", title="t", flows=["x"])
    with pytest.raises(
        TypeError, match=r"^Agreement.holders must hold Provider or Agency objects, not Team\("
    ):
        dpup.Agreement(id="a", title="t", holders=[dpup.Team(id="t", name="T")])


@given(agreement=agreements())
def test_the_quick_index_is_the_id_by_id_one(agreement: Agreement) -> None:
    # An Agreement indexes itself by set operations; anything else (what a loader could
    # read of a bad file) is indexed id by id. For a sound agreement the two agree, in order.
    import types

    from dpup.model import _build_index, _sound_index

    fields = {a.name: getattr(agreement, a.name) for a in attrs.fields(Agreement) if a.init}
    by_id, problems = _build_index(types.SimpleNamespace(**fields))
    quick = _sound_index(agreement)
    assert problems == []
    assert quick is not None
    assert {k: list(v.items()) for k, v in quick.items()} == {k: list(v.items()) for k, v in by_id.items()}


def test_an_agreement_shows_itself_in_jupyter_as_a_summary_and_its_flows() -> None:
    a = dpup.examples.load("best-foot-forward-before")
    html = a._repr_html_()
    assert html.startswith("<p><b>best-foot-forward-before</b>: ")
    assert f"{len(a.flows)} flows" in html
    assert f"{len(a.service_users)} service-user groups" in html
    assert html.count("<tr>") == len(a.flows) + 1
    assert (
        "<td>outcomes-report</td><td>ccss</td><td>agency.reporting</td><td>family-record</td><td>evaluation</td>"
        in html
    )
    assert "The first" not in html


def test_an_agreements_html_escapes_what_it_says_and_shows_the_first_flows_of_many(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a = dpup.examples.load("best-foot-forward")
    odd = attrs.evolve(a, title="<script>alert(1)</script> & more")
    html = odd._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    monkeypatch.setattr(dpup.model, "HTML_FLOWS", 2)
    html = a._repr_html_()
    assert html.count("<tr>") == 3
    assert f"The first 2 of {len(a.flows)} flows." in html
