"""The data model: shops, QuickBooks connections, workflow settings, sync runs and the ledger.

One module per entity; every public name is re-exported here, so code imports `from models`.
Importing the package registers every table on the metadata (app.py, migrations).
"""

from models.base import Model as Model
from models.base import Timestamped as Timestamped
from models.base import UTCDateTime as UTCDateTime
from models.base import str_enum as str_enum
from models.base import upsert_statement as upsert_statement
from models.base import utcnow as utcnow
from models.ledger import LedgerEntry as LedgerEntry
from models.ledger import LedgerKind as LedgerKind
from models.ledger import LedgerStatus as LedgerStatus
from models.runs import RunStatus as RunStatus
from models.runs import SyncRun as SyncRun
from models.runs import Trigger as Trigger
from models.runs import Workflow as Workflow
from models.settings import InventorySettings as InventorySettings
from models.settings import PaymentGatewayMapping as PaymentGatewayMapping
from models.settings import ProductSettings as ProductSettings
from models.settings import SalesSettings as SalesSettings
from models.settings import SyncSettings as SyncSettings
from models.settings import TaxMapping as TaxMapping
from models.shops import ConnectionStatus as ConnectionStatus
from models.shops import QuickBooksConnection as QuickBooksConnection
from models.shops import Shop as Shop
from models.webhooks import PrivacyRequest as PrivacyRequest
from models.webhooks import PrivacyRequestKind as PrivacyRequestKind
from models.webhooks import ProcessedWebhook as ProcessedWebhook
