"""Stipple's own descriptions for the schema skeleton (used once by gen_sdl.py).

Keys are "Type" or "Type.field". Texts are written for Stipple; they describe what
Stipple does, not how any other server documents itself.
"""

MODULE_INTRO = {
    None: "Base of Stipple's schema: directive definitions, the role enums the directives take, and\n"
          "the three root types (fields are added by `extend type` in every module file).\n"
          "This file must be loaded first.",
    "core": "Core API: server info, users, projects, models, versions, objects, tokens, admin\n"
            "and the legacy stream/branch/commit API used by older connectors.",
    "auth": "Applications (OAuth-style clients) and the login strategies the server offers.",
    "webhooks": "Project webhooks: per-project HTTP callbacks and their delivery history.",
    "fileuploads": "File imports (IFC, OBJ, STL, ...): uploads, import jobs and their live updates.",
    "blobstorage": "Binary attachments (blobs) stored alongside a project.",
    "serverinvites": "Invitations to the server and to projects.",
    "activitystream": "Legacy activity feeds (kept for old clients).",
    "comments": "Comment threads on models and versions, and live viewer presence.",
    "emails": "E-mail address verification requests.",
    "notifications": "Per-user notification preferences.",
    "stats": "Legacy server statistics (kept for old clients).",
    "accessrequests": "Requests by users to be given access to a project.",
    "viewer": "Viewer resources: resolving a viewer resource string into the models,\n"
              "versions and objects to load.",
    "viewer-disabled": "Saved views, view groups and their share links. Stipple serves this part of the\n"
                       "viewer module switched off: the fields exist so that clients validating\n"
                       "against the full schema work, and answer as with the feature disabled.",
    "workspacesCore": "Workspaces. Stipple serves this module switched off: fields exist for schema\n"
                      "compatibility; workspace lookups answer null/false/empty or\n"
                      "WORKSPACES_MODULE_DISABLED_ERROR.",
    "gatekeeperCore": "Plans, billing and seats. Served switched off (null/false/empty or a\n"
                      "module-disabled error).",
    "automate": "Automations and functions. Served switched off (null/false/empty or a\n"
                "module-disabled error).",
    "dashboards": "Dashboards. Served switched off (null/false/empty or a module-disabled error).",
    "acc": "Autodesk Construction Cloud sync. Served switched off (null/false/empty or a\n"
           "module-disabled error).",
    "gendo": "AI renders of versions. Served switched off (null/false/empty or a module-disabled\n"
             "error).",
    "multiregion": "Data regions. Served switched off (null/false/empty or a module-disabled error).",
}

BASE_DESCRIPTIONS = {
    "hasScope": "Only checked when the request carries a token: the token must hold this scope.",
    "hasScopes": "Only checked when the request carries a token: the token must hold every listed scope.",
    "hasServerRole": "The caller must be signed in with at least this server role (admins always pass).",
    "hasStreamRole": "The caller must hold at least this role on the parent project/stream.",
    "hasWorkspaceRole": "The caller must hold at least this role on the parent workspace.",
    "isOwner": "Only the user the parent object describes may read this field.",
    "ServerRole": "A user's role on this server.",
    "StreamRole": "A user's role on a project (legacy name: stream).",
    "WorkspaceRole": "A user's role on a workspace.",
    "Query": "Read entry points.",
    "Mutation": "Write entry points.",
    "Subscription": "Live updates, over graphql-ws or subscriptions-transport-ws.",
}

D = {
    # scalars & shared
    "DateTime": "A point in time, written as an ISO-8601 string.",
    "BigInt": "An integer that may exceed 32 bits (for example token lifespans in milliseconds).",
    "JSONObject": "Any JSON object, passed through as-is.",
    "SortDirection": "Ascending or descending order.",
    "PermissionCheckResult": "Outcome of asking whether the caller may do something, with a reason code when not.",
    "PermissionCheckResult.authorized": "True when the action is allowed.",
    "PermissionCheckResult.code": "Machine-readable reason (\"OK\" when allowed).",
    "CountOnlyCollection": "A collection of which only the size is exposed.",

    # server
    "ServerInfo": "Public facts about this Stipple server: identity, limits, scopes, roles and login options.",
    "ServerInfo.name": "Display name of the server.",
    "ServerInfo.version": "Server version (semver), or \"dev\" for development builds.",
    "ServerInfo.scopes": "Token scopes a user may grant to personal tokens and applications.",
    "ServerInfo.configuration": "Size limits and e-mail settings clients need to know about.",
    "ServerInfo.canonicalUrl": "The public base URL of the server.",
    "ServerInfo.inviteOnly": "When true, new users can only register with an invitation.",
    "ServerInfo.guestModeEnabled": "When true, users can be given the limited guest server role.",
    "ServerInfo.migration": "Set when this server has moved to or from another address.",
    "ServerInfo.authStrategies": "The login methods offered by this server.",
    "ServerInfo.workspaces": "Workspace availability; always reports workspaces as disabled on Stipple.",
    "ServerConfiguration": "Limits and settings of this server that affect clients.",
    "ServerConfiguration.objectSizeLimitBytes": "Largest single object accepted, in bytes.",
    "ServerConfiguration.blobSizeLimitBytes": "Largest blob accepted, in bytes.",
    "ServerMigration": "Where this server moved from or to.",
    "Scope": "A token permission, such as streams:read.",
    "Role": "A role and what it applies to.",
    "ServerRoleItem": "A server role with its human-readable title.",
    "ServerInfoUpdateInput": "Server settings an administrator may change.",

    # users
    "User": "A registered user. Private fields (email, tokens, apps, ...) are only shown to the user themself or to admins.",
    "User.id": "Stable user id.",
    "User.email": "Primary e-mail address; visible to the user themself and admins.",
    "User.name": "Display name.",
    "User.role": "The user's server role, for example server:user.",
    "User.projects": "Projects the user has a role on, newest activity first, with filters and cursor pagination.",
    "User.projectInvites": "Pending invitations for this user to join projects.",
    "User.versions": "Number of versions in the user's projects (or authored by them).",
    "User.apiTokens": "The user's personal access tokens (secrets are never shown).",
    "User.permissions": "What the user may do at server level.",
    "User.streams": "Legacy view of the user's projects.",
    "User.commits": "Legacy view of the versions the user authored.",
    "User.emails": "All e-mail addresses of the user.",
    "User.meta": "Small per-user UI flags.",
    "LimitedUser": "The public face of a user, safe to show to anyone who can see them.",
    "UserProjectCollection": "A page of a user's projects.",
    "UserProjectCollection.numberOfHidden": "Projects the caller is not allowed to see.",
    "UserProjectsFilter": "Narrows down a user's project list.",
    "UserSearchResultCollection": "A page of user search results.",
    "UserUpdateInput": "Profile fields a user may change.",
    "UsersRetrievalInput": "A user search: free text (name or e-mail) plus paging.",
    "UserEmail": "One e-mail address of a user.",
    "UserMeta": "Small per-user UI flags.",
    "ActiveUserMutations": "Changes to the signed-in user's own account.",
    "ActiveUserMutations.update": "Update the caller's profile.",
    "ActiveUserMutations.finishOnboarding": "Record that the caller completed onboarding.",
    "UserEmailMutations": "Manage the caller's e-mail addresses.",
    "ApiToken": "A personal access token (only metadata; the secret is shown once, at creation).",
    "ApiToken.lastChars": "The last characters of the token, to recognise it.",
    "ApiToken.lifespan": "Lifetime in milliseconds.",
    "ApiTokenCreateInput": "A new personal access token: name, scopes, lifetime and optional resource limits.",
    "EmbedToken": "A read-only token that lets an embedded viewer open one project.",

    # projects
    "Project": "A project: a container of models and their versions, shared with a team.",
    "Project.id": "Stable project id.",
    "Project.name": "Display name.",
    "Project.visibility": "Who may read the project: only its team, or anyone with the link.",
    "Project.role": "The caller's role on this project, or null when they have none.",
    "Project.team": "Everyone with a role on the project.",
    "Project.invitedTeam": "Pending invitations to the project (shown to owners).",
    "Project.models": "Models of the project, with filters and cursor pagination.",
    "Project.model": "One model of this project, by id.",
    "Project.modelByName": "One model of this project, by its full name (case-insensitive).",
    "Project.modelsTree": "Top level of the model tree; model names containing '/' form folders.",
    "Project.modelChildrenTree": "Children of one folder of the model tree.",
    "Project.versions": "Versions of all models in the project, newest first.",
    "Project.version": "One version of this project, by id.",
    "Project.object": "One object stored in this project, by id.",
    "Project.permissions": "What the caller may do with this project.",
    "Project.sourceApps": "Applications that published versions to this project.",
    "Project.workspaceId": "Always null on Stipple (workspaces are switched off).",
    "Project.workspace": "Always null on Stipple (workspaces are switched off).",
    "ProjectCollection": "A page of projects.",
    "ProjectCollaborator": "A user's membership of a project.",
    "ProjectPermissionChecks": "Answers to 'may the caller do X with this project?'.",
    "ProjectMutations": "Create, change and delete projects and their team.",
    "ProjectMutations.create": "Create a project (with an empty 'main' model); the caller becomes its owner.",
    "ProjectMutations.update": "Change a project's name, description, visibility or comment settings.",
    "ProjectMutations.delete": "Delete a project with all its models, versions and objects.",
    "ProjectMutations.batchDelete": "Delete several projects at once (administrators).",
    "ProjectMutations.updateRole": "Give a user a role on the project, or remove it (role null).",
    "ProjectMutations.leave": "Remove the caller from a project's team.",
    "ProjectMutations.invites": "Invitations to the project.",
    "ProjectInviteMutations": "Create, accept, decline and cancel project invitations.",
    "ProjectCreateInput": "A new project.",
    "ProjectUpdateInput": "Changes to a project; omitted fields stay as they are.",
    "ProjectUpdateRoleInput": "A role change for one user on one project.",
    "ProjectVisibility": "Who may read a project. UNLISTED is accepted as an old spelling of PUBLIC.",
    "PendingStreamCollaborator": "An invitation to join a project that has not been answered yet.",
    "UserProjectsUpdatedMessage": "A project was added to or removed from the subscriber's list.",
    "ProjectUpdatedMessage": "A project changed or was deleted.",

    # models & versions
    "Model": "A model: a named line of versions inside a project. Names with '/' form a tree.",
    "Model.id": "Stable model id.",
    "Model.name": "Full name, lower-case, possibly with '/'-separated folders.",
    "Model.displayName": "Last segment of the name, for display.",
    "Model.author": "The user who created the model.",
    "Model.previewUrl": "Preview image of the latest version, if any.",
    "Model.versions": "Versions of this model, newest first.",
    "Model.version": "One version of this model, by id.",
    "Model.permissions": "What the caller may do with this model.",
    "ModelCollection": "A page of models.",
    "ModelsTreeItem": "A node of the model tree: a folder, a model, or both.",
    "ModelsTreeItemCollection": "A page of model tree nodes.",
    "ModelMutations": "Create, rename and delete models.",
    "ModelMutations.create": "Create a model in a project.",
    "ModelMutations.update": "Rename a model or change its description.",
    "ModelMutations.delete": "Delete a model and its versions ('main' cannot be deleted).",
    "CreateModelInput": "A new model.",
    "UpdateModelInput": "Changes to a model.",
    "DeleteModelInput": "The model to delete.",
    "ProjectModelsFilter": "Narrows down a project's model list.",
    "ModelVersionsFilter": "Narrows down or reorders a model's version list.",
    "Version": "A version: one published snapshot of a model, pointing at a root object.",
    "Version.id": "Stable version id.",
    "Version.referencedObject": "Id of the root object of this snapshot.",
    "Version.message": "The author's note about this version.",
    "Version.sourceApplication": "The application that published the version.",
    "Version.authorUser": "The user who published the version.",
    "Version.model": "The model this version belongs to.",
    "Version.previewUrl": "URL of the preview image of this version.",
    "Version.totalChildrenCount": "Number of objects under the root object.",
    "Version.permissions": "What the caller may do with this version.",
    "VersionCollection": "A page of versions.",
    "VersionMutations": "Publish, edit, move, delete and acknowledge versions.",
    "VersionMutations.create": "Publish a new version of a model from an uploaded root object.",
    "VersionMutations.update": "Change a version's message.",
    "VersionMutations.moveToModel": "Move versions to another model (created when missing).",
    "VersionMutations.delete": "Delete versions.",
    "VersionMutations.markReceived": "Record that a client loaded a version.",
    "CreateVersionInput": "A new version.",
    "ProjectModelsUpdatedMessage": "A model of the watched project was created, changed or deleted.",
    "ProjectVersionsUpdatedMessage": "A version of the watched project was created, changed or deleted.",
    "ProjectVersionsPreviewGeneratedMessage": "A preview image was rendered for a version.",

    # objects
    "Object": "A stored Speckle object: an immutable, content-addressed JSON document.",
    "Object.id": "Content hash of the object.",
    "Object.speckleType": "The object's speckle_type.",
    "Object.data": "The object's full JSON.",
    "Object.totalChildrenCount": "Number of objects reachable from this one.",
    "Object.children": "Objects below this one, with optional field selection, filtering and ordering.",
    "ObjectCollection": "A page of child objects.",
    "ObjectCreateInput": "Objects to store in a project (legacy mutation).",

    # legacy
    "Stream": "Legacy name of a project, still used by older connectors.",
    "Stream.branch": "A branch (model) by name; defaults to 'main'.",
    "Branch": "Legacy name of a model.",
    "Commit": "Legacy name of a version.",
    "Commit.referencedObject": "Id of the root object of this snapshot.",
    "StreamCollection": "A page of legacy streams.",
    "UserStreamCollection": "A page of a user's legacy streams.",
    "BranchCollection": "A page of legacy branches.",
    "CommitCollection": "A page of legacy commits.",
    "StreamCollaborator": "Legacy view of a project team member.",
    "StreamCreateInput": "Legacy project creation input.",
    "StreamUpdateInput": "Legacy project update input.",
    "BranchCreateInput": "Legacy model creation input.",
    "CommitCreateInput": "Legacy version creation input.",
    "CommitReceivedInput": "Legacy 'version was loaded' acknowledgement.",

    # admin
    "AdminQueries": "Administrator views of users, invites, projects and statistics.",
    "AdminMutations": "Administrator-only changes.",
    "ServerStatistics": "Totals for the administrator dashboard.",

    # root fields
    "Query.serverInfo": "Facts about this server.",
    "Query.activeUser": "The signed-in user, or null for anonymous requests.",
    "Query.otherUser": "Public profile of another user.",
    "Query.users": "Search users by name or e-mail.",
    "Query.project": "One project by id; fails with STREAM_NOT_FOUND or FORBIDDEN.",
    "Query.projectInvite": "The caller's pending invitation to a project, if any.",
    "Query.admin": "Administrator queries.",
    "Query.stream": "Legacy project lookup.",
    "Query.streams": "Legacy list of the caller's projects.",
    "Query.app": "One registered application.",
    "Mutation.projectMutations": "Project operations.",
    "Mutation.modelMutations": "Model operations.",
    "Mutation.versionMutations": "Version operations.",
    "Mutation.activeUserMutations": "Operations on the caller's own account.",
    "Mutation.apiTokenCreate": "Create a personal access token; the full token is returned only here.",
    "Mutation.apiTokenRevoke": "Revoke a personal access token.",
    "Mutation.serverInfoUpdate": "Change server settings (administrators).",
    "Mutation.objectCreate": "Store objects in a project (legacy; the REST upload is preferred).",
    "Mutation.streamCreate": "Legacy project creation; returns the new id.",
    "Mutation.branchCreate": "Legacy model creation; returns the new id.",
    "Mutation.commitCreate": "Legacy version creation; returns the new id.",
    "Mutation.commitReceive": "Legacy 'version was loaded' acknowledgement.",
    "Subscription.userProjectsUpdated": "The caller gained or lost access to a project.",
    "Subscription.projectUpdated": "A project changed or was deleted.",
    "Subscription.projectModelsUpdated": "Models of a project changed.",
    "Subscription.projectVersionsUpdated": "Versions of a project changed.",
    "Subscription.projectVersionsPreviewGenerated": "A version preview finished rendering.",
    "Subscription.ping": "Test subscription.",

    # auth
    "ServerApp": "An application registered to obtain tokens for users.",
    "ServerAppListItem": "An application as shown in lists (no secret).",
    "AuthStrategy": "A login method offered by the server.",

    # webhooks
    "Webhook": "A URL that receives a POST when selected project events happen.",
    "WebhookEvent": "One delivery attempt of a webhook.",

    # fileuploads
    "FileUpload": "An uploaded file and the state of its import into a model.",
    "FileUploadMutations": "Start and finish file imports.",

    # blobs
    "BlobMetadata": "Metadata of a binary attachment stored with a project.",

    # invites
    "ServerInvite": "An invitation to join this server.",

    # comments
    "Comment": "A comment thread or reply attached to models, versions or objects.",
    "CommentMutations": "Create, reply to, edit, archive and mark comments as read.",

    # activity & stats
    "Activity": "One entry of a legacy activity feed.",
    "ServerStats": "Legacy server statistics.",

    # access requests
    "ProjectAccessRequest": "A user's request to be given access to a project.",

    # viewer
    "ViewerResourceGroup": "One entry of a resource string, resolved to concrete items.",
    "ViewerResourceItem": "A model/version/object triple the viewer should load.",
    "ExtendedViewerResources": "Resolved viewer resources plus the saved view that was applied, if any.",
    "Project.viewerResources": "Resolve a viewer resource string into concrete items.",
    "Project.viewerResourcesExtended": "Resolve a viewer resource string into concrete items.",
    "Model.resourceIdString": "The resource string that opens this model in the viewer.",
}
