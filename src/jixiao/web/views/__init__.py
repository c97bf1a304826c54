"""The pages of the web app, server-rendered in Chinese with htmx for partial updates.

Enters: HTTP requests from logged-in people. Leaves: HTML pages (login, home, upload results,
document page, findings panel, false-alarm statistics) and file downloads (the original bytes, the
rendered xlsx/docx/pdf/html). Every view asks ``permissions.allowed`` first: a document the user
may not see is a 404, an action the user may not take a 403 with the reason in Chinese. Reading,
checks, scoring and rendering are the library's (through ``jixiao.web.store`` and
``jixiao.render.pipeline``); nothing here re-implements them.

Modules: ``common`` (visible documents, 403 page, labels), ``auth`` (login with throttling),
``home``, ``uploads``, ``documents`` (page, downloads, comments, workflow), ``findings`` (panel
and false-alarm dismissals), ``formview`` (a form's grids as HTML rows with findings attached),
``stats`` (false alarms per rule).
"""
