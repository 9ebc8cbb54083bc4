# Jirga's English messages: the reference catalogue. Every other locale has exactly these keys
# (scripts/test checks it). Variables are written { $name }; plurals choose by { $n -> ... }.

language-name = English
language-direction = ltr

## Relative times and dates (pages, dashboard, mail)

ago-now = just now
ago-minutes = { $n ->
    [one] { $n } minute ago
   *[other] { $n } minutes ago
}
ago-hours = { $n ->
    [one] { $n } hour ago
   *[other] { $n } hours ago
}
ago-days = { $n ->
    [one] { $n } day ago
   *[other] { $n } days ago
}
ago-months = { $n ->
    [one] { $n } month ago
   *[other] { $n } months ago
}
ago-years = { $n ->
    [one] { $n } year ago
   *[other] { $n } years ago
}
# A date and time: { $day } { $month } { $year }, { $time } (24-hour, UTC).
date-time = { $day } { $month } { $year }, { $time } UTC
date-day = { $day } { $month } { $year }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## The widget

widget-comments-heading = Comments ({ $count })
widget-comments-list = Comments
widget-sort-label = Sort comments
widget-sort-oldest = Oldest
widget-sort-newest = Newest
widget-sort-top = Most liked
widget-view-more = View more comments
widget-more-loaded = More comments loaded.
widget-load-failed = Comments could not be loaded. { $why }
widget-moderated-note = Comments are moderated: they appear when they stay on the article’s subject and are not abusive.
widget-guidelines-link = Read our comment guidelines
widget-language = Language
widget-just-now = just now
widget-linked-gone = That comment is no longer here.
widget-new-comments = { $n ->
    [one] { $n } new comment
   *[other] { $n } new comments
}
widget-new-shown = { $n ->
    [one] { $n } new comment shown.
   *[other] { $n } new comments shown.
}
widget-deleted = This comment was deleted.
widget-deleted-label = Deleted comment
widget-comment-by = Comment by { $name }
widget-verified = Verified account
widget-verified-sr = verified account
widget-permalink = Link to this comment
widget-edited = (edited)
widget-replies = Replies
widget-held-title = Awaiting review.
widget-held-text = Only you can see this comment until a moderator approves it.
widget-rejected-title = Not published.
widget-rejected-text = Only you can see this comment.
widget-appeal-kept = A moderator has looked at your appeal and kept it unpublished.
widget-appeal-form = Ask for another look
widget-appeal-why = Why should it be published? The moderators will read this.
widget-appeal-send = Send to the moderators
widget-appeal-sent = Your appeal was sent. The comment waits for a moderator again.
widget-appeal-ask = Ask for another look
widget-more-replies = { $n ->
    [one] Show { $n } more reply
   *[other] Show { $n } more replies
}
widget-more-replies-again = Show more replies
widget-reply = Reply
widget-reply-sr = to { $name }
widget-like = Like
widget-like-title = Like this comment
widget-comment-by-sr = comment by { $name }
widget-report = Report
widget-moderate = Moderate
widget-edit = Edit
widget-delete = Delete
widget-report-abusive = Abusive
widget-report-off-topic = Off-topic
widget-report-spam = Spam
widget-report-other = Something else
widget-report-label = Report comment by { $name }
widget-report-why = Why should a moderator look at this comment?
widget-report-send = Send report
widget-report-sent = Thank you. A moderator will look at this comment.
widget-cancel = Cancel
widget-moderate-label = Moderate comment by { $name }
widget-moderating-as = Moderating as { $name }
widget-moderate-note = Note for the modlog (optional)
widget-moderate-tell = Send the note to the author
widget-moderate-remove = Remove comment
widget-moderate-ban = Remove and ban the author for 7 days
widget-moderate-removed = Removed. The modlog has it.
widget-moderate-banned = Removed, and the author is banned for 7 days.
widget-edit-label = Edit your comment
widget-save = Save
widget-updated = Your comment was updated.
widget-delete-confirm = Delete your comment? This cannot be undone.
widget-deleted-yours = Your comment was deleted.
widget-explain-held = Your comment is awaiting review by a moderator. Until then only you can see it, marked below.
widget-explain-rejected = Your comment was not published. Why is said on it, below; if you think it is a mistake, you can ask the moderators for another look there.
widget-post-reply = Post reply
widget-post-comment = Post comment
widget-reply-to = Reply to { $name }
widget-write = Write a comment
widget-replying-to = Replying to { $name }
widget-your-reply = Your reply
widget-your-comment = Your comment
widget-name = Name
widget-email = Email (optional, never shown)
widget-notify-replies = Email me when someone replies
widget-posting = Posting…
widget-checking = Checking your comment…
widget-reply-published = Your reply was published.
widget-comment-published = Your comment was published.
widget-would-reject = This comment would not be published.
widget-would-hold = This comment would wait for a moderator.
widget-edit-mine = Edit my comment
widget-send-anyway = Send for review anyway
widget-commenting-as = Commenting as { $name }
widget-your-account = Your account
widget-sign-in = Sign in
widget-or = or
widget-create-account = create an account
widget-or-guest = — or comment as a guest:
widget-to-comment = to comment.
widget-error-generic = That did not work: { $message }
widget-error-offline = The comments server could not be reached. Check your connection and try again: your text is still here.
widget-error-status = The server answered { $status }.
widget-error-body_empty = Write something first.
widget-error-body_too_long = That is longer than comments may be here. Please shorten it.
widget-error-payload_too_large = That is longer than comments may be here. Please shorten it.
widget-error-name_empty = Please give a name to post under.
widget-error-name_too_long = That name is too long. Please shorten it.
widget-error-name_invalid = That name has characters we cannot show. Please change it.
widget-error-email_invalid = That email address does not look right. You can also leave it empty.
widget-error-email_too_long = That email address is too long.
widget-error-name_reserved = That name belongs to a verified account here. Please post under another.
widget-error-thread_closed = Comments on this article are closed.
widget-error-rate_limited = You are posting quickly. Wait a minute and try again: your text is still here.
widget-error-sign_in_required = This site takes comments from signed-in readers only. Sign in or create an account above.
widget-error-unknown_parent = The comment you are replying to is no longer there.
widget-error-comment_deleted = That comment has been deleted.
widget-error-edit_window_closed = The time for changing this comment is over.
widget-error-not_appealable = This comment cannot be appealed again.
widget-error-appeal_empty = Say in a few words why it should be published.
widget-error-csrf_failed = Your session needs refreshing. Reload the page and try again.
widget-error-origin_not_allowed = This page is not set up to take comments.
widget-error-unavailable = The comments could not be saved just now. Nothing was lost: try again in a moment.
widget-error-internal = Something went wrong on our side. Your text is still here: try again in a moment.
widget-error-moderator_required = Sign in to the moderation dashboard again, then try once more.

## Why a comment was held or not published (widget, dashboard, mail): by reason code, and for
## abuse by its kind. A moderator's note and an appeal quote their writer: { $text }.

reason-premoderation = Every comment on this site is read by a moderator before it appears.
reason-author_banned = A moderator has stopped this author from commenting on this site for now.
reason-new_author = The first comments of a new commenter are read by a moderator before they appear.
reason-duplicate = The same text was posted on this site recently; a moderator will check it.
reason-banned_words = This uses words this site does not publish.
reason-watched_words = This uses words a moderator reads before they appear.
reason-too_many_links = Comments with many links are read by a moderator first.
reason-abuse = This may break the rules on abuse: attack ideas, not people.
reason-abuse-threat = This reads as a threat. Criticise anyone you like, but never threaten harm.
reason-abuse-identity_attack = This attacks people for who they are. Argue with what people do, not with what group they belong to.
reason-abuse-insult = This calls someone names. Criticise what people do, not who they are.
reason-abuse-obscene = This uses language this site does not publish as it is; a moderator will read it.
reason-spam = This looks like advertising or a money-making offer; a moderator will check it.
reason-off_topic = This may be off-topic for this article.
reason-unread_language = The automatic checks cannot read this language yet, so a moderator reads it before it appears.
reason-moderator_note = A note from the moderator: “{ $text }”
reason-appeal = Appeal from the author: “{ $text }”

## The server's own pages: the demo article, the front page, the guidelines

page-paper = Jirga
page-demo-tag = a Jirga demo
page-footer = Comments by Jirga, moderated on this server.
page-footer-link = Comment guidelines
page-language = Language
page-editions = Editions
page-more-replies = { $n ->
    [one] { $n } more reply
   *[other] { $n } more replies
}
page-needs-javascript = Posting a comment needs JavaScript.
landing-title = Jirga is running
landing-embed = Put this under an article on a site you have registered with
landing-api = The JSON API is under
guide-title = Comment guidelines
guide-intro = The comments under an article are a place to argue about that article. Two rules decide what appears: stay on the subject, and attack ideas, not people.
guide-on-topic-title = What “on-topic” means here
guide-on-topic-1 = A comment is on-topic when it responds to what the article reports: its facts, the people and decisions in it, what follows from them, or what it left out. A reply is on-topic when it answers the comment it replies to, even if the conversation has wandered a little from the article.
guide-on-topic-2 = Off-topic: advertising, links that have nothing to do with the story, the same message pasted under many articles, and arguments about a different story that happen to be loud today.
guide-abuse-title = What “not abusive” means here
guide-abuse-1 = Disagree as sharply as you like with an argument, a policy or a public figure’s record. We do not publish comments that insult or threaten another commenter or anyone in the article; that attack people for their religion, ethnicity, nationality, gender, sexuality or disability; that use obscenity as a weapon; or that publish someone’s private details.
guide-languages-title = Comments in other languages
guide-languages-1 = You may comment in English or in Urdu, in Urdu script or in Roman Urdu. The automatic checks were trained on English: a comment in Urdu script is read by a moderator before it appears, and Roman Urdu is checked against the site’s word lists but may also wait for a person.
guide-how-title = How moderation works
guide-how-1 = Every comment is checked on this server when it is posted. Most appear at once. When a comment may break these rules it is held, and you are told why; a moderator then reads it and publishes it or not. A held comment is visible to you (on the device you posted from) as “awaiting review”. No comment is sent to another company to be checked.
guide-editing-title = Editing and deleting
guide-editing-1 = You can edit or delete your comment for 15 minutes after posting it, from the same browser. An edited comment is checked again.
guide-appeal-title = If you think we got it wrong
guide-appeal-1 = A comment that was not published says why, to you alone, with a button to ask for another look (the mail about it has the same link). A person reads every appeal.
guide-privacy-title = What we keep
guide-privacy-1 = Your display name and your comment are public. An email address, if you give one, is never shown. Your network address is not stored; a one-way hash of it is used to count votes and reports once per reader and to slow down floods of posts.

## The moderators' dashboard

dash-title = Jirga moderation
dash-sign-in = Sign in
dash-sign-out = Sign out
dash-email = Email
dash-password = Password
dash-login-wrong = Wrong email or password.
dash-login-foreign = The form came from another site’s page.
dash-denied-stale = The form was stale or came from another site; reload the page.
dash-denied-site = You are not a moderator of this site.
dash-denied-admin = Only an admin of this site may do this.
dash-nav = Moderation
dash-nav-held = Held comments
dash-nav-reports = Reports
dash-nav-log = Modlog
dash-nav-settings = Settings: { $site }
dash-nav-charts = Charts
dash-nav-authors = Authors: { $site }
dash-nav-webhooks = Webhooks: { $site }
dash-nav-import = Import: { $site }
dash-held-heading = Held comments ({ $n })
dash-reported-heading = Reported comments ({ $n })
dash-keys = Keys:
dash-keys-move = next/previous
dash-keys-approve = approve
dash-keys-dismiss = approve (dismiss reports)
dash-keys-reject = reject
dash-keys-ban = ban the author
dash-keys-note = write a note.
dash-digest = Mail me what waits here
dash-digest-never = never
dash-digest-hourly = every hour
dash-digest-daily = every day
dash-save = Save
dash-empty = Nothing waiting. Good work.
dash-card-label = Comment { $id } by { $name }
dash-in-thread = see it in the thread
dash-in-reply-to = In reply to:
dash-abuse = abuse
dash-on-topic = on-topic
dash-reported = Reported:
dash-note = Note (optional)
dash-note-tell = send the note to the author with a rejection
dash-keep = Keep it (dismiss reports)
dash-remove = Remove
dash-approve = Approve
dash-reject = Reject
dash-ban-open = Ban the author…
dash-ban-days = Ban for days (empty: no end)
dash-ban-email = and their email
dash-ban-address = and this address
dash-ban-shadow = shadow (they are not told)
dash-ban = Ban author and reject
dash-score-none = n/a
dash-percent = { $n }%
dash-list-separator = {", "}
dash-history-published = { $n } published
dash-history-held = { $n } held
dash-history-rejected = { $n } rejected
dash-history-first = first comment here
dash-history-reported = { $n ->
    [one] reported once
   *[other] reported { $n } times
}
dash-history-banned = { $n ->
    [one] banned once before
   *[other] banned { $n } times before
}
dash-report-abusive = abusive
dash-report-off_topic = off-topic
dash-report-spam = spam
dash-report-other = other
dash-done-approved = Approved.
dash-done-rejected = Rejected.
dash-done-dismissed = Reports dismissed.
dash-done-banned = Author banned and comment rejected.
dash-done-digest = Digest saved.
dash-error-ban-days = Ban length is a number of days from 1 to 3650, or empty for no end.
dash-error-action = Unknown action.
dash-error-digest = Choose never, hourly or daily.
dash-log-help = Every moderation action, newest first. Entries cannot be changed or removed.
dash-when = When (UTC)
dash-site = Site
dash-who = Who
dash-action = Action
dash-comment = Comment
dash-author = Author
dash-note-heading = Note
dash-deleted = (deleted)
dash-log-in-thread = #{ $id } in the thread
dash-log-on = on { $key }
dash-action-approve = approve
dash-action-reject = reject
dash-action-dismiss = dismiss
dash-action-ban = ban
dash-action-shadow-ban = shadow-ban
dash-action-settings = settings
dash-action-badges = badges
dash-action-note = note
dash-settings-heading = Settings for { $name }
dash-settings-saved = Saved. New comments are judged with these settings.
dash-settings-save = Save settings
dash-set-premoderate = Hold every comment for a moderator (pre-moderation)
dash-set-new-authors = Hold a new commenter’s comments until this many have been published (0: never)
dash-set-hold-abuse = Hold when the abuse score is at least (0 to 1)
dash-curve-label = What each abuse threshold would have held
dash-curve-caption = What each threshold would have held of this site’s comments so far (abuse scores as recorded when each was posted), and how many of those moderators rejected
dash-curve-at = Hold at
dash-curve-held = Would hold
dash-curve-share = Share
dash-curve-rejected = Rejected by moderators
dash-curve-now = now
dash-curve-now-at = now: { $at }, counted from { $from }
dash-set-hold-threat = Hold when the threat model alone scores at least (above 1: off, the default; threatening phrases are always held)
dash-set-hold-identity = Hold when the model for attacks on groups (identity attack) alone scores at least (above 1: off, the default; such phrases are always held)
dash-set-reject-abuse = Reject when the abuse score is at least (above 1: never)
dash-set-off-topic-z = Hold when a comment is closer to the site’s other recent articles than to its own by this many standard deviations (for example -0.5)
dash-set-off-topic = While the site has fewer than 5 articles: hold when the similarity to the article is below (0 to 1)
dash-set-links = Hold comments with more links than
dash-set-banned = Banned words: reject (one per line, in any script; this matches any ending:)
dash-set-watched = Watched words: hold for a moderator (one per line)
dash-set-languages = Languages
dash-set-language = The site’s language: the widget’s, the pages’ and the mails’ when a page does not name one
dash-set-unread-hold = Hold comments in a script the models cannot read (Urdu script, for one) for a moderator; the word lists still apply
dash-set-unread-publish = Publish them when the word lists and the other rules pass them (the models do not judge them)
dash-set-who = Who may comment
dash-set-guests = Guests with a name (and optional email), and signed-in readers
dash-set-accounts = Signed-in readers only
dash-set-deleted = When a reader deletes their account
dash-set-deleted-keep = Keep their comments, shown as “deleted user”
dash-set-deleted-remove = Delete their comments
dash-set-site-model = Use this site’s own abuse model, trained from its moderators’ decisions with
dash-site-model = On the { $held } of its { $decisions } decisions held back when it was trained, this site’s model ranked rejected above approved comments with ROC-AUC { $own }, the shipped model with { $shipped }: { $better ->
    [yes] it is used when this box is ticked.
   *[no] it did no better, so it is not used even when this box is ticked.
}
dash-sso-heading = Sign-in with your own accounts
dash-sso-none = No sign-on token has been refused since this server started.
dash-sso-some = The last tokens Jirga refused since this server started, newest first, and why (the code is what the widget’s request was answered with):
dash-code = Code
dash-why = Why
dash-error-unit = { $name } must be a number from 0 to { $max }.
dash-name-hold-abuse = The abuse hold threshold
dash-name-reject-abuse = The abuse reject threshold
dash-name-hold-threat = The threat hold threshold
dash-name-hold-identity = The identity-attack hold threshold
dash-name-hold-off-topic = The off-topic threshold
dash-error-off-topic-z = The relative off-topic threshold must be a number from -5 to 5.
dash-error-links = The link limit must be a whole number.
dash-error-new-authors = Holding new authors takes a number of comments from 0 to 100.
dash-error-guests = Guests are either allowed or not.
dash-error-deleted-accounts = A deleted account’s comments are kept or removed.
dash-error-language = No catalogue serves that language.
dash-error-unread = Comments in an unread script are held or published.
dash-saved = Saved.
dash-none-yet = None yet.
dash-authors-heading = Authors on { $site }
dash-authors-help = Only an admin of the site sees this page. The verified mark and the affiliation line show with every comment of the author; the public API cannot set them, and a guest cannot take a verified author’s name.
dash-authors-find = Find by name or email
dash-find = Find
dash-name = Name
dash-kind = Kind
dash-comments = Comments
dash-badges = Badges
dash-kind-account = account
dash-kind-guest = guest
dash-affiliation = Affiliation
dash-verified = verified
dash-charts-heading = Scores and decisions
dash-chart-daily = { $site }: comments per day, last 30 days
dash-chart-daily-label = Comments per day on { $site }. { $summary }
dash-chart-scores = { $site }: abuse scores of { $n } scored comments
dash-chart-scores-label = Abuse scores of { $n } comments on { $site }, in tenths
dash-state-published = published
dash-state-held = held
dash-state-rejected = rejected
dash-chart-summary = { $total } comments in the last { $days } days: { $published } published, { $held } held, { $rejected } rejected; the busiest day had { $busiest }.
dash-chart-bar = { $day }: { $n } { $state ->
    [published] published
    [held] held
   *[rejected] rejected
}
dash-chart-histogram-bar = abuse score { $from }-{ $to }%: { $n } comments
dash-hooks-heading = Webhooks on { $site }
dash-hooks-help = Each event a webhook subscribes to is POSTed to its address as JSON, signed with an HMAC-SHA256 of the time and the body under the webhook’s secret, with the event’s id for de-duplication (the headers below). A failed delivery is tried again, further apart each time, for a day. Slack and Discord formats send a chat message to those services’ incoming-webhook addresses.
dash-hook-added = Webhook added. Its signing secret, shown this once:
dash-hook-removed = Removed.
dash-hook-tested = A test event is on its way; its delivery shows below.
dash-hooks-subscriptions = Subscriptions
dash-hook-address = Address
dash-hook-events = Events
dash-hook-format = Format
dash-hook-test = Send test event
dash-hook-add-heading = Add a webhook
dash-hook-json = JSON (signed)
dash-hook-slack = Slack message
dash-hook-discord = Discord message
dash-hook-add = Add webhook
dash-hook-deliveries = Last deliveries
dash-hook-event = Event
dash-hook-to = To
dash-hook-queued = Queued (UTC)
dash-hook-tries = Tries
dash-hook-state = State
dash-hook-answer = Last answer
dash-hook-delivered = delivered
dash-hook-given-up = given up
dash-hook-next = next try { $at }
dash-import-heading = Import comments into { $site }
dash-import-help = Bring an archive along from Disqus (its XML export), WordPress (Tools → Export), Remark42 (a backup), Commento (its JSON export), Isso (its database) or another Jirga. Comments go to the article at the same address; running the same file again adds nothing, and each import can be undone below. Start with a dry run: it reads the whole file and reports what would happen, storing nothing.
dash-import-running = Importing { $file }…
dash-import-stopped = { $file }: stopped
dash-import-finished = { $file }: finished
dash-import-progress = { $n } % of the file read. This page updates itself.
dash-import-read = Comments read
dash-import-would = Would be imported
dash-import-imported = Imported
dash-import-replies = { $n } of them replies
dash-import-earlier = Imported by an earlier run
dash-import-skipped = Skipped
dash-import-held = Held by the abuse models
dash-import-articles = Articles
dash-import-articles-n = { $n }, of which { $new } not on the site yet (made for the import)
dash-import-batch = Batch
dash-import-stored = Stored
dash-import-nothing = nothing (dry run)
dash-import-unmatched = Addresses that match no article of the site ({ $n })
dash-import-unmatched-help = If one of these should have matched an existing article, add an address rule and import again.
dash-import-problems = Records that could not be read or placed ({ $n } shown)
dash-import-upload-heading = Upload an export
dash-import-auto = Tell from the file
dash-import-rules = Address rules
dash-import-rules-help = One per line: an old address and the new one, * standing for the rest. The first rule that applies wins.
dash-import-dry = Dry run: report what would happen, store nothing
dash-import-moderate = Check the old system’s published comments with the abuse models (what they would hold is held for you)
dash-import-pingbacks = Import WordPress pingbacks and trackbacks as comments
dash-import-file = File
dash-import-file-help = Up to { $mb } MB, gzip accepted. Bigger files: on the server,
dash-import-upload = Upload
dash-import-so-far = Imports so far
dash-import-from = From
dash-import-now = Comments now
dash-import-undone = undone { $at }
dash-import-undo = Undo
dash-import-undo-label = Undo import { $n }
dash-import-undo-help = Undo removes exactly what that import added: its comments (one a reader has since replied to, or a moderator acted on, stays as a deleted placeholder) and the articles and commenters it made that nothing else uses.

## Readers' accounts and the pages mail links lead to

account-site = Comments
account-tag = your account
account-home-title = Your account
account-signed-in = Signed in
account-signed-in-text = You are signed in; taking you back to the article.
account-back-to-article = Back to the article
account-back-to-articles = Back to the articles
account-foreign-form = This form was sent from another site’s page; nothing was changed.
account-sign-in-with = Sign in with { $provider }
account-sign-in = Sign in
account-sign-up-title = Create an account
account-sign-up-submit = Create account
account-have-one = I have an account: sign in
account-field-name = Name shown with your comments
account-field-email = Email
account-field-password = Password
account-field-new-password = Password (10 characters or more)
account-check-mail = Check your mail
account-sent-confirm = We sent a link to { $email }. Open it to confirm your address, then sign in.
account-email-confirmed = Email confirmed
account-email-confirmed-text = Your address is confirmed. You can sign in now.
account-link-expired = Link expired
account-link-expired-sign-in = This link has expired or was already used. Sign in to get a new one.
account-link-expired-reset = This link has expired or was already used; ask for a new one.
account-forgot = Forgot your password?
account-wrong = Wrong email or password.
account-unverified = Confirm your address first: we sent a new link to { $email }.
account-reset-title = Reset your password
account-reset-text = We will mail you a link to choose a new password.
account-reset-submit = Send the link
account-reset-sent = If an account has this address, we sent it a link to choose a new password.
account-new-password-title = Choose a new password
account-new-password-submit = Set the password
account-password-changed = Password changed
account-password-changed-text = Your password is changed and every session was signed out. Sign in with the new one.
account-error-name_empty = Please give a name to show with your comments.
account-error-name_too_long = That name is too long. Please shorten it.
account-error-name_invalid = That name has characters we cannot show. Please change it.
account-error-email_empty = Please give your email address.
account-error-email_invalid = That email address does not look right.
account-error-email_too_long = That email address is too long.
account-error-password_too_short = Choose a password of at least 10 characters.
account-error-password_too_long = A password has at most 200 characters.
account-oidc-failed = Sign-in failed
account-oidc-back = Back to sign-in
account-oidc-provider = The provider said: { $why }
account-oidc-not-started = This sign-in was not started here, or took too long; start again.
account-oidc-foreign = The answer does not belong to this sign-in; start again.
account-oidc-no-code = The provider sent no code.
account-signed-out-everywhere = Every other session was signed out.
account-confirmed = (confirmed)
account-none = none
account-signs-in-with = Signs in with
account-with-password = email and password
account-sessions = Open sessions
account-on-site = On { $site }
account-replies-heading = Replies to you
account-replies-text = A feed of the replies to your comments, for a feed reader. The link is yours: anyone who has it can read the replies (which are public anyway) and see that they answer you.
account-replies-feed = Replies on { $site } (Atom)
account-data-heading = Your data
account-export = Download everything we hold about you (JSON)
account-sessions-heading = Sessions
account-sign-out-everywhere = Sign out everywhere
account-delete-heading = Delete your account
account-delete-text = Your sessions and sign-in details go at once. Each site decides what happens to your comments: deleted, or kept under “deleted user”.
account-delete-type = Type { $word } to confirm
account-delete-submit = Delete my account
account-delete-confirm = Type the word delete in the box to delete your account; nothing was changed.
account-deleted = Account deleted
account-deleted-text = Your account is deleted. { $removed } of your comments were removed; the others, if any, now show “{ $shown }”.
mail-page-bad-link = This link does not work
mail-page-bad-link-text = The link is incomplete or was changed. Open it again from the mail, whole.
mail-page-failed = That did not work
mail-page-failed-text = Something went wrong on our side. Try the link again in a moment.
mail-page-nothing = Nothing to confirm
mail-page-nothing-text = The comments this address was given with are no longer here.
mail-page-confirmed = Address confirmed
mail-page-confirmed-text = Thank you. Your comments on { $site } with this address are now under one name, and we will mail you when a moderator decides on one of them.
mail-page-unsubscribed = No more reply mail
mail-page-unsubscribed-text = { $site } will mail no more replies to { $email }.
mail-page-unsubscribed-short = Unsubscribed.
mail-page-resubscribe = Mail me replies again
mail-page-resubscribed = Reply mail is on again
mail-page-resubscribed-text = { $site } will mail replies to your comments to { $email } again.
mail-page-gone = This comment is gone
mail-page-gone-text = It was deleted, so there is nothing to look at again.
mail-page-appeal-text = Your comment: “{ $comment }”. Say in a few words why it should be published; a moderator will read it again.
mail-page-appeal-field = Why it should be published
mail-page-appealed = Already looked at again
mail-page-appealed-text = This comment has been appealed before, or it is no longer rejected.
mail-page-appeal-sent = Sent to the moderators
mail-page-appeal-sent-text = A moderator will read your comment again, with what you said. We will mail you what they decide.
widget-error-appeal_too_long = That is longer than an appeal may be. Please shorten it.

## Mail to commenters and moderators (in the site's language)

mail-hello = Hello { $name },
mail-or-more = { $n } or more
mail-published = It is published.
mail-published-at =
    It is published:
    { $link }
mail-waiting-because =
    It is waiting for a moderator to read it, because:
    { $why }
mail-rejected-because =
    It was not published, because:
    { $why }
mail-confirm-subject = Confirm your address for comments on { $site }
mail-confirm-body =
    Hello { $name },

    You commented on “{ $title }” ({ $site }) with this address.

    { $excerpt }

    { $standing }

    To confirm that this address is yours, open this link:
    { $link }

    Confirming puts your comments on { $site } under one name, and lets us mail you when a moderator decides on a comment of yours (and, if you asked, when someone replies).

    If it was not you, ignore this mail: nothing more is sent to this address unless it is confirmed.
mail-held-subject = Your comment on “{ $title }” is waiting for a moderator
mail-held-again = We will mail you again when a moderator has decided.
mail-published-subject = Your comment on “{ $title }” is published
mail-published-after-hold = A moderator has read your comment and published it.
mail-rejected-subject = Your comment on “{ $title }” was not published
mail-appeal-final = A moderator has read your appeal too: this decision is final.
mail-appeal-offer =
    If you think this is a mistake, say why and a moderator will read it again:
    { $link }
mail-outcome-body =
    Hello { $name },

    { $body }

    — the moderators of { $site }
mail-reply-line = { $name } replied on “{ $title }”:
mail-reply-subject-one = A reply to your comment on “{ $title }”
mail-reply-subject-many = { $n } replies to your comments on { $site }
mail-reply-footer =
    You get this because you asked for replies by mail on { $site }; replies are gathered into one mail every { $minutes } minutes at most.
    Stop these mails: { $link }
mail-digest-subject = { $n ->
    [one] { $n } comment waiting for a moderator
   *[other] { $n } comments waiting for a moderator
}
mail-digest-waiting = Waiting for you: { $held } held, { $reported } reported.
mail-digest-held = Held, oldest first:
mail-digest-reported = Reported, oldest first:
mail-digest-item = { $name } on “{ $title }”
mail-digest-more = and { $n } more
mail-digest-footer =
    The queue: { $link }

    You get this every { $hours ->
        [one] hour
       *[other] { $hours } hours
    } while comments wait; change it at the top of the queue.
dash-hook-error-address = The address must be a full http:// or https:// URL.
dash-hook-error-no_events = Choose at least one event.
dash-hook-error-event = There is no event “{ $event }”.
dash-hook-error-format = The format is json, slack or discord.
dash-import-busy = An import into this site is still running; wait for it to finish.
dash-import-unknown-format = Cannot tell the format of this file from its first bytes: choose it in the list.
dash-import-bad-format = Unknown format “{ $format }”.
dash-import-bad-map = Address rule “{ $rule }”: { $why }
dash-import-unreadable = Cannot read the upload: { $why }
dash-import-no-file = no file was chosen
account-export-not-kept = Passwords are kept only as Argon2 hashes and are not exported; addresses are kept only as salted hashes that change every period, and cannot be tied to you.
