site-name = Concerto
site-tagline = Public consultations, collective answers
skip-link = Skip to main content
nav-home = Home
nav-api = API documentation
nav-label = Main navigation
lang-switch-label = Language
lang-switch-button = Change language
footer-text = Concerto, free software for consulting organisations.
footer-accessibility = Accessibility: aiming at RGAA / WCAG 2.1 level AA.
home-title = Open consultations
home-intro = Registered organisations answer on behalf of their members, chapter by chapter, before the deadline.
home-empty = No consultation is open at the moment. Please come back soon.
round-closes = Answers until { $date }
round-chapters = Chapters
round-read = Read the consultation “{ $title }”
round-status-draft = Draft
round-status-open = Open
round-status-closed = Closed
round-status-archived = Archived
round-status-label = Status
round-deadline-label = Deadline
round-questions = { $count ->
    [one] { $count } question
   *[other] { $count } questions
}
question-required = required
question-kind-short_text = Short answer
question-kind-long_text = Long answer
question-kind-single_choice = One choice among several
question-kind-multiple_choice = Several choices allowed
question-kind-scale = Scale
question-kind-documents = Attached documents
question-kind-proposals = Action proposals
error-title-400 = Malformed request
error-title-401 = Sign-in required
error-title-403 = Access denied
error-second-factor-title = Two-factor sign-in required
error-second-factor-off = Reading organisations' answers, exporting them, opening, closing or archiving a consultation needs two-factor sign-in. Turn it on from your account (an authenticator app is enough), then come back to this page.
error-second-factor-turn-on = Turn on two-factor sign-in
error-second-factor-sign-in = Your account has two-factor sign-in, but this session was opened without the code. Sign in again with your code to go on.
error-second-factor-sign-in-again = Sign in again with the code
error-title-404 = Page not found
error-title-405 = Method not allowed
error-title-409 = Conflict
error-title-413 = Content too large
error-title-415 = Unsupported content type
error-title-422 = Some values are invalid
error-title-429 = Too many attempts
error-title-500 = Internal error
error-title-503 = Service temporarily unavailable
error-text-client = The request could not be completed. Check the address or go back to the home page.
error-text-server = The service ran into a problem. Please try again in a moment; if it persists, contact the coordination team.
error-back-home = Back to the home page
error-request-id = Request reference: { $id }
mail-greeting = Hello { $name },
mail-signature = The Concerto team
mail-ignore = If you did not ask for this, ignore this message: nothing will happen.
mail-verify-subject = Confirm your email address
mail-verify-body = To activate your Concerto account, confirm your email address with the link below.
mail-verify-expiry = This link is valid for 48 hours and works once.
mail-verify-action = Confirm my address
mail-exists-subject = Sign-up attempt with your address
mail-exists-body = Someone tried to create a Concerto account with your email address, which already has one. If it was you, sign in or choose a new password.
mail-exists-action = Choose a new password
mail-reset-subject = Choose a new password
mail-reset-body = A new password was requested for your Concerto account. Choose it with the link below.
mail-reset-expiry = This link is valid for one hour and works once.
mail-reset-action = Choose a new password
mail-changed-subject = Your password was changed
mail-changed-body = The password of your Concerto account has just been changed. All your sessions were closed.
mail-changed-warning = If you did not make this change, choose a new password right away and warn the coordination team.
mail-changed-action = Choose a new password
page-title-error = Error: { $title }
nav-admin = Administration
nav-account = My account
nav-sign-in = Sign in
nav-sign-up = Create an account
nav-sign-out = Sign out
form-error-summary = The form contains errors
form-error-prefix = Error:
form-error-credentials = Wrong email address or password.
form-error-throttled = { $seconds ->
    [one] Too many attempts. Try again in { $seconds } second.
   *[other] Too many attempts. Try again in { $seconds } seconds.
}
error-required = This field is required.
error-consent_required = Choose whether and how your contribution may be published: no option is ticked in advance.
error-invalid_email = This email address is not valid (example: firstname.lastname@example.org).
error-too_short = The password must be at least 12 characters long.
error-too_guessable = This password is too easy to guess: prefer a phrase of several unrelated words.
error-invalid_token = This link is no longer valid: it was already used or has expired.
error-wrong_password = The current password is not right.
error-invalid_code = Wrong or expired code: type the code your app shows now.
field-email = Email address
field-email-hint = Expected format: firstname.lastname@example.org
field-display-name = Display name
field-display-name-hint = Seen by your colleagues and the coordination team.
field-password = Password
field-new-password = New password
field-current-password = Current password
field-password-hint = At least 12 characters. A phrase of several words is easy to remember and hard to guess.
field-code = Verification code
field-code-hint = The 6-digit code from your authenticator app, or one of your recovery codes.
field-language = Language of pages and emails
field-token-name = Token name
signup-title = Create an account
signup-intro = A personal account lets you answer consultations on behalf of your organisation.
signup-submit = Create my account
signup-have-account = Already have an account?
signup-done-title = Check your inbox
signup-done-text = An email was just sent to the address you gave. Open its link to activate your account (it is valid for 48 hours).
verify-title = Confirm your email address
verify-intro = Confirm your address to activate your account.
verify-submit = Confirm my address
verify-done-title = Address confirmed
verify-done-text = Your account is active: you can sign in.
verify-failed-title = Invalid link
verify-failed-text = This confirmation link was already used or has expired. If your account is not active yet, sign up again.
signin-title = Sign in
signin-submit = Sign in
signin-forgot = Forgot your password?
signin-no-account = Create an account
totp-title = Two-step verification
totp-intro = Type the code shown by your authenticator app.
totp-submit = Confirm
forgot-title = Forgotten password
forgot-intro = Give your account's address: you will receive a link to choose a new password.
forgot-submit = Send me the link
forgot-done-title = Request received
forgot-done-text = If an account exists for this address, an email with a link valid for one hour was just sent to it.
reset-title = Choose a new password
reset-submit = Save the password
reset-done-title = Password changed
reset-done-text = Your password was changed and all your sessions were closed. Sign in with the new password.
account-title = My account
account-profile = Profile
account-save-profile = Save the profile
account-password = Password
account-change-password = Change the password
account-2fa = Two-factor authentication
account-2fa-on = Two-factor authentication is on: a code is asked at every sign-in.
account-2fa-off = Two-factor authentication is off. It is required to open or close a consultation and to export answers.
account-2fa-enable = Turn on two-factor authentication
account-2fa-scan = Scan this QR code with your authenticator app, or type the key below into it, then give the first code it shows.
account-2fa-qr-label = QR code to scan with an authenticator app
account-2fa-secret = Key to type:
account-2fa-code-hint = The 6-digit code shown by the app.
account-2fa-confirm = Confirm
account-2fa-recovery = Write these recovery codes down and keep them safe: each replaces the app's code once. They will not be shown again.
account-sessions = Open sessions
account-session-since = Opened
account-session-last = Last activity
account-session-from = From
account-session-current = This session
account-session-close = Close
account-actions = Actions
account-tokens = API tokens
account-tokens-intro = A token lets a script use the API on your behalf (Authorization: Bearer header). It is shown only once.
account-token-created = Here is your new token. Copy it now: it will not be shown again.
account-token-created-at = Created
account-token-used-at = Last used
account-token-revoke = Revoke
account-token-name-hint = For example: “answers import”.
account-token-create = Create a token
field-token-days = Valid for (days)
account-token-days-hint = 90 days if left empty, at most 365. The token then stops working.
account-token-expires-at = Expires
account-done-profile = Profile saved.
account-done-password = Password changed. Your other sessions were closed.
account-done-session = Session closed.
account-done-token = Token revoked.
account-done-2fa = Two-factor authentication is on.
admin-users-title = Accounts and roles
admin-role = Role
admin-status = Status
admin-apply = Apply
admin-suspended = Suspended
admin-active = Active
admin-suspend = Suspend
admin-reinstate = Reinstate
role-none = User
role-coordinator = Coordination
role-admin = Administration
admin-audit-title = Audit log
admin-audit-caption = Events, newest first (100 per page)
admin-audit-filter-action = Kind of event
admin-audit-filter-who = Actor (email address or part of it)
admin-audit-filter-from = From
admin-audit-filter-until = Until (included)
admin-audit-older = Older events
admin-audit-when = When
admin-audit-who = Who
admin-audit-what = What
admin-audit-target = On
admin-audit-ip = IP address
error-too_common = This password is among the most used ones: choose another.
mail-org-approved-subject = { $organisation } can answer consultations
mail-org-approved-body = The coordination team approved the registration of { $organisation }: its members can now answer consultations.
mail-org-rejected-subject = Registration of { $organisation } refused
mail-org-rejected-body = The coordination team did not approve the registration of { $organisation }.
mail-org-suspended-subject = { $organisation } is suspended
mail-org-suspended-body = The coordination team suspended { $organisation }: its answers are kept, but it cannot answer for now.
mail-org-reinstated-subject = { $organisation } is reinstated
mail-org-reinstated-body = The coordination team reinstated { $organisation }: its members can answer consultations again.
mail-org-reason = Reason given: { $reason }
mail-org-action = See my organisations
mail-digest-subject = { $count ->
    [one] A new organisation is waiting for your approval
   *[other] { $count } new organisations are waiting for your approval
}
mail-digest-body = { $count ->
    [one] This organisation registered and is waiting for the coordinators' decision:
   *[other] These { $count } organisations registered and are waiting for the coordinators' decision:
}
mail-digest-action = See the organisations to approve
mail-org-open-round = Open consultation: “{ $title }”, answers until { $date }.
mail-org-answer-action = Answer the consultation
mail-org-home-action = See the consultations to answer
mail-invite-subject = Invitation to join an organisation on Concerto
mail-invite-body = { $inviter } invites you to join { $organisation } on Concerto, to answer consultations with your colleagues.
mail-invite-expiry = This invitation is valid for 7 days and works once. If you have no account yet, create it with this email address.
mail-invite-action = Accept the invitation
mail-round-opened-subject = Consultation open: { $title }
mail-round-opened-body = The consultation “{ $title }” is open: your organisation can answer it, chapter by chapter.
mail-round-deadline = Deadline for answers: { $date }.
mail-round-extended-subject = Deadline extended: { $title }
mail-round-extended-body = The deadline of the consultation “{ $title }” is moved to { $date }.
mail-round-action = See the consultation
round-status-scheduled = Scheduled
round-days-left = { $count ->
    [0] Last day to answer
    [one] One day left to answer
   *[other] { $count } days left to answer
}
round-opens-on = Opens on { $date }
round-closed-on = Closed on { $date }
round-preview = Preview: this consultation is a draft, seen only by the coordination team.
home-closed-title = Recently closed consultations
nav-organisations = Organisations
field-optional = Optional.
orgs-title = Organisations
orgs-register-link = Register an organisation
orgs-filter-status = Status
orgs-filter-kind = Kind
orgs-filter-search = Search (name, acronym, identifier)
orgs-filter-all = All
orgs-filter-apply = Filter
orgs-empty = No organisation to show.
orgs-count = { $count ->
    [one] { $count } organisation
   *[other] { $count } organisations
}
org-name = Organisation name
org-acronym = Acronym
org-kind = Kind of organisation
org-legal-id = Identifier (RNA or SIREN)
org-legal-id-hint = RNA number (W followed by 9 digits) or SIREN (9 digits).
org-website = Website
org-website-hint = Optional. Example: https://www.example.org
org-contact-email = Contact address
org-description = Short presentation
org-status = Status
org-my-role = My role
org-reason = Reason given by the coordination team: { $reason }
org-new-title = Register an organisation
org-new-intro = The coordination team reviews each registration. You will own it and can invite your colleagues.
org-new-submit = Register the organisation
org-kind-patient_association = Patient association
org-kind-user_association = Users' association
org-kind-federation = Federation
org-kind-consumer_association = Consumer association
org-kind-professional_body = Professional body
org-kind-public_body = Public body
org-kind-other = Other
org-status-pending = Awaiting approval
org-status-approved = Approved
org-status-rejected = Rejected
org-status-suspended = Suspended
member-role-owner = Owner
member-role-editor = Editor
member-role-viewer = Viewer
org-decision-title = Coordination decision
org-decision-reason = Reason
org-decision-reason-hint = Required to reject; sent to the organisation's owners.
org-decision-approve = Approve
org-decision-reject = Reject
org-decision-suspend = Suspend
org-decision-reinstate = Reinstate
org-members = Members
org-member-remove = Remove
org-invite-title = Invite someone
org-invite-submit = Send the invitation
org-done-registered = Organisation registered: it awaits the coordination team's approval.
org-done-decision = Decision saved; the owners were told by email.
org-done-invited = Invitation sent.
org-done-members = Members updated.
invite-accept-title = Join an organisation
invite-accept-offer = { $inviter } invites you to join “{ $organisation }” as { $role }.
invite-accept-offer-anonymous = You are invited to join “{ $organisation }” as { $role }.
invite-accept-invalid = This invitation link is no longer valid: it has been used, or it has expired (it lasts 7 days). Ask an owner of the organisation for a new invitation.
invite-accept-submit = Accept the invitation
invite-accept-sign-in = To accept the invitation, sign in with the address that received it, or create your account with that address and come back to this link.
nav-coordination = Coordination
coord-rounds-title = Consultations (coordination)
coord-rounds-empty = No consultation yet.
coord-round-new = New consultation
coord-round-create = Create the draft
coord-preview = Preview, as organisations will see it
coord-lifecycle = Consultation status
coord-lifecycle-none = Archived consultation: no action left.
coord-action-open = Open the consultation
coord-action-close = Close the consultation
coord-action-archive = Archive the consultation
coord-settings = Settings
coord-save = Save the settings
coord-structure = Chapters and questions
coord-no-question = No question in this chapter.
coord-move-up = Move up
coord-move-down = Move down
coord-chapter-new = Add a chapter
coord-chapter-add = Add the chapter
coord-question-new = Add a question
coord-question-add = Add the question
coord-invitations = Invited organisations
coord-invitations-none = No approved organisation yet.
coord-invitations-legend = Approved organisations
coord-invite = Invite the checked organisations
coord-duplicate = Duplicate as a new draft
coord-duplicate-submit = Duplicate
coord-done = Change saved.
round-slug = Identifier in the address
round-slug-hint = Lower-case letters without accents, digits and hyphens (example: ai-in-health-2027).
round-title = Title
round-summary = Summary
round-body = Presentation
round-body-hint = Markdown text: **bold**, lists, links.
round-opens-at = Scheduled opening
round-opens-hint = Optional, Paris time. Empty: opens as soon as you open the consultation.
round-closes-at = Closing
round-time-hint = Paris time.
round-audience = Organisations concerned
round-audience-all_approved = Every approved organisation
round-audience-invited = Only invited organisations
chapter-code = Chapter code
chapter-code-hint = An upper-case letter, then upper-case letters or digits (example: E5).
chapter-title = Chapter title
chapter-description = Chapter description
question-chapter = Chapter
question-code = Code
question-code-hint = Unique in the consultation (example: E1.Q4).
question-kind = Kind
question-prompt = Question
question-help = Help
question-required-label = Answer required
question-max-length = Maximum length (characters)
question-max-length-hint = For short and long answers.
question-options = Options (one per line)
question-options-hint = For choices: “key | label” or just the label.
question-min-choices = Minimum choices
question-max-choices = Maximum choices
question-scale-min = Scale: minimum
question-scale-max = Scale: maximum
question-min-label = Label of the minimum
question-max-label = Label of the maximum
question-max-files = Maximum number of documents
question-max-files-hint = From 1 to 20. The size limits are set for the whole consultation (Attached documents).
question-max-items = Maximum number of proposals
coord-reword = Fix the wording of questions
coord-reword-hint = Once the consultation is open, only wording may change; each fix is recorded in the audit log.
coord-reword-save = Save the wording
mail-receipt-subject = Receipt: { $title }
mail-receipt-body = The response of { $organisation } to the consultation “{ $title }” was submitted. Here is its full copy:
mail-reminder-subject = Reminder: { $title }
mail-reminder-body = Your organisation has not yet submitted its response to the consultation “{ $title }”. { $days ->
    [0] This is the last day.
    [one] One day left.
   *[other] { $days } days left.
}
editor-chapters = Chapters of the consultation
editor-chapter-progress = { $answered ->
    [one] { $answered } answer out of { $total }
   *[other] { $answered } answers out of { $total }
}
editor-missing = { $count ->
    [one] { $count } required missing
   *[other] { $count } required missing
}
editor-counter = { $count ->
    [one] { $count } character out of { $max }
   *[other] { $count } characters out of { $max }
}
editor-counter-over = { $count ->
    [one] { $count } character
   *[other] { $count } characters
} out of { $max }: { $over ->
    [one] { $over } too many
   *[other] { $over } too many
}
editor-no-answer = No answer
editor-proposal-title = Proposal { $n }: title
editor-proposal-description = Proposal { $n }: description
editor-last-change = Last changed by { $name } (version { $version })
editor-save = Save this chapter
editor-saved = Chapter saved.
editor-review-link = Review and submit the response
editor-read-only-role = You can read this response, not change it.
editor-read-only-closed = The consultation is not open: the response can no longer change.
editor-read-only-submitted = The response was submitted. Reopen it from the review page to change it.
editor-conflict-title = Someone changed these answers in the meantime
editor-conflict-yours = Your version (still in the form)
editor-conflict-theirs = Current version, by { $name }
editor-conflict-help = Choose, for each answer, the version to keep.
editor-conflict-keep = Keep my version
editor-conflict-take = Take { $name }'s version
editor-conflict-diff = Both versions, word by word
editor-conflict-diff-help = Struck through: only in your version. Underlined: only in { $name }'s.
editor-conflict-only-yours = only in your version
editor-conflict-only-theirs = only in { $name }'s version
review-title = Review and submit
review-missing-title = Required answers are missing
review-to-complete = { $count ->
    [one] One required answer is missing
   *[other] { $count } required answers are missing
}
review-to-complete-hint = Complete them before submitting: the submission would be refused without them.
review-missing-required = Required answer missing
review-unanswered = Not answered
review-edit = Edit
review-consent = Publication of your contribution
review-submit = Submit the response
review-reopen = Reopen the response to change it
review-copy-link = Printable copy of the response
consent-attributed = May be published with the organisation's name
consent-anonymous = May be published without the name (only the kind of organisation)
consent-none = Not to be published
consent-attributed-help = Your contribution may be quoted in the published synthesis, with your organisation's name.
consent-anonymous-help = Your contribution may be quoted without your organisation's name: only its kind is given (for example "patient association").
consent-none-help = Your contribution is read and counted by the coordinators, but never quoted nor published.
review-consent-hint = Choose an option: none is ticked in advance. You can change it by reopening the response while the consultation is open.
copy-consent = Publication chosen: { $choice }
copy-back = Back to the review
copy-print = Print
response-status-not_started = Response not started yet.
response-status-draft = Response in draft.
response-status-submitted = Response submitted.
copy-title = Copy of the response
copy-intro = Response of { $organisation }
copy-submitted = Response submitted: every member of the organisation gets a receipt by email.
round-answer = Answer on behalf of my organisation
progress-title = Progress of the responses
progress-organisations = Organisations concerned
progress-status-not_started = Not started
progress-status-draft = In progress
progress-status-submitted = Submitted
progress-chart-caption = Responses submitted per day
progress-chart-table = Responses submitted per day (chart data)
progress-day = Day
progress-submissions = Responses submitted
progress-remind = Send a reminder to the organisations that have not submitted
progress-reminded = Reminder sent.
progress-sort = Sort by
progress-sort-nom = Name
progress-sort-activite = Most recent activity
progress-sort-manquantes = Required answers missing
progress-answered = Answers
progress-missing = Required missing
progress-last-activity = Last activity
autosave-saved = Saved at {"{"}time{"}"}
autosave-offline = Offline — trying again in a few seconds…
autosave-unavailable = Service briefly unavailable — your answers are kept on this page, trying again in a few seconds…
autosave-conflict = Changed meanwhile by someone else: both versions are shown.
autosave-signed-out = Session expired: your text is kept in this tab; sign in again to save it.
autosave-refused = Answer refused: details follow.
autosave-counter = {"{"}count{"}"} characters out of {"{"}max{"}"}
autosave-counter-one = {"{"}count{"}"} character out of {"{"}max{"}"}
autosave-counter-over = {"{"}count{"}"} characters out of {"{"}max{"}"}: {"{"}over{"}"} too many
autosave-invalid = One answer is not saved: the details are shown beside it. The others are saved.
autosave-saving = Saving…
autosave-leave-unsaved = One answer is not saved (the details are shown beside it). Leave the page anyway?
autosave-expiring = Your session ends in 5 minutes without activity: keep writing or save.
autosave-sign-in = Sign in again (what you typed will be put back)
history-title = History of the answer
history-back = Back to the question
history-empty = No version saved.
history-caption = The last 20 versions, newest first
history-version = Version
history-when = When
history-who = By
history-value = Answer
history-link = history
editor-restored = What you typed was kept while you signed in again: check it, then save.

exports-title = Response exports
exports-help = Only submitted responses are exported. Cells that would look like formulas start with an apostrophe.
exports-format-csv = CSV: one row per question and organisation
exports-format-csv-excel = CSV for French Excel (semicolon separator)
exports-format-csv-wide = Wide CSV for Excel: one row per organisation, one column per question
exports-format-json = JSON with statistics
exports-format-xlsx = Excel workbook: a summary with figures, then one sheet per chapter
exports-format-document = Consolidated contribution, printable (HTML)
exports-format-document-markdown = Consolidated contribution as Markdown
exports-need-2fa = Turn on two-factor authentication in your account to export the responses.

results-title = Results
results-link = Results and answers
results-submitted = { $count ->
    [one] { $count } submitted response. Drafts are not counted.
   *[other] { $count } submitted responses. Drafts are not counted.
}
results-campaigns-once = Count each campaign once (its first response)
results-filter-chapter = Chapter
results-all-chapters = All chapters
results-all-kinds = All kinds
results-back = Back to all questions
results-nothing = No question matches these filters.
results-proposals-gathered = { $count ->
    [one] { $count } proposal gathered in this chapter.
   *[other] { $count } proposals gathered in this chapter.
}
results-respondents = { $count ->
    [one] { $count } respondent
   *[other] { $count } respondents
}
results-table-caption = Distribution of answers (chart data)
results-answer = Answer
results-count = Count
results-share = Share of respondents
results-mean = Mean:
results-median = median:
results-no-text = No answer to this question.
results-all-answers = See every answer to this question
results-next = Next answers
search-title = Search the answers
search-link = Search the answers
search-words = Words to find
search-words-hint = Every word is looked for, accents and plurals included. In quotes, a phrase: "home care". With a star, the start of a word: hospit*. The text of attached documents (PDF, ODT, DOCX) is searched too.
search-theme = Theme
search-all-themes = All themes
search-drafts = Search drafts too
search-submit = Search
search-found = { $count ->
    [0] No answer found
    [one] 1 answer found
   *[other] { $count } answers found
}
search-documents-found = { $count ->
    [0] No attached document holds these words
    [one] 1 attached document holds these words
   *[other] { $count } attached documents hold these words
}
search-documents-more = { $count ->
    [one] Only the first is listed: narrow the search to find the others.
   *[other] Only the first { $count } are listed: narrow the search to find the others.
}
search-nothing = Try other words, fewer words, or remove a filter.
search-draft = draft
search-in-context = See the answer among the results
search-pages = Result pages
search-previous = Previous results
search-next = Next results
home-mine-title = My space
home-next-title = What to do now
home-next-register = To answer, join an organisation: register yours (the coordinators will approve it), or ask its owner to invite you.
home-next-register-link = Register my organisation
home-next-await = Your organisation is waiting for the coordinators' approval. You will get an email as soon as they decide; you can then answer.
home-next-answer = Answer “{ $round }” on behalf of { $organisation }.
home-next-answer-link = Go to the response
home-next-nothing = No consultation is waiting for your answer at the moment. You will be told by email when the next one opens.
home-next-all-submitted = All your responses are submitted. You can reopen them while the consultation is open.
home-next-cannot = Your organisation cannot answer (rejected or suspended). The reason is below; write to the coordinators to learn more.
home-tasks-title = My responses
home-task-not-started = Not started
home-task-draft = { $answered ->
    [0] Draft: no answer of { $questions }
    [one] Draft: { $answered } answer of { $questions }
   *[other] Draft: { $answered } answers of { $questions }
}
home-task-submitted = Submitted
home-task-start = Start the response
home-task-continue = Continue the response
home-task-see = See the response
home-organisations-title = My organisations
home-organisations-none = You are not a member of any organisation.
home-organisation-reason = Reason given by the coordinators: { $reason }
home-register-another = Register an organisation
home-decisions = { $count ->
    [one] One organisation is waiting for your decision.
   *[other] { $count } organisations are waiting for your decision.
}
how-title = How to take part
how-step-account = Create your account and confirm your email address.
how-step-organisation = Register your organisation (RNA or SIREN number), or be invited by someone who is already a member.
how-step-approval = The coordinators approve the organisation; you are told by email.
how-step-answer = Answer chapter by chapter, together if you wish: everything is saved as you type. Submit before the deadline; you get a receipt.
how-have-account = I already have an account

# Round builder: the settings of each question, deletion, confirmations
question-settings-text = Settings of a written answer
question-settings-choice = Settings of a choice question
question-settings-scale = Settings of a scale
question-settings-documents = Settings of documents
question-settings-proposals = Settings of proposals
question-exclusive-options = Options chosen on their own
question-exclusive-options-hint = For a multiple choice, optional: the keys or labels, separated by commas, of the options that exclude every other (such as “None of these tools”).
question-choices-hint = For a multiple choice.
question-scale-hint = Eleven points at most (such as 0 to 10).
builder-setting-max-length = { $n ->
    [one] { $n } character at most
   *[other] { $n } characters at most
}
builder-setting-option = { $label } (key { $key })
builder-setting-option-exclusive = { $label } (key { $key }): chosen on its own
builder-setting-choices = { $max ->
    [one] A single choice
   *[other] { $min } to { $max } choices
}
builder-setting-scale = From { $min } to { $max }
builder-setting-max-files = { $n ->
    [one] One document at most
   *[other] { $n } documents at most
}
builder-setting-max-items = { $n ->
    [one] One proposal at most
   *[other] { $n } proposals at most
}
coord-delete = Delete…
coord-delete-chapter = Delete chapter { $code }
coord-delete-chapter-warning = { $count ->
    [0] Chapter { $code } has no question.
    [one] Chapter { $code } and its question will be deleted.
   *[other] Chapter { $code } and its { $count } questions will be deleted.
}
coord-delete-question = Delete question { $code }
coord-confirm-open = I confirm the opening: the structure will be frozen (chapters, questions, kinds and options; only their wording can still be corrected) and organisations will be told by email.
coord-confirm-close = I confirm the closing: organisations will no longer change or submit their responses.
coord-confirm-archive = I confirm the archiving: the closed consultation leaves the list of consultations.
editor-choice-or = or

# A refusal on one field, in words that name it (src/web/forms.rs, page_message)
error-required-title = Give the consultation a title.
error-required-closes_at = Enter the closing date.
error-required-chapter_title = Give the chapter a title.
error-required-question_prompt = Write the question.
error-required-name = Enter a name.
error-required-email = The email address is required.
error-required-display_name = The display name is required.
error-required-reason = Give the reason for the refusal: it is sent to the organisation.
error-required-organisation_ids = Tick at least one organisation.
error-required-contact_email = Enter the organisation's contact address.
error-invalid_code-chapter_code = Expected chapter code: a capital letter, then capitals or digits (such as E1).
error-invalid_code-question_code = Expected question code: letters, digits, dots, hyphens or underscores (such as E1.Q4).
error-invalid_slug = Expected identifier: 3 to 80 characters, lower-case letters without accents, digits and single hyphens.
org-invitations-title = Pending invitations
org-invitations-none = No pending invitation: every one was accepted or cancelled.
org-invitation-sent-by = Sent by { $name } on { $date }
org-invitation-sent = Sent on { $date }
org-invitation-valid-until = Link valid until { $date }
org-invitation-expired = Link expired on { $date }: send the invitation again
org-invitation-resend = Send again
org-invitation-cancel = Cancel the invitation
org-done-invitation-resent = Invitation sent again with a new link; the old one no longer works.
org-done-invitation-cancelled = Invitation cancelled: its link no longer works.

# Audit events in words (admin journal); the code stays beside them
audit-action-account_created = Account created on the command line
audit-action-account_reinstated = Account reinstated
audit-action-account_suspended = Account suspended
audit-action-api_token_created = API token created
audit-action-api_token_revoked = API token revoked
audit-action-authorisation_refused = Access refused
audit-action-chapter_deleted = Chapter deleted
audit-action-cross_site_refused = Cross-site request refused
audit-action-csrf_refused = Form without a valid token refused
audit-action-email_verified = Email address confirmed
audit-action-export = Responses exported
audit-action-invitation_accepted = Invitation accepted
audit-action-invitation_cancelled = Invitation cancelled
audit-action-invitation_resent = Invitation sent again
audit-action-member_invited = Member invited
audit-action-member_removed = Member removed
audit-action-member_role_changed = Member's role changed
audit-action-organisation_approved = Organisation approved
audit-action-organisation_registered = Organisation registered
audit-action-organisation_reinstated = Organisation reinstated
audit-action-organisation_rejected = Organisation rejected
audit-action-organisation_suspended = Organisation suspended
audit-action-password_changed = Password changed
audit-action-password_reset = Password reset
audit-action-password_reset_requested = Password reset requested
audit-action-profile_changed = Profile changed
audit-action-question_deleted = Question deleted
audit-action-question_wording_fixed = Question wording corrected
audit-action-recovery_code_used = Recovery code used
audit-action-register_existing_email = Sign-up with a known address
audit-action-reminder_sent = Reminder sent
audit-action-response_reopened = Response reopened
audit-action-response_submitted = Response submitted
audit-action-role_changed = Platform role changed
audit-action-round_archived = Consultation archived
audit-action-retention_applied = Data retention applied
audit-action-personal_data_exported = Personal data downloaded
audit-action-account_erased = Account deleted
audit-action-synthesis_relayed = Synthesis sent to another consultation
audit-action-answer_redacted = Personal data masked
audit-action-answer_tagged = Answer tagged
audit-action-answer_untagged = Tag removed
audit-action-campaign_marked = Group marked as a campaign
audit-action-campaign_unmarked = Campaign mark removed
audit-action-redaction_removed = Mask removed
audit-action-suggestion_dismissed = Suggestion dismissed
audit-action-synthesis_chapter_updated = Synthesis chapter changed
audit-action-synthesis_published = Synthesis published
audit-action-synthesis_updated = Synthesis header changed
audit-action-theme_created = Theme created
audit-action-theme_deleted = Theme deleted
audit-action-theme_updated = Theme changed
audit-action-round_closed = Consultation closed
audit-action-round_created = Consultation created
audit-action-round_duplicated = Consultation duplicated
audit-action-round_edited = Consultation edited
audit-action-round_opened = Consultation opened
audit-action-round_wording_fixed = Consultation wording corrected
audit-action-session_revoked = Session ended
audit-action-sign_in = Sign-in
audit-action-sign_in_failed = Sign-in refused
audit-action-sign_in_password_ok_totp_pending = Password accepted, two-factor code awaited
audit-action-sign_in_totp_failed = Two-factor code refused
audit-action-sign_out = Sign-out
audit-action-totp_enabled = Two-factor sign-in turned on
audit-action-reminder_queued = Reminders queued
audit-action-round_invitations = Organisations invited to a consultation
mail-greeting-plain = Hello,
audit-action-register = Account created
footer-dsfr-licence = Unless stated otherwise, this site's content is available under the etalab-2.0 licence.
editor-step = Step { $current } of { $total }
editor-steps-label = Previous and next chapters
editor-chapter-previous = Previous chapter
editor-chapter-next = Next chapter
chapter-state-done = Complete
chapter-state-started = Started
chapter-state-todo = Not started
nav-pending-decisions = { $count ->
    [one] { $count } to decide
   *[other] { $count } to decide
}
reading-nav = Reading the answers
reading-round = The round
reading-code-response = Code this response
themes-title = Themes
themes-intro = The round's codebook: create themes, tag answers or passages, and follow what each theme gathers.
themes-empty = No theme yet: create the first one below.
themes-under = Sub-theme of “{ $parent }”
themes-answers = { $count ->
    [0] No tagged answer
    [one] 1 tagged answer
   *[other] { $count } tagged answers
}
themes-open = Passages and suggestions
themes-keywords = Keywords:
themes-by-chapter = By chapter
themes-chart-chapters = Answers tagged “{ $theme }” by chapter
themes-chapter = Chapter
themes-count = Answers
themes-by-kind = By organisation kind
themes-chart-kinds = Answers tagged “{ $theme }” by organisation kind
themes-agreement = Coders' agreement on “{ $theme }”
themes-coders = Coders
themes-both-coded = Answers both coded
themes-kappa = Cohen's kappa
themes-kappa-hint = Kappa measures agreement beyond chance: 1 is perfect agreement, 0 no better than chance; above 0.6 agreement is usually deemed good.
themes-kappa-undefined = undefined
themes-delete = Delete this theme and its tags
themes-new = New theme
themes-name = Theme name
themes-description = Description (optional)
themes-colour = Colour
themes-colour-next = The palette's next one
themes-colour-n = Colour
themes-parent = File under the theme
themes-no-parent = None (a main theme)
themes-keywords-label = Keywords for suggestions (optional)
themes-keywords-hint = One search a line, written as in the search: words, "a phrase", the start of a word followed by a star. Matching answers are proposed to you; nothing is tagged without your confirmation.
themes-create = Create the theme
themes-back = All themes
theme-passages = { $count ->
    [0] No tag
    [one] 1 tag
   *[other] { $count } tags
}
theme-no-passage = Tag answers from the search, the suggestions or a response's coding page.
theme-by = by { $coder }
tag-to-review = to review: the passage was edited
tag-whole-answer = The whole answer
theme-suggestions = Suggestions
theme-suggestions-hint = Submitted answers that match the theme's keywords and do not carry the theme yet. Confirm or dismiss each one.
theme-no-rule = This theme has no keywords: add some to receive suggestions.
theme-no-suggestion = No suggestion waiting.
theme-confirm = Confirm
theme-dismiss = Dismiss
coding-title = Coding the response of { $organisation }
coding-intro = To choose a passage with the keyboard: move into the text (Tab), go to the passage's start with the arrows, then extend the selection with Shift and the arrows; its positions fill in. Without a selection, the theme applies to the whole answer.
coding-no-theme = Create a theme first to tag answers.
coding-text = The answer's text
coding-text-hint = Read-only text: move with the arrows and select a passage with Shift and the arrows.
coding-passage = Chosen passage
coding-passage-hint = Positions in characters from the start of the text (the first character is 0, the end is excluded). Leave empty for the whole answer.
coding-start = Start
coding-end = End
coding-theme = Theme
coding-tag = Tag with this theme
coding-reason = Reason for masking (name, age, place, date of birth…)
coding-mask = Mask as personal data
coding-tags = Tags
coding-untag = Remove the tag
coding-redactions = Personal data masked in published documents
coding-redaction-gone = the passage is no longer in the answer
coding-unmask = Stop masking
coding-candidates = Possible personal data
coding-candidates-hint = Found automatically: confirm those that are; nothing is masked without your confirmation.
coding-confirm-candidate = Mask
duplicates-title = Duplicates and campaigns
duplicates-intro = Identical or near-identical long answers (text pasted by several organisations) are grouped. Mark a group as a campaign: exports show it as such.
duplicates-threshold = Minimum similarity
duplicates-threshold-hint = Estimated share of three-word sequences in common: 1 for identical texts (case and punctuation aside), 0.8 for a few words changed.
duplicates-show = Show
duplicates-found = { $groups ->
    [0] No group
    [one] 1 group
   *[other] { $groups } groups
} among { $compared ->
    [one] 1 long answer compared
   *[other] { $compared } long answers compared
}
duplicates-group = { $count ->
    [one] 1 answer
   *[other] { $count } answers
}
duplicates-campaign = campaign “{ $name }”
duplicates-unmark = No longer a campaign
duplicates-campaign-name = Campaign name
duplicates-mark = Mark as a campaign
duplicates-campaign-default = Campaign
error-taken = This name is already used.
error-cycle = A theme cannot be filed under itself or one of its sub-themes.
error-not_found = Not found in this round.
error-invalid_colour = Expected colour: #rrggbb.
error-out_of_range = Out of the allowed range.
error-blank = The chosen passage holds only spaces.
error-not_text = Only a text can be marked in part.
error-invalid_number = A character number is expected.
error-empty = This answer is empty.

## The synthesis (collective contribution)
synthesis-link = Synthesis
synthesis-title = Synthesis: the collective contribution
synthesis-intro = Chapter by chapter, choose the contributions to quote (whole or an excerpt), merge similar proposals, write the introductions, then publish a version. Only submitted answers whose organisation consented to publication can be selected; an anonymous contribution is signed with the organisation's kind only, and masked personal data stays masked.
synthesis-preview = Preview of the draft:
synthesis-to-review = To review
synthesis-header = Title, introduction and conclusion
synthesis-field-title = Title
synthesis-field-introduction = Introduction
synthesis-field-conclusion = Conclusion
synthesis-markdown-hint = In Markdown: a blank line separates paragraphs, **bold**, lists with "-".
synthesis-order = Order of the proposals
synthesis-order-chosen = In the chosen order
synthesis-order-support = By the number of organisations supporting them
synthesis-licence = Licence of the published open data
synthesis-save = Save
synthesis-updated-by = Last changed by { $name }
synthesis-chapter-introduction = Chapter introduction
synthesis-introduced-by = Introduced by (optional)
synthesis-introduced-by-organisation = An organisation
synthesis-introduced-by-person = Or a person
synthesis-nobody = Nobody
synthesis-selected = Selected contributions
synthesis-none-selected = No contribution selected yet.
synthesis-heading = Heading
synthesis-answer = Answer no. { $id }
synthesis-excerpt = excerpt
synthesis-contribution = contribution
synthesis-up = Move up
synthesis-down = Move down
synthesis-remove = Remove
synthesis-proposals = Consolidated proposals
synthesis-none-merged = No consolidated proposal yet.
synthesis-proposal-title = Proposal (reworded)
synthesis-proposal-description = Details
synthesis-sources = { $count ->
    [one] Takes up one organisation's proposal.
   *[other] Takes up { $count } organisations' proposals.
}
synthesis-left-out = Left out
synthesis-left-out-count = { $count ->
    [0] Everything that could be selected has been.
    [one] One contribution or proposal is left out.
   *[other] { $count } contributions or proposals are left out.
}
synthesis-left-out-shown = { $count ->
    [one] The first is shown.
   *[other] The first { $count } are shown.
}
synthesis-not-publishable = { $count ->
    [one] One answer cannot be published (no consent).
   *[other] { $count } answers cannot be published (no consent).
}
synthesis-excerpt-hint = To quote an excerpt only: move into the text (Tab), go to the excerpt's start with the arrows, extend the selection with Shift and the arrows; its positions fill in. Without a selection, the whole answer is quoted.
synthesis-select = Select
synthesis-merge-legend = Organisations' proposals to take up together
synthesis-merge = Merge the ticked proposals
synthesis-publish-title = Publish
synthesis-changes = What changed since the previous version (required from the second on)
synthesis-publish = Publish a new version
synthesis-versions = Published versions
synthesis-version = Version { $number }

## The published contribution (public page)
publication-download = Download this version:
publication-versions = Published versions
publication-version = Published on { $at }
publication-shown = shown
publication-link = Read the published collective contribution
publication-responses = The published responses
publication-responses-link = Read the organisations' responses
publication-back = Back to the collective contribution
publication-open-data = Open data of the published responses (the same responses, signatures and masks):
publication-licence = under the licence
publication-responses-intro = The responses of the organisations that agreed to their publication: under their name, or under their kind of organisation only if they chose anonymity; personal data is masked.
publication-responses-count = { $count ->
    [one] One response.
   *[other] { $count } responses.
}
publication-submitted = Submitted on { $at }
publication-pages = Pages of responses
publication-previous = Previous page
publication-next = Next page
publication-page-of = Page { $number } of { $pages }
relay-established-from = Response established from the collective contribution “{ $title }”, version { $version }: review it, complete it, then submit it.
relay-read-source = Read the collective contribution
synthesis-relays = Sent to
synthesis-relay-line = Version { $version }, on { $at }, to the consultation “{ $round }”, in the response of { $organisation }
synthesis-relay-link = Send the published contribution to another consultation
relay-title = Send the contribution to another consultation
relay-back = Back to the synthesis
relay-intro = Published version { $version } prefills, as a draft, an organisation's response to another consultation; its members review it, then submit it.
relay-no-round = No other consultation is taking responses at the moment.
relay-no-organisation = You cannot write any organisation's response: you must be a member allowed to write, and the organisation approved.
relay-round = Target consultation
relay-choose = Choose a consultation
relay-organisation = Organisation answering
relay-organisation-hint = The organisations whose response you may write.
relay-show-questions = Show its questions
relay-mapping = Where each chapter goes
relay-mapping-hint = A chapter's text (its introduction and the selected contributions, signed) goes to a long-text question; its merged proposals to a proposals question. Several chapters may go to the same question. What these questions already hold is replaced; the earlier version stays in the history.
relay-text-to = Chapter text to
relay-proposals-to = Chapter proposals to
relay-not-sent = Do not send
relay-submit = Prefill the response
coord-archive-answers = After archiving, the organisations' responses
coord-archive-answers-hint = Drafts are deleted after the retention period in any case; submitted responses are kept or deleted as you choose (periods on the Privacy page).
coord-archive-keep = Keep them
coord-archive-purge = Delete them after the retention period
privacy-title = Personal data and privacy
privacy-link = Personal data
privacy-intro = This page says which personal data this Concerto service processes, why, how long it keeps it and how to exercise your rights. The periods are the ones the service actually applies: they come from its configuration.
privacy-controller-title = Controller
privacy-dpo = Data protection officer:
privacy-purposes-title = Purposes and legal bases
privacy-purpose = Purpose
privacy-basis = Legal basis (GDPR)
privacy-purpose-accounts = Creating and managing the accounts of people answering on behalf of their organisation or coordinating a consultation
privacy-basis-accounts = Public task or the controller's legitimate interest in consulting organisations (Article 6(1)(e) or (f))
privacy-purpose-answers = Collecting, storing and analysing the organisations' responses, then writing the collective contribution
privacy-basis-answers = Public task or the controller's legitimate interest (Article 6(1)(e) or (f))
privacy-purpose-publication = Publishing the responses and the excerpts quoted in the collective contribution
privacy-basis-publication = The organisation's consent, given at submission and withdrawn by reopening the response (Article 6(1)(a)); without consent nothing is published
privacy-purpose-security = Protecting the service: sign-in, two-factor authentication, attempt limits, log of sensitive actions
privacy-basis-security = The controller's legitimate interest in the service's security (Article 6(1)(f))
privacy-purpose-emails = Sending the service's emails (confirmation, invitations, receipts, reminders)
privacy-basis-emails = Public task or legitimate interest, as the account they serve (Article 6(1)(e) or (f))
privacy-health = Testimonies may describe people's health (health data, a special category under Article 9). Organisations undertake not to identify people in them; the coordinators mask the personal data they find before anything is published, and the original is read only by coordinators, with two-factor authentication.
privacy-data-title = Data processed
privacy-data-identity = Identity: display name and email address.
privacy-data-account = Account: password (only its Argon2 hash), two-factor secret and recovery codes (hashed), language, role.
privacy-data-memberships = Membership of organisations and the role in each.
privacy-data-sessions = Sessions: IP address, browser, sign-in dates.
privacy-data-journal = Log of sensitive actions: who, what, when, IP address.
privacy-data-answers = Responses and their successive versions, with their author; they belong to the organisation.
privacy-data-emails = Emails sent: recipient, subject and body.
privacy-retention-title = Retention periods
privacy-keep-sessions = Sessions: closed after { $idle ->
    [one] { $idle } minute
   *[other] { $idle } minutes
} without activity and at the latest { $hours ->
    [one] { $hours } hour
   *[other] { $hours } hours
} after signing in, then deleted daily.
privacy-keep-journal = Log: IP addresses are replaced by an irreversible pseudonym after { $ip_months ->
    [one] { $ip_months } month
   *[other] { $ip_months } months
}.
privacy-keep-emails = Emails: their body is deleted { $email_days ->
    [one] { $email_days } day
   *[other] { $email_days } days
} after sending.
privacy-keep-drafts = Drafts of archived consultations: deleted { $draft_months ->
    [one] { $draft_months } month
   *[other] { $draft_months } months
} after archiving; drafts kept across a new sign-in: deleted when they expire.
privacy-keep-answers = Responses of archived consultations: kept, or deleted { $answer_months ->
    [one] { $answer_months } month
   *[other] { $answer_months } months
} after archiving if the coordinators chose so when archiving.
privacy-keep-accounts = Accounts: until they are deleted.
privacy-recipients-title = Recipients
privacy-recipients = This service's coordination team; the administration receiving the collective contribution, which receives only what is published with the organisations' consent; the public, for published contributions and responses; the service's host, as a processor. No data is sold or used for advertising.
privacy-rights-title = Your rights
privacy-rights = You may access your data, have it rectified or erased, ask for its restriction or portability, and object to its processing. Your name and language can be changed from your account.
privacy-rights-how = For any other request, write to the data protection officer:
privacy-complaint = If you believe your rights are not respected, you may lodge a complaint with the CNIL (cnil.fr), the French data protection authority.
privacy-cookies-title = Cookies
privacy-cookies = This service uses only cookies strictly necessary for it to work (session, form protection, chosen language, recognition of a device already signed in): no audience measurement or advertising cookie, which is why no banner asks for your consent.
account-my-data = Your data
account-my-data-help = Download everything this service keeps about you: your account, your organisations, your sessions, your tokens, the log of your actions and every version of the answers you wrote (a ZIP file holding a JSON file and a short guide).
account-my-data-download = Download my data (ZIP)
former-member = former member
account-erase = Delete my account
account-erase-help = Your personal data is erased: account, sessions, tokens, memberships, and your IP address in the log. The answers you wrote remain your organisations', signed "former member". If you are an organisation's only owner, name another owner first. Consider downloading your data before.
account-erase-password = Your password, to confirm
account-erase-code = Two-factor code
account-erase-code-hint = Your app's current code, or a recovery code.
account-erase-submit = Delete my account for good
admin-erase = Delete the account (on request)
admin-erase-confirm = Confirm the deletion

## Documents attached to a response
documents-title = Attached documents
documents-back = Back to the response
documents-lead = Attach your organisation's documents here: a manifesto, a study, a survey of your members… They go with the response and are read by the coordination.
documents-no-place = This consultation does not ask for documents.
documents-none = No document attached yet.
documents-download = download
documents-replace = Replace with a new version
documents-replace-button = Send the new version
documents-delete = Delete
documents-add = Attach a document
documents-add-button = Attach the document
documents-history = History of the documents
documents-history-caption = Every version of every document, newest first
documents-col-title = Title
documents-col-file = File
documents-col-when = Version, author and date
documents-progress = Sending: __percent__ %
documents-progress-done = Document sent.
documents-progress-failed = The upload did not go through.
documents-progress-label = Upload progress
documents-file = File
documents-file-hint = Accepted types: { $types }. The type is checked from the file's content and must match its extension.
documents-file-title = Title of the document (optional)
documents-file-title-hint = By default, the file's name.
documents-file-description = Description (optional)
documents-added = The document is attached to the response.
documents-deleted = The document is deleted; its versions stay in the history.
documents-uploaded = Version { $version }, by { $name } on { $when }
documents-capacity = { $max ->
    [one] One document at most
   *[other] { $max } documents at most
} ({ $count ->
    [0] none attached
    [one] one attached
   *[other] { $count } attached
})
documents-area = Documents attached to the response
documents-area-help = The documents that go with the response as a whole.
documents-limits = Maximum size: { $file } per file, { $response } for all the response's documents ({ $used } already used).
documents-state-deleted = deleted
documents-state-replaced = replaced
editor-documents-none = No document attached.
editor-documents-manage = Attach, replace or delete documents
audit-action-attachment_added = Document attached to a response
audit-action-attachment_replaced = Document of a response replaced by a new version
audit-action-attachment_deleted = Document of a response deleted
audit-action-attachment_policy_changed = Rules of a consultation's attached documents changed
mail-receipt-documents = { $count ->
    [one] Attached document (with its SHA-256 fingerprint, which proves the file received is yours):
   *[other] Attached documents (with their SHA-256 fingerprints, which prove the files received are yours):
}
mail-receipt-document = { $title } ({ $file }, { $size }) — SHA-256: { $sha256 }
coord-documents = Attached documents
coord-documents-help = Organisations attach documents to questions of the kind "Attached documents" and, if you open it, to a documents area of the response. The limits apply to uploads to come.
coord-documents-area = Offer each response an "Attached documents" area
coord-documents-file-limit = Maximum size of a file (MB)
coord-documents-file-limit-hint = From 1 to 200 MB. By default, 20 MB.
coord-documents-response-limit = Maximum size of a response's documents (MB)
coord-documents-response-limit-hint = All of a response's documents together, from 1 to 1,024 MB, at least a file's size. By default, 50 MB.
coord-documents-save = Save the rules for documents
error-type_refused = This file is not of an accepted type (judging by its content). Accepted types: PDF, ODT, DOCX, XLSX, ODS, PNG, JPEG.
error-type_mismatch = The file's content does not match its extension: rename it, or attach the right file.
error-too_large = This file is over the size limit for documents.
error-too_many_documents = This question has all its documents: delete or replace one first.
error-unknown_document = This document is no longer among the response's: reload the page.
org-contact-title = The organisation's contact details
org-contact-help = What the organisation says of itself and how to reach it. Its name, kind and identifier (SIREN or RNA) stay as the coordination approved them.
org-contact-acronym = Acronym
org-contact-description = Presentation
org-contact-save = Save the contact details
org-done-contact = The organisation's contact details are saved.
audit-action-organisation_contact_changed = An organisation's contact details changed
