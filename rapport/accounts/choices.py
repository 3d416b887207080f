from django.db import models


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    MANAGER = "manager", "Manager"
    STAFF = "staff", "Staff"
    VIEWER = "viewer", "Viewer"


# Higher rank can do everything a lower rank can.
ROLE_RANK = {Role.VIEWER: 0, Role.STAFF: 1, Role.MANAGER: 2, Role.OWNER: 3}


class AutomationKind(models.TextChoices):
    CHATBOT = "chatbot", "Chatbot"
    AUTORESPONDER = "autoresponder", "Auto-responder"
    CAMPAIGN = "campaign", "Email or SMS campaign"
    INTEGRATION = "integration", "Integration"
    OTHER = "other", "Other automation"


class AuditAction(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    DELETE = "delete", "Deleted"
    IMPORT = "import", "Imported"
    EXPORT = "export", "Exported"
    VIEW = "view", "Viewed"
    LOCK = "lockout", "Locked out"
    UNLOCK = "unlock", "Unlocked"


class TokenScope(models.TextChoices):
    READ = "read", "Read only"
    WRITE = "write", "Read and write"
