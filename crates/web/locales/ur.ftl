# Jirga کے اردو پیغامات۔ کلید (key) وہی ہیں جو en.ftl میں ہیں؛ صرف متن بدلا جاتا ہے۔

language-name = اردو
language-direction = rtl

## وقت اور تاریخ

ago-now = ابھی ابھی
ago-minutes = { $n } منٹ پہلے
ago-hours = { $n } گھنٹے پہلے
ago-days = { $n ->
    [one] { $n } دن پہلے
   *[other] { $n } دن پہلے
}
ago-months = { $n ->
    [one] { $n } مہینہ پہلے
   *[other] { $n } مہینے پہلے
}
ago-years = { $n } سال پہلے
date-time = { $day } { $month } { $year }، { $time } UTC
date-day = { $day } { $month } { $year }
month-1 = جنوری
month-2 = فروری
month-3 = مارچ
month-4 = اپریل
month-5 = مئی
month-6 = جون
month-7 = جولائی
month-8 = اگست
month-9 = ستمبر
month-10 = اکتوبر
month-11 = نومبر
month-12 = دسمبر

## ویجٹ

widget-comments-heading = تبصرے ({ $count })
widget-comments-list = تبصرے
widget-sort-label = تبصروں کی ترتیب
widget-sort-oldest = پرانے پہلے
widget-sort-newest = نئے پہلے
widget-sort-top = سب سے پسندیدہ
widget-view-more = مزید تبصرے دیکھیں
widget-more-loaded = مزید تبصرے آ گئے۔
widget-load-failed = تبصرے نہیں کھل سکے۔ { $why }
widget-moderated-note = تبصروں کی نگرانی کی جاتی ہے: وہ تب شائع ہوتے ہیں جب مضمون کے موضوع پر ہوں اور ان میں بدزبانی نہ ہو۔
widget-guidelines-link = تبصروں کے اصول پڑھیں
widget-language = زبان
widget-just-now = ابھی ابھی
widget-linked-gone = وہ تبصرہ اب یہاں موجود نہیں۔
widget-new-comments = { $n ->
    [one] { $n } نیا تبصرہ
   *[other] { $n } نئے تبصرے
}
widget-new-shown = { $n ->
    [one] { $n } نیا تبصرہ دکھا دیا گیا۔
   *[other] { $n } نئے تبصرے دکھا دیے گئے۔
}
widget-deleted = یہ تبصرہ حذف کر دیا گیا۔
widget-deleted-label = حذف شدہ تبصرہ
widget-comment-by = { $name } کا تبصرہ
widget-verified = تصدیق شدہ اکاؤنٹ
widget-verified-sr = تصدیق شدہ اکاؤنٹ
widget-permalink = اس تبصرے کا لنک
widget-edited = (ترمیم شدہ)
widget-replies = جوابات
widget-held-title = جائزے کا منتظر۔
widget-held-text = جب تک کوئی نگران اسے منظور نہ کرے، یہ تبصرہ صرف آپ کو نظر آئے گا۔
widget-rejected-title = شائع نہیں ہوا۔
widget-rejected-text = یہ تبصرہ صرف آپ کو نظر آتا ہے۔
widget-appeal-kept = ایک نگران نے آپ کی اپیل دیکھ لی ہے اور تبصرہ غیر شائع شدہ ہی رکھا ہے۔
widget-appeal-form = دوبارہ دیکھنے کی درخواست
widget-appeal-why = اسے کیوں شائع ہونا چاہیے؟ نگران یہ پڑھیں گے۔
widget-appeal-send = نگرانوں کو بھیجیں
widget-appeal-sent = آپ کی اپیل بھیج دی گئی۔ تبصرہ پھر سے نگران کا منتظر ہے۔
widget-appeal-ask = دوبارہ دیکھنے کی درخواست کریں
widget-more-replies = { $n ->
    [one] { $n } مزید جواب دیکھیں
   *[other] { $n } مزید جوابات دیکھیں
}
widget-more-replies-again = مزید جوابات دیکھیں
widget-reply = جواب دیں
widget-reply-sr = { $name } کو
widget-like = پسند
widget-like-title = یہ تبصرہ پسند کریں
widget-comment-by-sr = { $name } کا تبصرہ
widget-report = شکایت
widget-moderate = نگرانی
widget-edit = ترمیم
widget-delete = حذف کریں
widget-report-abusive = بدزبانی
widget-report-off-topic = موضوع سے ہٹ کر
widget-report-spam = اشتہار بازی (اسپام)
widget-report-other = کچھ اور
widget-report-label = { $name } کے تبصرے کی شکایت
widget-report-why = کسی نگران کو یہ تبصرہ کیوں دیکھنا چاہیے؟
widget-report-send = شکایت بھیجیں
widget-report-sent = شکریہ۔ ایک نگران یہ تبصرہ دیکھے گا۔
widget-cancel = منسوخ
widget-moderate-label = { $name } کے تبصرے کی نگرانی
widget-moderating-as = بطور نگران: { $name }
widget-moderate-note = ریکارڈ کے لیے نوٹ (اختیاری)
widget-moderate-tell = یہ نوٹ لکھنے والے کو بھی بھیجیں
widget-moderate-remove = تبصرہ ہٹائیں
widget-moderate-ban = ہٹائیں اور لکھنے والے پر 7 دن کی پابندی لگائیں
widget-moderate-removed = ہٹا دیا گیا۔ ریکارڈ میں درج ہے۔
widget-moderate-banned = ہٹا دیا گیا، اور لکھنے والے پر 7 دن کی پابندی لگ گئی۔
widget-edit-label = اپنے تبصرے میں ترمیم کریں
widget-save = محفوظ کریں
widget-updated = آپ کا تبصرہ بدل دیا گیا۔
widget-delete-confirm = اپنا تبصرہ حذف کریں؟ یہ واپس نہیں ہو سکے گا۔
widget-deleted-yours = آپ کا تبصرہ حذف کر دیا گیا۔
widget-explain-held = آپ کا تبصرہ نگران کے جائزے کا منتظر ہے۔ تب تک یہ صرف آپ کو نظر آئے گا، نیچے نشان زد۔
widget-explain-rejected = آپ کا تبصرہ شائع نہیں ہوا۔ وجہ نیچے اسی پر لکھی ہے؛ اگر آپ کے خیال میں یہ غلطی ہے تو وہیں نگرانوں سے دوبارہ دیکھنے کو کہہ سکتے ہیں۔
widget-post-reply = جواب شائع کریں
widget-post-comment = تبصرہ شائع کریں
widget-reply-to = { $name } کو جواب
widget-write = تبصرہ لکھیں
widget-replying-to = { $name } کو جواب
widget-your-reply = آپ کا جواب
widget-your-comment = آپ کا تبصرہ
widget-name = نام
widget-email = ای میل (اختیاری، کبھی دکھائی نہیں جاتی)
widget-notify-replies = کوئی جواب دے تو مجھے ای میل کریں
widget-posting = شائع ہو رہا ہے…
widget-checking = آپ کا تبصرہ جانچا جا رہا ہے…
widget-reply-published = آپ کا جواب شائع ہو گیا۔
widget-comment-published = آپ کا تبصرہ شائع ہو گیا۔
widget-would-reject = یہ تبصرہ شائع نہیں ہو گا۔
widget-would-hold = یہ تبصرہ نگران کا منتظر رہے گا۔
widget-edit-mine = اپنے تبصرے میں ترمیم کریں
widget-send-anyway = پھر بھی جائزے کے لیے بھیجیں
widget-commenting-as = بطور { $name } تبصرہ
widget-your-account = آپ کا اکاؤنٹ
widget-sign-in = سائن ان کریں
widget-or = یا
widget-create-account = اکاؤنٹ بنائیں
widget-or-guest = — یا بطور مہمان تبصرہ کریں:
widget-to-comment = تاکہ تبصرہ کر سکیں۔
widget-error-generic = یہ نہیں ہو سکا: { $message }
widget-error-offline = تبصروں کے سرور سے رابطہ نہیں ہو سکا۔ اپنا کنکشن دیکھ کر پھر کوشش کریں: آپ کا متن محفوظ ہے۔
widget-error-status = سرور کا جواب: { $status }۔
widget-error-body_empty = پہلے کچھ لکھیں۔
widget-error-body_too_long = یہ یہاں تبصروں کی حد سے لمبا ہے۔ براہِ کرم اسے مختصر کریں۔
widget-error-payload_too_large = یہ یہاں تبصروں کی حد سے لمبا ہے۔ براہِ کرم اسے مختصر کریں۔
widget-error-name_empty = براہِ کرم کوئی نام لکھیں جس سے تبصرہ شائع ہو۔
widget-error-name_too_long = یہ نام بہت لمبا ہے۔ براہِ کرم اسے مختصر کریں۔
widget-error-name_invalid = اس نام میں ایسے حروف ہیں جو ہم نہیں دکھا سکتے۔ براہِ کرم اسے بدلیں۔
widget-error-email_invalid = یہ ای میل پتا درست نہیں لگتا۔ آپ اسے خالی بھی چھوڑ سکتے ہیں۔
widget-error-email_too_long = یہ ای میل پتا بہت لمبا ہے۔
widget-error-name_reserved = یہ نام یہاں ایک تصدیق شدہ اکاؤنٹ کا ہے۔ براہِ کرم کوئی اور نام استعمال کریں۔
widget-error-thread_closed = اس مضمون پر تبصرے بند ہیں۔
widget-error-rate_limited = آپ بہت جلدی جلدی لکھ رہے ہیں۔ ایک منٹ رک کر پھر کوشش کریں: آپ کا متن محفوظ ہے۔
widget-error-sign_in_required = اس سائٹ پر صرف سائن ان قارئین تبصرہ کر سکتے ہیں۔ اوپر سائن ان کریں یا اکاؤنٹ بنائیں۔
widget-error-unknown_parent = جس تبصرے کا آپ جواب دے رہے ہیں وہ اب موجود نہیں۔
widget-error-comment_deleted = وہ تبصرہ حذف ہو چکا ہے۔
widget-error-edit_window_closed = اس تبصرے میں ترمیم کا وقت ختم ہو چکا ہے۔
widget-error-not_appealable = اس تبصرے پر دوبارہ اپیل نہیں ہو سکتی۔
widget-error-appeal_empty = چند الفاظ میں بتائیں کہ اسے کیوں شائع ہونا چاہیے۔
widget-error-csrf_failed = آپ کا سیشن پرانا ہو گیا ہے۔ صفحہ دوبارہ کھول کر پھر کوشش کریں۔
widget-error-origin_not_allowed = یہ صفحہ تبصرے لینے کے لیے تیار نہیں کیا گیا۔
widget-error-unavailable = تبصرے ابھی محفوظ نہیں ہو سکے۔ کچھ ضائع نہیں ہوا: تھوڑی دیر میں پھر کوشش کریں۔
widget-error-internal = ہماری طرف کچھ خرابی ہوئی۔ آپ کا متن محفوظ ہے: تھوڑی دیر میں پھر کوشش کریں۔
widget-error-moderator_required = نگرانی کے ڈیش بورڈ میں دوبارہ سائن ان کریں، پھر ایک بار اور کوشش کریں۔

## تبصرہ کیوں روکا گیا یا شائع نہیں ہوا

reason-premoderation = اس سائٹ پر ہر تبصرہ شائع ہونے سے پہلے ایک نگران پڑھتا ہے۔
reason-author_banned = ایک نگران نے اس لکھنے والے کو فی الحال اس سائٹ پر تبصرہ کرنے سے روک دیا ہے۔
reason-new_author = نئے لکھنے والے کے پہلے تبصرے شائع ہونے سے پہلے ایک نگران پڑھتا ہے۔
reason-duplicate = یہی متن حال ہی میں اس سائٹ پر شائع ہوا تھا؛ ایک نگران اسے دیکھے گا۔
reason-banned_words = اس میں ایسے الفاظ ہیں جو یہ سائٹ شائع نہیں کرتی۔
reason-watched_words = اس میں ایسے الفاظ ہیں جنہیں شائع ہونے سے پہلے ایک نگران پڑھتا ہے۔
reason-too_many_links = بہت سے لنک والے تبصرے پہلے ایک نگران پڑھتا ہے۔
reason-abuse = یہ بدزبانی کے اصولوں کے خلاف ہو سکتا ہے: خیالات پر تنقید کریں، لوگوں پر نہیں۔
reason-abuse-threat = یہ دھمکی لگتی ہے۔ جس پر چاہیں تنقید کریں، مگر نقصان پہنچانے کی دھمکی کبھی نہیں۔
reason-abuse-identity_attack = یہ لوگوں پر ان کی پہچان کی وجہ سے حملہ ہے۔ لوگوں کے کام پر بات کریں، ان کے گروہ پر نہیں۔
reason-abuse-insult = اس میں کسی کو برے نام دیے گئے ہیں۔ لوگوں کے کام پر تنقید کریں، ان کی ذات پر نہیں۔
reason-abuse-obscene = اس میں ایسی زبان ہے جو یہ سائٹ جوں کی توں شائع نہیں کرتی؛ ایک نگران اسے پڑھے گا۔
reason-spam = یہ اشتہار یا پیسہ کمانے کی پیشکش لگتی ہے؛ ایک نگران اسے دیکھے گا۔
reason-off_topic = یہ شاید اس مضمون کے موضوع سے ہٹ کر ہے۔
reason-unread_language = خودکار جانچ ابھی یہ زبان نہیں پڑھ سکتی، اس لیے شائع ہونے سے پہلے ایک نگران اسے پڑھتا ہے۔
reason-moderator_note = نگران کا نوٹ: “{ $text }”
reason-appeal = لکھنے والے کی اپیل: “{ $text }”

## سرور کے اپنے صفحات

page-paper = Jirga
page-demo-tag = Jirga کا نمونہ
page-footer = تبصرے Jirga کے ذریعے، اسی سرور پر جانچے جاتے ہیں۔
page-footer-link = تبصروں کے اصول
page-language = زبان
page-editions = ایڈیشن
page-more-replies = { $n ->
    [one] { $n } مزید جواب
   *[other] { $n } مزید جوابات
}
page-needs-javascript = تبصرہ لکھنے کے لیے JavaScript درکار ہے۔
landing-title = Jirga چل رہا ہے
landing-embed = یہ کسی مضمون کے نیچے لگائیں، اس سائٹ پر جو آپ نے اس حکم سے درج کی ہو:
landing-api = JSON API یہاں ہے:
guide-title = تبصروں کے اصول
guide-intro = کسی مضمون کے نیچے تبصرے اسی مضمون پر بحث کی جگہ ہیں۔ دو اصول طے کرتے ہیں کہ کیا شائع ہو گا: موضوع پر رہیں، اور خیالات پر تنقید کریں، لوگوں پر حملہ نہیں۔
guide-on-topic-title = یہاں “موضوع پر” کا مطلب
guide-on-topic-1 = تبصرہ تب موضوع پر ہے جب وہ مضمون کی خبر کا جواب دے: اس کے حقائق، اس میں شامل لوگ اور فیصلے، ان کے نتائج، یا جو کچھ اس میں رہ گیا۔ جواب تب موضوع پر ہے جب وہ اس تبصرے کا جواب دے جس کے نیچے لکھا گیا ہو، چاہے بات مضمون سے تھوڑی ہٹ گئی ہو۔
guide-on-topic-2 = موضوع سے ہٹ کر: اشتہار، خبر سے غیر متعلق لنک، ایک ہی پیغام کئی مضامین کے نیچے چسپاں کرنا، اور کسی دوسری خبر پر بحث جو آج زوروں پر ہو۔
guide-abuse-title = یہاں “بدزبانی نہیں” کا مطلب
guide-abuse-1 = کسی دلیل، پالیسی یا عوامی شخصیت کے ریکارڈ سے جتنا چاہیں سخت اختلاف کریں۔ ہم وہ تبصرے شائع نہیں کرتے جو کسی دوسرے تبصرہ نگار یا مضمون میں موجود کسی شخص کی توہین کریں یا اسے دھمکائیں؛ جو لوگوں پر ان کے مذہب، نسل، قومیت، جنس، جنسی رجحان یا معذوری کی وجہ سے حملہ کریں؛ جو فحش زبان کو ہتھیار بنائیں؛ یا جو کسی کی نجی معلومات ظاہر کریں۔
guide-languages-title = دوسری زبانوں میں تبصرے
guide-languages-1 = آپ انگریزی یا اردو میں تبصرہ کر سکتے ہیں، اردو رسم الخط میں یا رومن اردو میں۔ خودکار جانچ انگریزی پر سکھائی گئی ہے: اردو رسم الخط کا تبصرہ شائع ہونے سے پہلے ایک نگران پڑھتا ہے، اور رومن اردو سائٹ کے الفاظ کی فہرستوں سے جانچی جاتی ہے مگر وہ بھی کسی شخص کی منتظر ہو سکتی ہے۔
guide-how-title = نگرانی کیسے ہوتی ہے
guide-how-1 = ہر تبصرہ لکھے جانے پر اسی سرور پر جانچا جاتا ہے۔ زیادہ تر فوراً شائع ہو جاتے ہیں۔ جب کوئی تبصرہ ان اصولوں کے خلاف ہو سکتا ہو تو اسے روک لیا جاتا ہے اور آپ کو وجہ بتائی جاتی ہے؛ پھر ایک نگران اسے پڑھ کر شائع کرتا ہے یا نہیں کرتا۔ روکا گیا تبصرہ آپ کو (اسی آلے پر جس سے لکھا تھا) “جائزے کا منتظر” کے طور پر نظر آتا ہے۔ کوئی تبصرہ جانچ کے لیے کسی دوسری کمپنی کو نہیں بھیجا جاتا۔
guide-editing-title = ترمیم اور حذف
guide-editing-1 = آپ اپنا تبصرہ لکھنے کے بعد 15 منٹ تک اسی براؤزر سے اس میں ترمیم یا اسے حذف کر سکتے ہیں۔ ترمیم شدہ تبصرہ دوبارہ جانچا جاتا ہے۔
guide-appeal-title = اگر آپ کے خیال میں ہم سے غلطی ہوئی
guide-appeal-1 = جو تبصرہ شائع نہیں ہوا وہ صرف آپ کو اپنی وجہ بتاتا ہے، ساتھ دوبارہ دیکھنے کی درخواست کا بٹن ہوتا ہے (اس کے بارے میں ای میل میں بھی یہی لنک ہوتا ہے)۔ ہر اپیل ایک انسان پڑھتا ہے۔
guide-privacy-title = ہم کیا رکھتے ہیں
guide-privacy-1 = آپ کا دکھایا جانے والا نام اور آپ کا تبصرہ عوامی ہیں۔ ای میل پتا، اگر آپ دیں، کبھی نہیں دکھایا جاتا۔ آپ کا نیٹ ورک پتا محفوظ نہیں کیا جاتا؛ اس کا ایک یک طرفہ ہیش ووٹ اور شکایات فی قاری ایک بار گننے اور پیغامات کی بوچھاڑ کو سست کرنے کے لیے استعمال ہوتا ہے۔

## نگرانوں کا ڈیش بورڈ

dash-title = Jirga نگرانی
dash-sign-in = سائن ان
dash-sign-out = سائن آؤٹ
dash-email = ای میل
dash-password = پاس ورڈ
dash-login-wrong = ای میل یا پاس ورڈ غلط ہے۔
dash-login-foreign = یہ فارم کسی دوسری سائٹ کے صفحے سے آیا ہے۔
dash-denied-stale = فارم پرانا ہے یا کسی دوسری سائٹ سے آیا ہے؛ صفحہ دوبارہ کھولیں۔
dash-denied-site = آپ اس سائٹ کے نگران نہیں ہیں۔
dash-denied-admin = یہ کام صرف اس سائٹ کا منتظم کر سکتا ہے۔
dash-nav = نگرانی
dash-nav-held = روکے گئے تبصرے
dash-nav-reports = شکایات
dash-nav-log = نگرانی کا ریکارڈ
dash-nav-settings = ترتیبات: { $site }
dash-nav-charts = چارٹ
dash-nav-authors = لکھنے والے: { $site }
dash-nav-webhooks = ویب ہُک: { $site }
dash-nav-import = درآمد: { $site }
dash-held-heading = روکے گئے تبصرے ({ $n })
dash-reported-heading = شکایت شدہ تبصرے ({ $n })
dash-keys = کلیدیں:
dash-keys-move = اگلا/پچھلا
dash-keys-approve = منظور
dash-keys-dismiss = منظور (شکایات ختم)
dash-keys-reject = مسترد
dash-keys-ban = لکھنے والے پر پابندی
dash-keys-note = نوٹ لکھیں۔
dash-digest = جو یہاں منتظر ہے وہ مجھے ای میل کریں
dash-digest-never = کبھی نہیں
dash-digest-hourly = ہر گھنٹے
dash-digest-daily = روزانہ
dash-save = محفوظ کریں
dash-empty = کچھ منتظر نہیں۔ شاباش۔
dash-card-label = { $name } کا تبصرہ { $id }
dash-in-thread = بحث میں دیکھیں
dash-in-reply-to = جواب میں:
dash-abuse = بدزبانی
dash-on-topic = موضوع پر
dash-reported = شکایت:
dash-note = نوٹ (اختیاری)
dash-note-tell = مسترد کرنے پر یہ نوٹ لکھنے والے کو بھیجیں
dash-keep = رہنے دیں (شکایات ختم)
dash-remove = ہٹائیں
dash-approve = منظور کریں
dash-reject = مسترد کریں
dash-ban-open = لکھنے والے پر پابندی…
dash-ban-days = پابندی کے دن (خالی: کوئی حد نہیں)
dash-ban-email = اور ان کی ای میل
dash-ban-address = اور یہ پتا
dash-ban-shadow = خاموش (انہیں بتایا نہیں جاتا)
dash-ban = پابندی لگائیں اور مسترد کریں
dash-score-none = نامعلوم
dash-percent = { $n }٪
dash-list-separator = {"، "}
dash-history-published = { $n } شائع
dash-history-held = { $n } روکے گئے
dash-history-rejected = { $n } مسترد
dash-history-first = یہاں پہلا تبصرہ
dash-history-reported = { $n ->
    [one] ایک بار شکایت ہوئی
   *[other] { $n } بار شکایت ہوئی
}
dash-history-banned = { $n ->
    [one] پہلے ایک بار پابندی لگی
   *[other] پہلے { $n } بار پابندی لگی
}
dash-report-abusive = بدزبانی
dash-report-off_topic = موضوع سے ہٹ کر
dash-report-spam = اسپام
dash-report-other = کچھ اور
dash-done-approved = منظور ہو گیا۔
dash-done-rejected = مسترد ہو گیا۔
dash-done-dismissed = شکایات ختم کر دی گئیں۔
dash-done-banned = لکھنے والے پر پابندی لگ گئی اور تبصرہ مسترد ہو گیا۔
dash-done-digest = ای میل کی ترتیب محفوظ ہو گئی۔
dash-error-ban-days = پابندی 1 سے 3650 دن تک ہو سکتی ہے، یا خالی چھوڑیں تو کوئی حد نہیں۔
dash-error-action = نامعلوم کارروائی۔
dash-error-digest = کبھی نہیں، ہر گھنٹے یا روزانہ میں سے چنیں۔
dash-log-help = نگرانی کی ہر کارروائی، نئی پہلے۔ اندراج نہ بدلے جا سکتے ہیں نہ ہٹائے جا سکتے ہیں۔
dash-when = کب (UTC)
dash-site = سائٹ
dash-who = کس نے
dash-action = کارروائی
dash-comment = تبصرہ
dash-author = لکھنے والا
dash-note-heading = نوٹ
dash-deleted = (حذف شدہ)
dash-log-in-thread = بحث میں #{ $id }
dash-log-on = { $key } پر
dash-action-approve = منظوری
dash-action-reject = مسترد
dash-action-dismiss = شکایات ختم
dash-action-ban = پابندی
dash-action-shadow-ban = خاموش پابندی
dash-action-settings = ترتیبات
dash-action-badges = نشان
dash-action-note = نوٹ
dash-settings-heading = { $name } کی ترتیبات
dash-settings-saved = محفوظ ہو گیا۔ نئے تبصرے انہی ترتیبات سے جانچے جائیں گے۔
dash-settings-save = ترتیبات محفوظ کریں
dash-set-premoderate = ہر تبصرہ نگران کے لیے روکیں (پیشگی نگرانی)
dash-set-new-authors = نئے تبصرہ نگار کے تبصرے تب تک روکیں جب تک اتنے شائع نہ ہو جائیں (0: کبھی نہیں)
dash-set-hold-abuse = روکیں جب بدزبانی کا اسکور کم از کم یہ ہو (0 سے 1)
dash-curve-label = ہر حد پر کتنے تبصرے رکتے
dash-curve-caption = ہر حد اس سائٹ کے اب تک کے تبصروں میں سے کتنے روکتی (ہر تبصرے کا بدزبانی اسکور جو لکھے جانے پر درج ہوا)، اور ان میں سے کتنے نگرانوں نے مسترد کیے
dash-curve-at = حد
dash-curve-held = کتنے رکتے
dash-curve-share = حصہ
dash-curve-rejected = نگرانوں نے مسترد کیے
dash-curve-now = موجودہ
dash-curve-now-at = موجودہ: { $at }، { $from } سے گنا گیا
dash-set-hold-threat = روکیں جب صرف دھمکی کا ماڈل کم از کم یہ اسکور دے (1 سے اوپر: بند، طے شدہ؛ دھمکی آمیز جملے ہمیشہ روکے جاتے ہیں)
dash-set-hold-identity = روکیں جب گروہوں پر حملے (شناختی حملہ) کا ماڈل اکیلا کم از کم یہ اسکور دے (1 سے اوپر: بند، طے شدہ؛ ایسے جملے ہمیشہ روکے جاتے ہیں)
dash-set-reject-abuse = مسترد کریں جب بدزبانی کا اسکور کم از کم یہ ہو (1 سے اوپر: کبھی نہیں)
dash-set-off-topic-z = روکیں جب تبصرہ اپنے مضمون کے بجائے سائٹ کے دوسرے حالیہ مضامین سے اتنے معیاری انحراف زیادہ قریب ہو (مثلاً -0.5)
dash-set-off-topic = جب تک سائٹ پر 5 سے کم مضامین ہوں: روکیں جب مضمون سے مشابہت اس سے کم ہو (0 سے 1)
dash-set-links = اس سے زیادہ لنک والے تبصرے روکیں
dash-set-banned = ممنوعہ الفاظ: مسترد (ہر سطر میں ایک، کسی بھی رسم الخط میں؛ یہ کسی بھی آخر سے ملتا ہے:)
dash-set-watched = زیرِ نظر الفاظ: نگران کے لیے روکیں (ہر سطر میں ایک)
dash-set-languages = زبانیں
dash-set-language = سائٹ کی زبان: ویجٹ، صفحات اور ای میل کی، جب صفحہ خود کوئی زبان نہ بتائے
dash-set-unread-hold = جس رسم الخط کو ماڈل نہیں پڑھ سکتے (مثلاً اردو رسم الخط) اس کے تبصرے نگران کے لیے روکیں؛ الفاظ کی فہرستیں پھر بھی لاگو ہوتی ہیں
dash-set-unread-publish = اگر الفاظ کی فہرستیں اور باقی اصول اجازت دیں تو شائع کریں (ماڈل انہیں نہیں جانچتے)
dash-set-who = کون تبصرہ کر سکتا ہے
dash-set-guests = نام کے ساتھ مہمان (ای میل اختیاری)، اور سائن ان قارئین
dash-set-accounts = صرف سائن ان قارئین
dash-set-deleted = جب کوئی قاری اپنا اکاؤنٹ حذف کرے
dash-set-deleted-keep = ان کے تبصرے رکھیں، “حذف شدہ صارف” کے نام سے
dash-set-deleted-remove = ان کے تبصرے حذف کریں
dash-set-site-model = اس سائٹ کا اپنا بدزبانی ماڈل استعمال کریں، جو اس کے نگرانوں کے فیصلوں سے اس حکم کے ذریعے سکھایا گیا:
dash-site-model = سکھاتے وقت الگ رکھے گئے { $decisions } میں سے { $held } فیصلوں پر، اس سائٹ کے ماڈل نے مسترد تبصروں کو منظور شدہ سے اوپر ROC-AUC { $own } سے رکھا، ساتھ آنے والے ماڈل نے { $shipped } سے: { $better ->
    [yes] یہ خانہ منتخب ہونے پر استعمال ہوتا ہے۔
   *[no] یہ بہتر نہیں نکلا، اس لیے خانہ منتخب ہونے پر بھی استعمال نہیں ہوتا۔
}
dash-sso-heading = اپنے اکاؤنٹس سے سائن ان
dash-sso-none = سرور کے شروع ہونے کے بعد سے کوئی سائن آن ٹوکن رد نہیں ہوا۔
dash-sso-some = سرور کے شروع ہونے کے بعد Jirga نے جو آخری ٹوکن رد کیے، نئے پہلے، اور وجہ (کوڈ وہی ہے جو ویجٹ کی درخواست کے جواب میں گیا):
dash-code = کوڈ
dash-why = وجہ
dash-error-unit = { $name } 0 سے { $max } تک کا عدد ہونا چاہیے۔
dash-name-hold-abuse = بدزبانی پر روکنے کی حد
dash-name-reject-abuse = بدزبانی پر مسترد کرنے کی حد
dash-name-hold-threat = دھمکی پر روکنے کی حد
dash-name-hold-identity = شناختی حملے پر روکنے کی حد
dash-name-hold-off-topic = موضوع سے ہٹنے کی حد
dash-error-off-topic-z = موضوع سے ہٹنے کی نسبتی حد -5 سے 5 تک کا عدد ہونی چاہیے۔
dash-error-links = لنک کی حد پورا عدد ہونی چاہیے۔
dash-error-new-authors = نئے لکھنے والوں کو روکنے کے لیے 0 سے 100 تک تبصروں کی تعداد دیں۔
dash-error-guests = مہمانوں کی یا تو اجازت ہے یا نہیں۔
dash-error-deleted-accounts = حذف شدہ اکاؤنٹ کے تبصرے یا رکھے جاتے ہیں یا ہٹائے جاتے ہیں۔
dash-error-language = کوئی فہرست یہ زبان نہیں رکھتی۔
dash-error-unread = نہ پڑھے جانے والے رسم الخط کے تبصرے یا روکے جاتے ہیں یا شائع ہوتے ہیں۔
dash-saved = محفوظ ہو گیا۔
dash-none-yet = ابھی کوئی نہیں۔
dash-authors-heading = { $site } پر لکھنے والے
dash-authors-help = یہ صفحہ صرف سائٹ کا منتظم دیکھتا ہے۔ تصدیق کا نشان اور وابستگی کی سطر لکھنے والے کے ہر تبصرے کے ساتھ دکھائی دیتی ہے؛ عوامی API انہیں نہیں بدل سکتی، اور کوئی مہمان تصدیق شدہ لکھنے والے کا نام نہیں لے سکتا۔
dash-authors-find = نام یا ای میل سے تلاش کریں
dash-find = تلاش
dash-name = نام
dash-kind = قسم
dash-comments = تبصرے
dash-badges = نشان
dash-kind-account = اکاؤنٹ
dash-kind-guest = مہمان
dash-affiliation = وابستگی
dash-verified = تصدیق شدہ
dash-charts-heading = اسکور اور فیصلے
dash-chart-daily = { $site }: روزانہ تبصرے، پچھلے 30 دن
dash-chart-daily-label = { $site } پر روزانہ تبصرے۔ { $summary }
dash-chart-scores = { $site }: { $n } جانچے گئے تبصروں کے بدزبانی اسکور
dash-chart-scores-label = { $site } پر { $n } تبصروں کے بدزبانی اسکور، دسویں حصوں میں
dash-state-published = شائع
dash-state-held = روکے گئے
dash-state-rejected = مسترد
dash-chart-summary = پچھلے { $days } دنوں میں { $total } تبصرے: { $published } شائع، { $held } روکے گئے، { $rejected } مسترد؛ سب سے مصروف دن { $busiest } تبصرے آئے۔
dash-chart-bar = { $day }: { $n } { $state ->
    [published] شائع
    [held] روکے گئے
   *[rejected] مسترد
}
dash-chart-histogram-bar = بدزبانی اسکور { $from }-{ $to }٪: { $n } تبصرے
dash-hooks-heading = { $site } کے ویب ہُک
dash-hooks-help = ویب ہُک جس واقعے کا خریدار ہو وہ اس کے پتے پر JSON کی صورت میں POST کیا جاتا ہے، ویب ہُک کے راز سے وقت اور متن کے HMAC-SHA256 دستخط کے ساتھ، اور دہرانے سے بچنے کے لیے واقعے کی شناخت کے ساتھ (نیچے کے ہیڈر)۔ ناکام ترسیل ایک دن تک، ہر بار زیادہ وقفے سے، دوبارہ کی جاتی ہے۔ Slack اور Discord کی صورتیں ان خدمات کے ویب ہُک پتوں پر چیٹ پیغام بھیجتی ہیں۔
dash-hook-added = ویب ہُک شامل ہو گیا۔ اس کا دستخطی راز، صرف اس بار دکھایا جا رہا ہے:
dash-hook-removed = ہٹا دیا گیا۔
dash-hook-tested = آزمائشی واقعہ بھیجا جا رہا ہے؛ اس کی ترسیل نیچے دکھائی دے گی۔
dash-hooks-subscriptions = خریداریاں
dash-hook-address = پتا
dash-hook-events = واقعات
dash-hook-format = صورت
dash-hook-test = آزمائشی واقعہ بھیجیں
dash-hook-add-heading = ویب ہُک شامل کریں
dash-hook-json = JSON (دستخط شدہ)
dash-hook-slack = Slack پیغام
dash-hook-discord = Discord پیغام
dash-hook-add = ویب ہُک شامل کریں
dash-hook-deliveries = آخری ترسیلات
dash-hook-event = واقعہ
dash-hook-to = کہاں
dash-hook-queued = قطار میں (UTC)
dash-hook-tries = کوششیں
dash-hook-state = حالت
dash-hook-answer = آخری جواب
dash-hook-delivered = پہنچ گیا
dash-hook-given-up = چھوڑ دیا گیا
dash-hook-next = اگلی کوشش { $at }
dash-import-heading = { $site } میں تبصرے درآمد کریں
dash-import-help = Disqus (اس کی XML برآمد)، WordPress (Tools ← Export)، Remark42 (بیک اپ)، Commento (اس کی JSON برآمد)، Isso (اس کا ڈیٹا بیس) یا کسی دوسرے Jirga سے پرانا ذخیرہ لے آئیں۔ تبصرے اسی پتے والے مضمون پر جاتے ہیں؛ وہی فائل دوبارہ چلانے سے کچھ نہیں بڑھتا، اور ہر درآمد نیچے واپس لی جا سکتی ہے۔ آزمائشی درآمد سے شروع کریں: یہ پوری فائل پڑھ کر بتاتی ہے کہ کیا ہو گا، کچھ محفوظ نہیں کرتی۔
dash-import-running = { $file } درآمد ہو رہی ہے…
dash-import-stopped = { $file }: رک گئی
dash-import-finished = { $file }: مکمل
dash-import-progress = فائل کا { $n } ٪ پڑھا گیا۔ یہ صفحہ خود تازہ ہوتا ہے۔
dash-import-read = پڑھے گئے تبصرے
dash-import-would = درآمد ہوتے
dash-import-imported = درآمد ہوئے
dash-import-replies = ان میں سے { $n } جوابات
dash-import-earlier = پچھلی درآمد میں آ چکے
dash-import-skipped = چھوڑے گئے
dash-import-held = بدزبانی کے ماڈلوں نے روکے
dash-import-articles = مضامین
dash-import-articles-n = { $n }، جن میں سے { $new } ابھی سائٹ پر نہیں تھے (درآمد کے لیے بنائے گئے)
dash-import-batch = کھیپ
dash-import-stored = محفوظ
dash-import-nothing = کچھ نہیں (آزمائشی درآمد)
dash-import-unmatched = پتے جو سائٹ کے کسی مضمون سے نہیں ملتے ({ $n })
dash-import-unmatched-help = اگر ان میں سے کسی کو موجودہ مضمون سے ملنا چاہیے تھا تو پتے کا اصول شامل کر کے دوبارہ درآمد کریں۔
dash-import-problems = ریکارڈ جو پڑھے یا رکھے نہ جا سکے ({ $n } دکھائے گئے)
dash-import-upload-heading = برآمد شدہ فائل اپ لوڈ کریں
dash-import-auto = فائل سے پہچانیں
dash-import-rules = پتوں کے اصول
dash-import-rules-help = ہر سطر میں ایک: پرانا پتا اور نیا، * باقی حصے کی جگہ۔ جو اصول پہلے لاگو ہو وہی چلتا ہے۔
dash-import-dry = آزمائشی درآمد: بتائیں کیا ہو گا، کچھ محفوظ نہ کریں
dash-import-moderate = پرانے نظام کے شائع شدہ تبصرے بدزبانی کے ماڈلوں سے جانچیں (جو وہ روکتے وہ آپ کے لیے روکا جائے گا)
dash-import-pingbacks = WordPress کے پنگ بیک اور ٹریک بیک بھی تبصروں کے طور پر درآمد کریں
dash-import-file = فائل
dash-import-file-help = { $mb } MB تک، gzip قبول ہے۔ بڑی فائلیں سرور پر:
dash-import-upload = اپ لوڈ
dash-import-so-far = اب تک کی درآمدات
dash-import-from = کہاں سے
dash-import-now = اب تبصرے
dash-import-undone = واپس لی گئی { $at }
dash-import-undo = واپس لیں
dash-import-undo-label = درآمد { $n } واپس لیں
dash-import-undo-help = واپس لینا بالکل وہی ہٹاتا ہے جو اس درآمد نے شامل کیا: اس کے تبصرے (جس کا کسی قاری نے بعد میں جواب دیا ہو، یا جس پر نگران نے کارروائی کی ہو، وہ حذف شدہ نشان کے طور پر رہتا ہے) اور وہ مضامین اور تبصرہ نگار جو اس نے بنائے اور کوئی اور استعمال نہیں کرتا۔

## قارئین کے اکاؤنٹ اور ای میل کے لنک والے صفحات

account-site = تبصرے
account-tag = آپ کا اکاؤنٹ
account-home-title = آپ کا اکاؤنٹ
account-signed-in = سائن ان ہو گئے
account-signed-in-text = آپ سائن ان ہو گئے ہیں؛ آپ کو مضمون پر واپس لے جا رہے ہیں۔
account-back-to-article = مضمون پر واپس
account-back-to-articles = مضامین پر واپس
account-foreign-form = یہ فارم کسی دوسری سائٹ کے صفحے سے بھیجا گیا؛ کچھ نہیں بدلا۔
account-sign-in-with = { $provider } سے سائن ان کریں
account-sign-in = سائن ان
account-sign-up-title = اکاؤنٹ بنائیں
account-sign-up-submit = اکاؤنٹ بنائیں
account-have-one = میرا اکاؤنٹ ہے: سائن ان کریں
account-field-name = آپ کے تبصروں کے ساتھ دکھایا جانے والا نام
account-field-email = ای میل
account-field-password = پاس ورڈ
account-field-new-password = پاس ورڈ (10 یا زیادہ حروف)
account-check-mail = اپنی ای میل دیکھیں
account-sent-confirm = ہم نے { $email } پر ایک لنک بھیجا ہے۔ اپنا پتا تصدیق کرنے کے لیے اسے کھولیں، پھر سائن ان کریں۔
account-email-confirmed = ای میل کی تصدیق ہو گئی
account-email-confirmed-text = آپ کے پتے کی تصدیق ہو گئی۔ اب آپ سائن ان کر سکتے ہیں۔
account-link-expired = لنک کی مدت ختم
account-link-expired-sign-in = اس لنک کی مدت ختم ہو چکی ہے یا یہ استعمال ہو چکا ہے۔ نیا لنک لینے کے لیے سائن ان کریں۔
account-link-expired-reset = اس لنک کی مدت ختم ہو چکی ہے یا یہ استعمال ہو چکا ہے؛ نیا لنک منگوائیں۔
account-forgot = پاس ورڈ بھول گئے؟
account-wrong = ای میل یا پاس ورڈ غلط ہے۔
account-unverified = پہلے اپنے پتے کی تصدیق کریں: ہم نے { $email } پر نیا لنک بھیجا ہے۔
account-reset-title = اپنا پاس ورڈ بدلیں
account-reset-text = ہم آپ کو نیا پاس ورڈ چننے کا لنک ای میل کریں گے۔
account-reset-submit = لنک بھیجیں
account-reset-sent = اگر اس پتے کا کوئی اکاؤنٹ ہے تو ہم نے اسے نیا پاس ورڈ چننے کا لنک بھیج دیا ہے۔
account-new-password-title = نیا پاس ورڈ چنیں
account-new-password-submit = پاس ورڈ رکھیں
account-password-changed = پاس ورڈ بدل گیا
account-password-changed-text = آپ کا پاس ورڈ بدل گیا اور ہر سیشن سے سائن آؤٹ کر دیا گیا۔ نئے پاس ورڈ سے سائن ان کریں۔
account-error-name_empty = براہِ کرم اپنے تبصروں کے ساتھ دکھانے کے لیے نام لکھیں۔
account-error-name_too_long = یہ نام بہت لمبا ہے۔ براہِ کرم اسے مختصر کریں۔
account-error-name_invalid = اس نام میں ایسے حروف ہیں جو ہم نہیں دکھا سکتے۔ براہِ کرم اسے بدلیں۔
account-error-email_empty = براہِ کرم اپنا ای میل پتا لکھیں۔
account-error-email_invalid = یہ ای میل پتا درست نہیں لگتا۔
account-error-email_too_long = یہ ای میل پتا بہت لمبا ہے۔
account-error-password_too_short = کم از کم 10 حروف کا پاس ورڈ چنیں۔
account-error-password_too_long = پاس ورڈ زیادہ سے زیادہ 200 حروف کا ہو سکتا ہے۔
account-oidc-failed = سائن ان نہیں ہو سکا
account-oidc-back = سائن ان پر واپس
account-oidc-provider = فراہم کنندہ کا جواب: { $why }
account-oidc-not-started = یہ سائن ان یہاں شروع نہیں ہوا، یا بہت دیر لگ گئی؛ دوبارہ شروع کریں۔
account-oidc-foreign = یہ جواب اس سائن ان کا نہیں؛ دوبارہ شروع کریں۔
account-oidc-no-code = فراہم کنندہ نے کوئی کوڈ نہیں بھیجا۔
account-signed-out-everywhere = باقی ہر سیشن سے سائن آؤٹ کر دیا گیا۔
account-confirmed = (تصدیق شدہ)
account-none = کوئی نہیں
account-signs-in-with = سائن ان کا طریقہ
account-with-password = ای میل اور پاس ورڈ
account-sessions = کھلے سیشن
account-on-site = { $site } پر
account-replies-heading = آپ کو جوابات
account-replies-text = آپ کے تبصروں کے جوابات کی فیڈ، فیڈ ریڈر کے لیے۔ یہ لنک آپ کا ہے: جس کے پاس ہو وہ جوابات پڑھ سکتا ہے (جو ویسے بھی عوامی ہیں) اور دیکھ سکتا ہے کہ یہ آپ کو دیے گئے۔
account-replies-feed = { $site } پر جوابات (Atom)
account-data-heading = آپ کا ڈیٹا
account-export = ہمارے پاس آپ کا سب کچھ ڈاؤن لوڈ کریں (JSON)
account-sessions-heading = سیشن
account-sign-out-everywhere = ہر جگہ سے سائن آؤٹ
account-delete-heading = اپنا اکاؤنٹ حذف کریں
account-delete-text = آپ کے سیشن اور سائن ان کی تفصیلات فوراً ختم ہو جاتی ہیں۔ آپ کے تبصروں کا فیصلہ ہر سائٹ خود کرتی ہے: حذف، یا “حذف شدہ صارف” کے نام سے باقی۔
account-delete-type = تصدیق کے لیے { $word } لکھیں
account-delete-submit = میرا اکاؤنٹ حذف کریں
account-delete-confirm = اکاؤنٹ حذف کرنے کے لیے خانے میں لفظ delete لکھیں؛ کچھ نہیں بدلا۔
account-deleted = اکاؤنٹ حذف ہو گیا
account-deleted-text = آپ کا اکاؤنٹ حذف ہو گیا۔ آپ کے { $removed } تبصرے ہٹا دیے گئے؛ باقی، اگر ہیں، اب “{ $shown }” کے نام سے دکھائی دیتے ہیں۔
mail-page-bad-link = یہ لنک کام نہیں کرتا
mail-page-bad-link-text = لنک ادھورا ہے یا بدل گیا ہے۔ اسے ای میل سے پورا دوبارہ کھولیں۔
mail-page-failed = یہ نہیں ہو سکا
mail-page-failed-text = ہماری طرف کچھ خرابی ہوئی۔ تھوڑی دیر میں لنک دوبارہ آزمائیں۔
mail-page-nothing = تصدیق کو کچھ نہیں
mail-page-nothing-text = جن تبصروں کے ساتھ یہ پتا دیا گیا تھا وہ اب موجود نہیں۔
mail-page-confirmed = پتے کی تصدیق ہو گئی
mail-page-confirmed-text = شکریہ۔ { $site } پر اس پتے والے آپ کے تبصرے اب ایک نام کے تحت ہیں، اور جب کوئی نگران ان میں سے کسی پر فیصلہ کرے گا تو ہم آپ کو ای میل کریں گے۔
mail-page-unsubscribed = جوابات کی ای میل بند
mail-page-unsubscribed-text = { $site } اب { $email } پر جوابات ای میل نہیں کرے گی۔
mail-page-unsubscribed-short = بند کر دیا گیا۔
mail-page-resubscribe = مجھے دوبارہ جوابات ای میل کریں
mail-page-resubscribed = جوابات کی ای میل پھر سے شروع
mail-page-resubscribed-text = { $site } آپ کے تبصروں کے جوابات پھر سے { $email } پر ای میل کرے گی۔
mail-page-gone = یہ تبصرہ موجود نہیں
mail-page-gone-text = یہ حذف ہو چکا ہے، اس لیے دوبارہ دیکھنے کو کچھ نہیں۔
mail-page-appeal-text = آپ کا تبصرہ: “{ $comment }”۔ چند الفاظ میں بتائیں کہ اسے کیوں شائع ہونا چاہیے؛ ایک نگران اسے دوبارہ پڑھے گا۔
mail-page-appeal-field = اسے کیوں شائع ہونا چاہیے
mail-page-appealed = پہلے ہی دوبارہ دیکھا جا چکا
mail-page-appealed-text = اس تبصرے پر پہلے اپیل ہو چکی ہے، یا یہ اب مسترد نہیں۔
mail-page-appeal-sent = نگرانوں کو بھیج دیا گیا
mail-page-appeal-sent-text = ایک نگران آپ کا تبصرہ آپ کی بات کے ساتھ دوبارہ پڑھے گا۔ وہ جو فیصلہ کریں گے ہم آپ کو ای میل کریں گے۔
widget-error-appeal_too_long = یہ اپیل کی حد سے لمبا ہے۔ براہِ کرم اسے مختصر کریں۔

## تبصرہ نگاروں اور نگرانوں کو ای میل (سائٹ کی زبان میں)

mail-hello = { $name } صاحب/صاحبہ،
mail-or-more = { $n } یا زیادہ
mail-published = یہ شائع ہو گیا ہے۔
mail-published-at =
    یہ شائع ہو گیا ہے:
    { $link }
mail-waiting-because =
    یہ ایک نگران کے پڑھنے کا منتظر ہے، کیونکہ:
    { $why }
mail-rejected-because =
    یہ شائع نہیں ہوا، کیونکہ:
    { $why }
mail-confirm-subject = { $site } پر تبصروں کے لیے اپنے پتے کی تصدیق کریں
mail-confirm-body =
    { $name } صاحب/صاحبہ،

    آپ نے اس پتے کے ساتھ “{ $title }” ({ $site }) پر تبصرہ کیا۔

    { $excerpt }

    { $standing }

    یہ پتا آپ کا ہے، اس کی تصدیق کے لیے یہ لنک کھولیں:
    { $link }

    تصدیق سے { $site } پر آپ کے تبصرے ایک نام کے تحت آ جاتے ہیں، اور جب کوئی نگران آپ کے کسی تبصرے پر فیصلہ کرے (اور، اگر آپ نے کہا ہو، جب کوئی جواب دے) تو ہم آپ کو ای میل کر سکتے ہیں۔

    اگر یہ آپ نہیں تھے تو اس ای میل کو نظر انداز کریں: تصدیق کے بغیر اس پتے پر مزید کچھ نہیں بھیجا جاتا۔
mail-held-subject = “{ $title }” پر آپ کا تبصرہ نگران کا منتظر ہے
mail-held-again = نگران کے فیصلے کے بعد ہم آپ کو پھر ای میل کریں گے۔
mail-published-subject = “{ $title }” پر آپ کا تبصرہ شائع ہو گیا
mail-published-after-hold = ایک نگران نے آپ کا تبصرہ پڑھ کر شائع کر دیا۔
mail-rejected-subject = “{ $title }” پر آپ کا تبصرہ شائع نہیں ہوا
mail-appeal-final = ایک نگران آپ کی اپیل بھی پڑھ چکا ہے: یہ فیصلہ حتمی ہے۔
mail-appeal-offer =
    اگر آپ کے خیال میں یہ غلطی ہے تو وجہ بتائیں، ایک نگران اسے دوبارہ پڑھے گا:
    { $link }
mail-outcome-body =
    { $name } صاحب/صاحبہ،

    { $body }

    — { $site } کے نگران
mail-reply-line = { $name } نے “{ $title }” پر جواب دیا:
mail-reply-subject-one = “{ $title }” پر آپ کے تبصرے کا جواب
mail-reply-subject-many = { $site } پر آپ کے تبصروں کے { $n } جوابات
mail-reply-footer =
    یہ آپ کو اس لیے ملا کہ آپ نے { $site } پر جوابات ای میل سے مانگے تھے؛ جوابات اکٹھے کر کے زیادہ سے زیادہ ہر { $minutes } منٹ میں ایک ای میل بھیجی جاتی ہے۔
    یہ ای میل بند کریں: { $link }
mail-digest-subject = { $n } تبصرے نگران کے منتظر
mail-digest-waiting = آپ کے منتظر: { $held } روکے گئے، { $reported } شکایت شدہ۔
mail-digest-held = روکے گئے، پرانے پہلے:
mail-digest-reported = شکایت شدہ، پرانے پہلے:
mail-digest-item = “{ $title }” پر { $name }
mail-digest-more = اور { $n } مزید
mail-digest-footer =
    قطار: { $link }

    جب تک تبصرے منتظر ہوں یہ آپ کو ہر { $hours } گھنٹے ملتی ہے؛ اسے قطار کے اوپر بدلیں۔
dash-hook-error-address = پتا مکمل http:// یا https:// URL ہونا چاہیے۔
dash-hook-error-no_events = کم از کم ایک واقعہ چنیں۔
dash-hook-error-event = “{ $event }” نام کا کوئی واقعہ نہیں۔
dash-hook-error-format = صورت json، slack یا discord ہو سکتی ہے۔
dash-import-busy = اس سائٹ میں ایک درآمد ابھی چل رہی ہے؛ اس کے ختم ہونے کا انتظار کریں۔
dash-import-unknown-format = فائل کے پہلے بائٹس سے اس کی صورت معلوم نہیں ہو سکی: فہرست سے چنیں۔
dash-import-bad-format = نامعلوم صورت “{ $format }”۔
dash-import-bad-map = پتے کا اصول “{ $rule }”: { $why }
dash-import-unreadable = اپ لوڈ پڑھی نہیں جا سکی: { $why }
dash-import-no-file = کوئی فائل نہیں چنی گئی
account-export-not-kept = پاس ورڈ صرف Argon2 ہیش کی صورت میں رکھے جاتے ہیں اور برآمد نہیں ہوتے؛ نیٹ ورک پتے صرف نمک لگے ہیش کی صورت میں رکھے جاتے ہیں جو ہر مدت میں بدل جاتے ہیں، اور آپ سے جوڑے نہیں جا سکتے۔
