"""GET /notifications"""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.notifications import NotificationListQuery, NotificationPage
from shared.services.notifications import list_notifications


@endpoint(query=NotificationListQuery, response=NotificationPage)
def handler(req: Request, query: NotificationListQuery) -> NotificationPage:
    return list_notifications(req.account_id, query)
