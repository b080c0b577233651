"""Satisfaction surveys: one invitation per resolution of a ticket, one response per invitation."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import Base, UTCDateTime, new_token, utcnow


class SurveySettings(Base):
    """The owner's survey settings: one row (id 1)."""

    __tablename__ = "survey_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    is_enabled: Mapped[bool] = mapped_column(default=True)
    delay_minutes: Mapped[int] = mapped_column(default=60)
    expiry_days: Mapped[int] = mapped_column(default=14)
    question_en: Mapped[str] = mapped_column(String(300), default="How would you rate the help you received?")
    question_es: Mapped[str] = mapped_column(String(300), default="¿Cómo valoraría la ayuda que ha recibido?")


class SurveyInvitation(Base):
    __tablename__ = "survey_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    # The resolution this invitation asks about: a ticket resolved twice may be surveyed twice, each once.
    resolved_at: Mapped[datetime] = mapped_column(UTCDateTime)
    key: Mapped[str] = mapped_column(String(43), default=new_token)  # part of the link; replacing it revokes the link
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    response: Mapped["SurveyResponse | None"] = relationship(back_populates="invitation", uselist=False)

    __table_args__ = (UniqueConstraint("ticket_id", "resolved_at", name="uq_survey_invitation_resolution"),)


class SurveyResponse(Base):
    __tablename__ = "survey_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("survey_invitation.id", ondelete="CASCADE"), unique=True)
    rating: Mapped[int] = mapped_column()
    resolution_time: Mapped[int | None] = mapped_column()
    agent_skill: Mapped[int | None] = mapped_column()
    channel_ease: Mapped[int | None] = mapped_column()
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    invitation: Mapped[SurveyInvitation] = relationship(back_populates="response")

    __table_args__ = (CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),)


class PulseRound(Base):
    """A monthly, anonymous agent satisfaction pulse.

    Rounds are numbered 1, 2, 3… in the order they opened: a new round takes the newest one's number + 1. The
    unique number is the guard against two openers (two admins, the monthly job and an admin) that both read the
    same newest round at the same moment: the second insert fails instead of opening a second round.
    """

    __tablename__ = "pulse_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PulseInvitation(Base):
    """Who was asked and whether they answered: never which answer is theirs."""

    __tablename__ = "pulse_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("pulse_round.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    is_answered: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (UniqueConstraint("round_id", "user_id", name="uq_pulse_invitation_round_user"),)


class PulseAnswer(Base):
    """An anonymous answer: no user, a random key instead of a sequential id, and only the day it came in."""

    __tablename__ = "pulse_answer"

    key: Mapped[str] = mapped_column(String(43), primary_key=True, default=new_token)
    round_id: Mapped[int] = mapped_column(ForeignKey("pulse_round.id", ondelete="CASCADE"), index=True)
    workload: Mapped[int] = mapped_column()
    tools: Mapped[int] = mapped_column()
    support: Mapped[int] = mapped_column()
    comment: Mapped[str] = mapped_column(Text, default="")
    answered_on: Mapped[date] = mapped_column()
