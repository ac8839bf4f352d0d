"""The registry's tables: every desk action (id, text, keys, when enabled), the keys of the
cross-outlet windows, the menus and the toolbar. Plain data, no Qt: ``actions`` builds the
QActions from it, F1 and the README read it.
"""

from __future__ import annotations

from dataclasses import dataclass

# When an action is enabled: the window passes the truth of each condition on every update.
ALWAYS, DATABASE, ARTICLE, ANNOTATION, ENTITY_SPAN, UNDO, REDO = (
    "always",
    "database",
    "article",
    "annotation",
    "entity_span",
    "undo",
    "redo",
)


@dataclass(frozen=True)
class ActionSpec:
    id: str  # the QAction's objectName, stable for tests and scripts
    text: str
    keys: tuple[str, ...] = ()  # portable key strings ("Ctrl+I")
    icon: str = ""
    tip: str = ""
    desk: bool = False  # its keys act only while the reader or the annotation list has focus
    enabled: str = ALWAYS
    checkable: bool = False
    icon_text: str = ""
    help: str = ""  # what the keyboard map says (default: the text)
    scope: str = ""  # its keys act only inside the widgets bound to this scope (``bind_scope``)


SPECS: tuple[ActionSpec, ...] = (
    ActionSpec("actionNewDatabase", "&New database…", ("Ctrl+N",), "new"),
    ActionSpec("actionOpenDatabase", "&Open database…", ("Ctrl+O",), "open"),
    ActionSpec("actionImport", "&Import articles…", ("Ctrl+I",), "import", "Import article files", enabled=DATABASE),
    ActionSpec("actionImportFolder", "Import &folder…", ("Ctrl+Shift+I",), "import", enabled=DATABASE),
    ActionSpec(
        "actionExport",
        "&Export dataset…",
        ("Ctrl+E",),
        "export",
        "CSV, spreadsheets and the standard formats",
        enabled=DATABASE,
    ),
    ActionSpec(
        "actionBackupNow", "&Back up now", (), "", "Copy the database to the rolling backups folder", enabled=DATABASE
    ),
    ActionSpec("actionRestoreBackup", "&Restore from backup…", enabled=DATABASE),
    ActionSpec(
        "actionMergeDatabase",
        "&Merge a colleague's database…",
        (),
        "",
        "Bring a coder's copy into this one; items changed on both sides wait for you",
        enabled=DATABASE,
    ),
    ActionSpec("actionMergeConflicts", "Merge &conflicts…", enabled=DATABASE),
    ActionSpec("actionQuit", "&Quit", ("Ctrl+Q",)),
    ActionSpec(
        "actionUndo",
        "&Undo",
        ("Ctrl+Z",),
        "undo",
        enabled=UNDO,
        icon_text="Undo",
        help="undo the last change (every change is undoable)",
    ),
    ActionSpec("actionRedo", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "redo", enabled=REDO, icon_text="Redo"),
    ActionSpec(
        "actionDeleteAnnotation",
        "&Delete annotation",
        ("Delete", "Backspace"),
        "delete",
        "Remove the selected annotation (undoable)",
        desk=True,
        enabled=ANNOTATION,
        icon_text="Delete",
    ),
    ActionSpec(
        "actionSnapWords",
        "&Snap selections to words",
        (),
        "snap",
        "Widen selections to whole words, trim spaces",
        checkable=True,
        icon_text="Snap to words",
    ),
    ActionSpec(
        "actionFocusSearch", "&Find articles", ("Ctrl+Shift+F",), "search", help="search the articles (full text)"
    ),
    ActionSpec(
        "actionFindInArticle",
        "Find in &article…",
        ("Ctrl+F",),
        "search",
        enabled=ARTICLE,
        help="find in the open article (Enter: next, Esc: back to the text)",
    ),
    ActionSpec("actionFindNext", "Find next", ("F3",), enabled=ARTICLE),
    ActionSpec("actionFindPrevious", "Find previous", ("Shift+F3",), enabled=ARTICLE),
    ActionSpec("actionZoomIn", "Zoom &in", ("Ctrl+=", "Ctrl++"), help="larger reading text (remembered)"),
    ActionSpec("actionZoomOut", "Zoom &out", ("Ctrl+-",), help="smaller reading text"),
    ActionSpec("actionZoomReset", "&Actual size", ("Ctrl+0",), help="reading text at its normal size"),
    ActionSpec(
        "actionSpanEndRight",
        "Move span end right",
        ("Shift+Alt+Right",),
        desk=True,
        enabled=ANNOTATION,
        help="resize the selected span: its end one character right (links and history kept)",
    ),
    ActionSpec(
        "actionSpanEndLeft",
        "Move span end left",
        ("Shift+Alt+Left",),
        desk=True,
        enabled=ANNOTATION,
        help="resize: the end one character left",
    ),
    ActionSpec(
        "actionSpanStartLeft",
        "Move span start left",
        ("Ctrl+Shift+Alt+Left",),
        desk=True,
        enabled=ANNOTATION,
        help="resize: the start one character left",
    ),
    ActionSpec(
        "actionSpanStartRight",
        "Move span start right",
        ("Ctrl+Shift+Alt+Right",),
        desk=True,
        enabled=ANNOTATION,
        help="resize: the start one character right",
    ),
    ActionSpec(
        "actionEditArticle",
        "Edit article &details…",
        ("Ctrl+Shift+D",),
        "",
        "Correct the title, date, outlet, URL, language or author (undoable)",
        enabled=ARTICLE,
        help="edit the open article's title, date, outlet, URL, language, author",
    ),
    ActionSpec("actionNextArticle", "Next article", ("Ctrl+Down",)),
    ActionSpec("actionPreviousArticle", "Previous article", ("Ctrl+Up",)),
    ActionSpec("actionPreferences", "&Preferences…", ("Ctrl+,",)),
    ActionSpec(
        "actionLinkSpans",
        "&Link to another span…",
        ("L",),
        "",
        "Then click the target: claim → actor (said by), agreement → actor (party), claim → agreement (about)",
        desk=True,
        enabled=ANNOTATION,
        help="link the selected span: then click the target",
    ),
    ActionSpec("actionCancelLink", "Cancel link", ("Esc",)),
    ActionSpec(
        "actionNewEntity",
        "&New entity from span",
        ("N",),
        "",
        "Create the actor or agreement this span names and link it",
        desk=True,
        enabled=ENTITY_SPAN,
    ),
    ActionSpec(
        "actionFindMentions",
        "Find more &mentions",
        ("Ctrl+M",),
        "search",
        "Unannotated occurrences of the selected span's entity",
        enabled=ANNOTATION,
        help="find more mentions of the span's entity (Y accepts, N rejects)",
    ),
    ActionSpec(
        "actionMarkAnnotated",
        "Mark article &annotated",
        ("Ctrl+Return",),
        "",
        "Set this article's progress to Annotated",
        enabled=ARTICLE,
    ),
    ActionSpec("actionAddLabel", "Add &label…", (), "label-add", enabled=DATABASE),
    ActionSpec("actionShowEntities", "&Entities", ("Ctrl+Shift+E",), checkable=True, help="show the entities panel"),
    ActionSpec(
        "actionStartReview",
        "Start &review session…",
        ("Ctrl+R",),
        "review",
        "Go through claims one by one: decide, give a verdict and evidence",
        enabled=DATABASE,
        icon_text="Review",
    ),
    ActionSpec(
        "actionReviewSummary",
        "Review &summary",
        ("Ctrl+Shift+S",),
        "",
        "Counts by verdict, label, article and reviewer",
        enabled=DATABASE,
    ),
    ActionSpec(
        "actionShowHistory",
        "Annotation &history",
        ("Ctrl+H",),
        "",
        "Every change to the selected annotation: who, when, old and new values",
        enabled=ANNOTATION,
    ),
    ActionSpec(
        "actionCurate",
        "&Curate this article…",
        ("Ctrl+Shift+G",),
        "",
        "Each coder's spans in a lane: take A's, B's, both or neither into the gold layer",
        enabled=ARTICLE,
        help="curate the open article: each coder's spans in a lane, keys take them into the gold layer",
    ),
    ActionSpec(
        "actionAgreement",
        "&Agreement report",
        (),
        "",
        "How far coders and reviewers agree: α and κ per label, verdicts, statuses",
        enabled=DATABASE,
    ),
    ActionSpec(
        "actionShowStories",
        "&Stories across outlets",
        ("Ctrl+Shift+O",),
        "",
        "Articles reporting the same event: how many outlets, how many independent sources",
        enabled=DATABASE,
        help="stories across outlets: one event, n outlets, k independent (Enter opens an article)",
    ),
    ActionSpec(
        "actionCompareStory",
        "&Compare these articles",
        ("C",),
        scope="stories",
        help="in the stories panel: compare the selected story's (or article's story's) articles",
    ),
    ActionSpec(
        "actionClaimClusters",
        "Claim c&lusters",
        ("Ctrl+Shift+L",),
        "",
        "Claims in different articles that state the same thing, their verdicts side by side",
        enabled=DATABASE,
        help="claim clusters: one claim in several articles, verdicts side by side, conflicts flagged",
    ),
    ActionSpec(
        "actionApplyProposedVerdict",
        "A&pply the proposed verdict",
        ("P",),
        scope="claims",
        help="in the claim clusters panel: give the selected claim the verdict proposed for it (undoable)",
    ),
    ActionSpec(
        "actionImportPriorChecks",
        "Import &fact-checks (ClaimReview)…",
        ("Ctrl+Shift+K",),
        "import",
        "Earlier fact-checks as ClaimReview JSON-LD files, matched offline against your claims",
        enabled=DATABASE,
        help="import earlier fact-checks (ClaimReview JSON-LD files); review shows the best matches",
    ),
    ActionSpec(
        "actionImportPriorChecksFolder",
        "Import fact-check f&older…",
        ("Ctrl+Alt+K",),
        "import",
        enabled=DATABASE,
        help="import a folder of ClaimReview JSON-LD files",
    ),
    ActionSpec(
        "actionCompareArticles",
        "Co&mpare articles…",
        ("Ctrl+Shift+C",),
        "",
        "The open article beside other reports of its story: aligned sentences, differing figures, dates, names",
        enabled=ARTICLE,
        help="compare the open article with other reports of its story",
    ),
    ActionSpec(
        "actionTimeline",
        "&Timeline",
        ("Ctrl+Shift+T",),
        "",
        "Claims and agreements on a time axis; one event dated differently by different outlets is flagged",
        enabled=DATABASE,
        help="timeline of claims and agreements (conflicting dates flagged)",
    ),
    ActionSpec("actionShortcuts", "&Keyboard shortcuts", ("F1",), "help"),
    ActionSpec("actionUserGuide", "&User guide", (), "help"),
    ActionSpec("actionWelcome", "&Welcome"),
    ActionSpec("actionAbout", "&About kzpk_desktop"),
)
SPEC_BY_ID = {s.id: s for s in SPECS}


@dataclass(frozen=True)
class ViewKeySpec:
    """A key of one of the cross-outlet windows (compare, timeline): it acts in that window only,
    so it may reuse a key the desk uses; listed here so that F1 and the README show it."""

    id: str  # the QAction's objectName
    view: str  # the window's name, as F1 and the README say it
    text: str
    keys: tuple[str, ...]
    help: str


VIEW_KEYS: tuple[ViewKeySpec, ...] = (
    ViewKeySpec(
        "compareNextDifference", "Compare", "Next difference", ("F8", "J"), "next differing figure, date or name"
    ),
    ViewKeySpec(
        "comparePreviousDifference", "Compare", "Previous difference", ("Shift+F8", "K"), "previous difference"
    ),
    ViewKeySpec(
        "compareTagClaim",
        "Compare",
        "Tag difference as claim",
        ("C",),
        "tag the highlighted difference as a claim in each article (Ctrl+Z undoes)",
    ),
    ViewKeySpec("timelineOpen", "Timeline", "Open at the span", ("Return", "Enter"), "open the article at the entry"),
    ViewKeySpec("timelineNextConflict", "Timeline", "Next conflict", ("F8",), "next entry whose date is disputed"),
    ViewKeySpec("timelinePreviousConflict", "Timeline", "Previous conflict", ("Shift+F8",), "previous disputed entry"),
    ViewKeySpec("timelineRefresh", "Timeline", "Refresh", ("F5",), "read the claims and agreements again"),
)
VIEW_KEY_BY_ID = {v.id: v for v in VIEW_KEYS}


# Menus and toolbar by id; "-" is a separator, "@tags" the label actions, "@recent" the recent files.
MENUS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "&File",
        (
            "actionNewDatabase",
            "actionOpenDatabase",
            "@recent",
            "-",
            "actionImport",
            "actionImportFolder",
            "actionExport",
            "-",
            "actionBackupNow",
            "actionRestoreBackup",
            "-",
            "actionMergeDatabase",
            "actionMergeConflicts",
            "-",
            "actionQuit",
        ),
    ),
    (
        "&Edit",
        (
            "actionUndo",
            "actionRedo",
            "-",
            "actionDeleteAnnotation",
            "actionSnapWords",
            "-",
            "actionFocusSearch",
            "actionFindInArticle",
            "actionFindNext",
            "actionFindPrevious",
            "-",
            "actionEditArticle",
            "actionNextArticle",
            "actionPreviousArticle",
            "-",
            "actionPreferences",
        ),
    ),
    (
        "&Annotate",
        (
            "@tags",
            "-",
            "actionDeleteAnnotation",
            "actionLinkSpans",
            "actionNewEntity",
            "actionFindMentions",
            "-",
            "actionSpanEndRight",
            "actionSpanEndLeft",
            "actionSpanStartLeft",
            "actionSpanStartRight",
            "-",
            "actionMarkAnnotated",
            "actionAddLabel",
        ),
    ),
    (
        "&Review",
        (
            "actionStartReview",
            "actionReviewSummary",
            "actionShowHistory",
            "-",
            "actionCurate",
            "actionAgreement",
            "-",
            "actionShowStories",
            "actionCompareStory",
            "actionClaimClusters",
            "actionApplyProposedVerdict",
            "actionImportPriorChecks",
            "actionImportPriorChecksFolder",
            "actionCompareArticles",
            "actionTimeline",
        ),
    ),
    ("&View", ("actionShowEntities", "-", "actionZoomIn", "actionZoomOut", "actionZoomReset")),
    ("&Help", ("actionShortcuts", "actionUserGuide", "actionWelcome", "-", "actionAbout")),
)
TOOLBAR = (
    "actionImport",
    "actionExport",
    "-",
    "actionUndo",
    "actionRedo",
    "-",
    "@tags",
    "actionDeleteAnnotation",
    "-",
    "actionStartReview",
    "actionSnapWords",
)
