"""Notes on a work order: remarks that are kept, internal or for the customer's status page.

A note may be added to a closed order too. Its text goes into what ``q`` searches.
"""

from datetime import datetime

from shared.clock import to_iso
from shared.data import keys, work_orders_repo
from shared.ids import new_id
from shared.models.work_order_lines import Note, NoteCreate, NotePage, NoteQuery
from shared.services import work_order_state as state

NOTES_TEXT = 2000  # characters of an order's notes that ``q`` searches


def add_note(account_id: str, order_id: str, body: NoteCreate, now: datetime, by: str) -> Note:
    note_id = new_id("nt")
    note: dict[str, str | None] = {
        "id": note_id,
        "text": body.text,
        "visibility": body.visibility,
        "author": by or None,
        "created_at": to_iso(now),
    }

    def step() -> Note:
        order = state.load(account_id, order_id)
        searched = f"{order.get('notes_text', '')} {body.text}".strip()[-NOTES_TEXT:]
        updated = {**order, "notes_text": searched}
        event = {"type": "note_added", "to": note_id}
        after, part = state.changed(account_id, updated, by, now, event)
        item = {
            **note,
            "PK": keys.order_pk(account_id, order_id),
            "SK": keys.order_note_sk(note_id),
            "entity": "note",
        }
        state.commit(account_id, order, after, [part, work_orders_repo.put_item(item)])
        return Note.model_validate(note)

    return state.guarded(step, None)


def list_notes(account_id: str, order_id: str, query: NoteQuery) -> NotePage:
    state.load(account_id, order_id)
    page = work_orders_repo.partition_page(
        account_id, order_id, keys.ORDER_NOTE, query.limit, query.next, query.order == "asc"
    )
    return NotePage(items=[Note.model_validate(item) for item in page.items], next=page.next)
