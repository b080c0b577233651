"""Admin settings: the request form builder (categories and their custom fields)."""

from types import SimpleNamespace

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from ..accounts import queries as account_queries
from ..accounts.models import Team
from ..accounts.queries import active_staff
from ..core.auth import admin_required
from ..core.extensions import db
from ..core.forms import ActionForm, select_choices
from ..core.htmx import render, wants_fragment
from ..core.models import id_from
from ..surveys import services as survey_services
from ..tickets.models import Category, CustomField, FieldType
from ..tickets.queries import all_categories
from . import queries, services
from .forms import CHOICE_TYPE_VALUES, CategoryForm, FieldForm, SurveySettingsForm, TeamForm, apply_option_action, field_type_choices
from .users import bp as users_bp

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.register_blueprint(users_bp)  # /admin/users: staff, invitations (admin.users.*)


def _category_or_404(category_id: int) -> Category:
    category = queries.category_with_fields(category_id)
    if category is None:
        abort(404)
    return category


def _field_or_404(field_id: int) -> CustomField:
    field = queries.custom_field(field_id)
    if field is None:
        abort(404)
    return field


@bp.get("/categories")
@admin_required
def categories() -> ResponseReturnValue:
    return render_template("admin/categories.html", categories=all_categories(with_fields=True), form=CategoryForm(formdata=None))


@bp.post("/categories")
@admin_required
def create_category() -> ResponseReturnValue:
    form = CategoryForm()
    if not form.validate_on_submit():
        return render_template("admin/categories.html", categories=all_categories(), form=form), 422
    category = services.create_category(form.name_en.data, form.name_es.data, active=form.active.data)
    db.session.commit()
    flash(_("Category created. Now add its questions."))
    return redirect(url_for(".category", category_id=category.id), 303)


def _category_page(
    category: Category,
    *,
    form: CategoryForm | None = None,
    field_form: FieldForm | None = None,
    status: int = 200,
    focus: str | None = None,
) -> ResponseReturnValue:
    return render_template(
        "admin/category.html",
        category=category,
        form=form or CategoryForm(formdata=None, obj=category),
        field_form=field_form or FieldForm(formdata=None),
        type_names=dict(field_type_choices()),
        focus=focus,
    ), status


def _field_form(formdata: MultiDict, *, field: CustomField | None = None) -> tuple[FieldForm, str | None]:
    """The question form from what was posted. A button of the options editor (add, remove, move a row)
    rearranges the rows first; the caller then shows the form again instead of saving. Returns the form and
    the id of the input to focus (None when nothing was rearranged)."""
    # Always through the rows editor: it renumbers the rows, so no posted row number reaches WTForms' own
    # int() (a 5,000-digit one would be a 500).
    formdata, focus = apply_option_action(formdata, formdata.get("options_action") or "")
    form = FieldForm(formdata=formdata)
    if field is not None:
        form.type.data = field.type.value  # fixed once the field exists: answers were given in that type
        form.existing_values = frozenset(o["value"] for o in field.options or [])
    if form.type.data in CHOICE_TYPE_VALUES and not form.options.entries:
        form.options.append_entry()  # a choice starts with two empty rows to fill in
        form.options.append_entry()
    return form, focus


def _field_input(form: FieldForm) -> services.FieldInput:
    """What a validated question form says, for the service."""
    return services.FieldInput(
        type=FieldType(form.type.data),
        label_en=form.label_en.data or "",
        label_es=form.label_es.data or "",
        help_en=form.help_en.data or "",
        help_es=form.help_es.data or "",
        is_required=bool(form.is_required.data),
        is_agent_only=bool(form.is_agent_only.data),
        options=form.parsed_options,
        min_value=form.min_number,
        max_value=form.max_number,
    )


def _settings(form: FieldForm, *, field: CustomField | None, category_id: int, focus: str | None = None) -> str:
    """The part of the question form that depends on its type: options for a choice, limits for a number."""
    return render_template(
        "admin/_field_settings.html", form=form, field=field, category_id=category_id, field_type=form.type.data, focus=focus
    )


@bp.get("/categories/<id:category_id>")
@admin_required
def category(category_id: int) -> ResponseReturnValue:
    return _category_page(_category_or_404(category_id))


@bp.post("/categories/<id:category_id>")
@admin_required
def update_category(category_id: int) -> ResponseReturnValue:
    category = _category_or_404(category_id)
    form = CategoryForm()
    if not form.validate_on_submit():
        return _category_page(category, form=form, status=422)
    services.update_category(category, name_en=form.name_en.data, name_es=form.name_es.data, active=form.active.data)
    db.session.commit()
    flash(_("Category saved."))
    return redirect(url_for(".category", category_id=category.id), 303)


@bp.post("/categories/<id:category_id>/fields")
@admin_required
def create_field(category_id: int) -> ResponseReturnValue:
    category = _category_or_404(category_id)
    form, focus = _field_form(request.form)
    if "options_action" in request.form:  # without JavaScript: the rows rearranged, nothing saved yet
        return _category_page(category, field_form=form, focus=focus)
    if not form.validate_on_submit():
        return _category_page(category, field_form=form, status=422)
    services.save_field(category, _field_input(form))
    db.session.commit()
    flash(_("Question added."))
    return redirect(url_for(".category", category_id=category.id, _anchor="fields"), 303)


@bp.get("/fields/<id:field_id>")
@admin_required
def field(field_id: int) -> ResponseReturnValue:
    field = _field_or_404(field_id)
    data = {name: getattr(field, name) for name in ("label_en", "label_es", "help_en", "help_es", "is_required", "is_agent_only")}
    options = [SimpleNamespace(value=o.get("value", ""), en=o.get("en", ""), es=o.get("es", "")) for o in field.options or []]
    data.update(options=options, type=field.type.value, min_value=_number(field.min_value), max_value=_number(field.max_value))
    form = FieldForm(formdata=None, data=data)
    return render("admin/field.html", "admin/_field_edit.html", field=field, form=form, type_names=dict(field_type_choices()))


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


@bp.post("/fields/<id:field_id>")
@admin_required
def update_field(field_id: int) -> ResponseReturnValue:
    field = _field_or_404(field_id)
    form, focus = _field_form(request.form, field=field)
    rearranged = "options_action" in request.form  # without JavaScript: the rows rearranged, nothing saved yet
    if rearranged or not form.validate_on_submit():
        response = render(
            "admin/field.html",
            "admin/_field_edit.html",
            field=field,
            form=form,
            type_names=dict(field_type_choices()),
            focus=focus,
            status=200 if rearranged else 422,
        )
        response.headers["HX-Retarget"] = f"#field-{field.id}-row"  # the errors go back into the open editor
        return response
    services.save_field(field.category, _field_input(form), field)
    db.session.commit()
    if not wants_fragment():
        flash(_("Question saved."))
    return _fields_response(field.category_id)


@bp.post("/categories/<id:category_id>/field-settings")
@admin_required
def new_field_settings(category_id: int) -> ResponseReturnValue:
    """The new question's type-dependent settings, swapped in by htmx when the type or the option rows change.
    Nothing is saved."""
    category = _category_or_404(category_id)
    form, focus = _field_form(request.form)
    if form.type.data not in {t.value for t in FieldType}:
        form.type.data = FieldType.TEXT.value
    return _settings(form, field=None, category_id=category.id, focus=focus)


@bp.post("/fields/<id:field_id>/settings")
@admin_required
def field_settings(field_id: int) -> ResponseReturnValue:
    """The same for a question being edited (its type is fixed). Nothing is saved."""
    field = _field_or_404(field_id)
    form, focus = _field_form(request.form, field=field)
    return _settings(form, field=field, category_id=field.category_id, focus=focus)


def _fields_response(category_id: int) -> Response:
    category = _category_or_404(category_id)
    if wants_fragment():
        return render("admin/category.html", "admin/_fields.html", category=category, type_names=dict(field_type_choices()))
    return redirect(url_for(".category", category_id=category_id, _anchor="fields"), 303)


@bp.post("/fields/<id:field_id>/move")
@admin_required
def move_field(field_id: int) -> ResponseReturnValue:
    field = _field_or_404(field_id)
    if ActionForm().validate_on_submit():
        services.move_field(field, -1 if request.form.get("direction") == "up" else 1)
        db.session.commit()
    return _fields_response(field.category_id)


@bp.post("/fields/<id:field_id>/retire")
@admin_required
def retire_field(field_id: int) -> ResponseReturnValue:
    field = _field_or_404(field_id)
    if ActionForm().validate_on_submit():
        services.set_retired(field, request.form.get("retired") != "0")
        db.session.commit()
    return _fields_response(field.category_id)


@bp.get("/surveys")
@admin_required
def surveys() -> ResponseReturnValue:
    config = survey_services.settings()
    form = SurveySettingsForm(formdata=None, obj=config)
    return _surveys_page(form)


def _surveys_page(form: SurveySettingsForm, status: int = 200) -> ResponseReturnValue:
    return render_template("admin/surveys.html", form=form, categories=all_categories()), status


@bp.post("/surveys")
@admin_required
def update_surveys() -> ResponseReturnValue:
    form = SurveySettingsForm()
    if not form.validate_on_submit():
        return _surveys_page(form, 422)
    services.update_survey_settings(
        is_enabled=form.is_enabled.data,
        delay_minutes=form.delay_minutes.data,
        expiry_days=form.expiry_days.data,
        question_en=form.question_en.data,
        question_es=form.question_es.data,
        surveyed_category_ids={id_from(raw) for raw in request.form.getlist("surveyed_category")} - {None},
    )
    db.session.commit()
    flash(_("Survey settings saved."))
    return redirect(url_for(".surveys"), 303)


def _team_form(team: Team | None = None, formdata: MultiDict | None = None) -> TeamForm:
    data = {"name": team.name, "lead_id": team.lead_id or 0, "member_ids": [u.id for u in team.members]} if team else None
    form = TeamForm(formdata=formdata, data=data)
    users = active_staff()
    form.lead_id.choices = select_choices([(0, _("Nobody"))] + [(u.id, u.name) for u in users])
    form.member_ids.choices = select_choices([(u.id, u.name) for u in users])
    return form


def _teams_page(form: TeamForm, team: Team | None = None, status: int = 200) -> ResponseReturnValue:
    return render_template("admin/teams.html", teams=account_queries.teams(with_members=True), form=form, team=team), status


@bp.get("/teams")
@admin_required
def teams() -> ResponseReturnValue:
    team = queries.team(request.args.get("team", type=int))
    return _teams_page(_team_form(team), team)


@bp.post("/teams")
@admin_required
def save_team() -> ResponseReturnValue:
    team = queries.team(request.form.get("team_id", type=int))
    form = _team_form(team, formdata=request.form)
    duplicate = queries.team_name_taken(form.name.data, other_than=team)
    if duplicate:
        form.name.errors = [_("A team with this name exists already.")]
    if not form.validate_on_submit() or duplicate:
        return _teams_page(form, team, 422)
    services.save_team(team, name=form.name.data, lead_id=form.lead_id.data or None, member_ids=form.member_ids.data or [])
    db.session.commit()
    flash(_("Team saved."))
    return redirect(url_for(".teams"), 303)
