//! The demo site: one article written for Jirga and a handful of comments on it, seeded on
//! the first `jirga demo` and left alone after that.

use chrono::{Duration, Utc};
use jirga_domain::{CommentBody, CommentStatus, SiteId, ThreadKey};
use jirga_moderation::SitePolicy;
use jirga_store::{
    AuthorRef, Moderated, NewAuthor, NewComment, NewSite, Store, StoreResult, ThreadUpdate,
};

pub const SITE: &str = "demo";
pub const THREAD: &str = "/articles/flood-warnings";

pub struct Article {
    /// The page it is served at, and its thread's key.
    pub path: &'static str,
    pub thread: &'static str,
    /// The language it is written in (a catalogue's tag): the page's `lang`, so the widget's.
    pub lang: &'static str,
    /// The paper's name on the masthead.
    pub paper: &'static str,
    /// Top-level comments per page (small, so paging shows).
    pub page_size: u32,
    pub section: &'static str,
    pub headline: &'static str,
    pub standfirst: &'static str,
    pub byline: &'static str,
    pub dateline: &'static str,
    pub date: &'static str,
    pub paragraphs: &'static [&'static str],
}

pub const ARTICLE: Article = Article {
    path: "/",
    thread: THREAD,
    lang: "en",
    paper: "The Valley Ledger",
    page_size: 5,
    section: "Region",
    headline: "Two river districts agree to share flood warnings after spring near-misses",
    standfirst: "A joint monitoring office is meant to cut the time between a river gauge alarm and a \
                 public alert from hours to minutes.",
    byline: "Lena Ostrowski",
    dateline: "HOLMBRIDGE",
    date: "November 20, 2026",
    paragraphs: &[
        "The Holmbridge and Lower Vale district councils have agreed to run a single flood-warning \
         office for the whole river valley, ending a system in which each district watched its own \
         gauges and phoned the other when the water rose.",
        "The agreement, approved by both councils on Wednesday evening, follows two near-misses in \
         April, when heavy rain upstream raised the river by more than a metre overnight. Residents \
         of Lower Vale received their first official alert almost three hours after the Holmbridge \
         gauges crossed the warning line.",
        "Under the new arrangement, readings from all eleven gauges on the river and its two main \
         tributaries will feed one control room staffed around the clock during the wet season. The \
         office will be able to send text and siren alerts to both districts at once.",
        "\u{201c}Water does not stop at the district boundary, and neither should the warning,\u{201d} \
         said Holmbridge council leader Priya Natarajan after the vote. Her Lower Vale counterpart, \
         Gareth Lloyd, said the shared office would also let both councils plan sandbag stocks and \
         road closures together.",
        "The districts will split the running costs 60/40 in proportion to the number of homes at \
         risk. A national resilience grant covers the equipment and the first three years of staff; \
         the councils say the arrangement will be reviewed before the grant ends in 2029.",
        "Upstream villages outside both districts are not party to the agreement, although their \
         gauges are included in the data feed. Gauge readings will be published online every \
         fifteen minutes, a step campaigners for open flood data had requested since 2023.",
        "The control room is expected to open in the council building on Station Road before the \
         end of January. Until then, residents should keep using the existing district alert \
         services.",
    ],
};

/// The Urdu edition's thread.
pub const URDU_THREAD: &str = "/ur/articles/flood-warnings";

/// The same story in the paper's Urdu edition, with its own thread: the demo of a right-to-left
/// page and widget.
pub const URDU_ARTICLE: Article = Article {
    path: "/ur",
    thread: URDU_THREAD,
    lang: "ur",
    paper: "وادی لیجر",
    page_size: 2,
    section: "علاقہ",
    headline: "دریا کے دو اضلاع بہار کے خطرناک دنوں کے بعد سیلاب کی وارننگ مل کر دیں گے",
    standfirst: "مشترکہ نگرانی کا دفتر دریا کے پیمانے کے الارم اور عوامی انتباہ کے درمیان وقت \
                 گھنٹوں سے گھٹا کر منٹوں تک لانے کے لیے بنایا جا رہا ہے۔",
    byline: "لینا اوسٹروسکی",
    dateline: "ہولم برج",
    date: "20 نومبر 2026",
    paragraphs: &[
        "ہولم برج اور لوئر ویل کی ضلعی کونسلوں نے پوری وادی کے لیے سیلاب کی وارننگ کا ایک ہی دفتر \
         چلانے پر اتفاق کیا ہے۔ اب تک ہر ضلع اپنے پیمانے خود دیکھتا تھا اور پانی چڑھنے پر دوسرے کو \
         فون کرتا تھا۔",
        "یہ فیصلہ اپریل کے دو واقعات کے بعد ہوا، جب اوپر کی طرف شدید بارش سے دریا ایک رات میں ایک \
         میٹر سے زیادہ چڑھ گیا۔ لوئر ویل کے رہائشیوں کو پہلا سرکاری انتباہ ہولم برج کے پیمانوں کے \
         خطرے کی حد پار کرنے کے تقریباً تین گھنٹے بعد ملا۔",
        "نئے انتظام میں دریا اور اس کے دو بڑے معاون دریاؤں کے گیارہ پیمانوں کی ریڈنگ ایک کنٹرول \
         روم میں آئے گی جو برسات کے موسم میں چوبیس گھنٹے کھلا رہے گا۔ دفتر دونوں اضلاع کو ایک ساتھ \
         موبائل پیغام اور سائرن کے ذریعے خبردار کر سکے گا۔",
        "اخراجات دونوں اضلاع خطرے میں گھروں کی تعداد کے حساب سے 60/40 بانٹیں گے۔ سامان اور پہلے \
         تین سال کا عملہ قومی گرانٹ سے چلے گا، جو 2029 میں ختم ہو گی۔ پیمانوں کی ریڈنگ ہر پندرہ منٹ \
         بعد آن لائن شائع ہو گی۔",
    ],
};

/// The demo's articles, each with its own page and thread.
pub const ARTICLES: [(&Article, &[SeedComment]); 2] =
    [(&ARTICLE, COMMENTS), (&URDU_ARTICLE, URDU_COMMENTS)];

/// The demo's site and article, for the front page.
#[derive(Debug, Clone)]
pub struct DemoSite {
    pub site: SiteId,
    pub thread: ThreadKey,
}

pub struct Seeded {
    pub demo: DemoSite,
    /// The site's API key, when this call created the site (it cannot be shown again).
    pub api_key: Option<String>,
    /// The demo moderator's password, when this call created it (shown once).
    pub moderator_password: Option<String>,
}

/// The demo site's moderator, who signs in at /moderate.
pub const MODERATOR_EMAIL: &str = "moderator@demo.example";

pub struct SeedComment {
    author: &'static str,
    org: Option<&'static str>,
    /// Index of the comment answered, in this list.
    reply_to: Option<usize>,
    hours_ago: i64,
    body: &'static str,
}

const ORG_NAME: &str = "Valley Water Board";
const ORG_AFFILIATION: &str = "Public Information Office, Valley Water Board";

const COMMENTS: &[SeedComment] = &[
    SeedComment {
        author: "Marta Lindqvist",
        org: None,
        reply_to: None,
        hours_ago: 150,
        body: "About time. In April the siren on our street went off forty minutes after the water \
               was already in the cellars. If one office really gets the alert out in minutes, \
               that is money well spent.",
    },
    SeedComment {
        author: ORG_NAME,
        org: Some(ORG_AFFILIATION),
        reply_to: None,
        hours_ago: 140,
        body: "Thank you for covering this. One clarification: the joint office does not replace \
               the emergency number. Residents can register for text alerts at either district \
               office from **1 December**, and the gauge readings will be public every fifteen \
               minutes, as the article says.",
    },
    SeedComment {
        author: "Tomasz Kowal",
        org: None,
        reply_to: None,
        hours_ago: 96,
        body: "Who pays for the staff once the grant runs out in 2029? A 60/40 split of what, \
               exactly?",
    },
    SeedComment {
        author: "Dana Reyes",
        org: None,
        reply_to: Some(2),
        hours_ago: 90,
        body: "The council papers say the split continues from the general budget after 2029, \
               with a review in 2028. Not guaranteed, but it is written down.",
    },
    SeedComment {
        author: "Ibrahim Saleh",
        org: None,
        reply_to: None,
        hours_ago: 70,
        body: "Good news, but the upstream villages are outside the agreement and half of the \
               water comes from there. Will they get the alerts too?",
    },
    SeedComment {
        author: ORG_NAME,
        org: Some(ORG_AFFILIATION),
        reply_to: Some(4),
        hours_ago: 66,
        body: "Their gauges feed the same control room, and the villages can join the text alert \
               list. A formal agreement with them is being discussed.",
    },
    SeedComment {
        author: "June Park",
        org: None,
        reply_to: None,
        hours_ago: 30,
        body: "The real test is whether people trust the alerts. Too many false alarms and \
               everyone ignores them, so I hope the office publishes how often it was right.",
    },
    SeedComment {
        author: "Rafael Monteiro",
        org: None,
        reply_to: None,
        hours_ago: 6,
        body: "Will the alerts come in languages other than English? Many families in the lower \
               town speak Portuguese or Polish at home.",
    },
    SeedComment {
        author: "Kwame Asante",
        org: None,
        reply_to: None,
        hours_ago: 1,
        body: "Publishing the gauge data openly is the best part of this. Then anyone can check \
               the office's calls against the river.",
    },
];

/// Comments on the Urdu edition, in Urdu script, in Roman Urdu, and with English names inside.
const URDU_COMMENTS: &[SeedComment] = &[
    SeedComment {
        author: "عائشہ ملک",
        org: None,
        reply_to: None,
        hours_ago: 50,
        body: "بہت اچھا فیصلہ ہے۔ اپریل میں ہماری گلی میں پانی تہہ خانوں تک آ چکا تھا جب سائرن بجا۔ \
               اگر ایک دفتر واقعی منٹوں میں خبر دے سکے تو یہ پیسہ ٹھیک جگہ لگ رہا ہے۔",
    },
    SeedComment {
        author: "Bilal Ahmed",
        org: None,
        reply_to: Some(0),
        hours_ago: 44,
        body: "متفق ہوں۔ Gareth Lloyd نے کونسل میں کہا تھا کہ ریت کی بوریاں بھی اب مل کر رکھی \
               جائیں گی، یہ بھی اہم ہے۔",
    },
    SeedComment {
        author: "فرحان قریشی",
        org: None,
        reply_to: None,
        hours_ago: 20,
        body: "گرانٹ 2029 میں ختم ہو جائے گی، اس کے بعد عملے کی تنخواہیں کون دے گا؟ یہ بات \
               مضمون میں واضح نہیں۔",
    },
    SeedComment {
        author: "Sana",
        org: None,
        reply_to: None,
        hours_ago: 3,
        body: "Alerts Urdu mein bhi aayen to behtar hoga, gaon ke buzurg angrezi ke message nahi \
               parhte.",
    },
];

/// Creates the demo site, article and comments unless the site exists already.
pub async fn seed(store: &dyn Store, origins: Vec<String>) -> StoreResult<Seeded> {
    let demo = DemoSite {
        site: SiteId::parse(SITE).map_err(|e| jirga_store::StoreError::Backend(e.to_string()))?,
        thread: ThreadKey::parse(THREAD)
            .map_err(|e| jirga_store::StoreError::Backend(e.to_string()))?,
    };
    if store.site(&demo.site).await?.is_some() {
        // A demo folder from before an edition existed gets that edition (the Urdu one).
        seed_articles(store, &demo.site, None).await?;
        return Ok(Seeded {
            demo,
            api_key: None,
            moderator_password: None,
        });
    }
    let (api_key, api_key_hash) = crate::auth::new_api_key();
    store
        .create_site(NewSite {
            id: demo.site.clone(),
            name: "The Valley Ledger (Jirga demo)".into(),
            allowed_origins: origins,
            auto_create_threads: true,
            policy: SitePolicy::default(),
            api_key_hash,
        })
        .await?;
    let org = store
        .create_author(NewAuthor {
            site_id: demo.site.clone(),
            name: ORG_NAME.into(),
            email: Some("press@valleywater.example".into()),
            affiliation: Some(ORG_AFFILIATION.into()),
            verified: true,
        })
        .await?;
    seed_articles(store, &demo.site, Some(org)).await?;
    let (password, _) = crate::auth::new_api_key();
    let hash = crate::auth::hash_password_now(&password)
        .map_err(|e| jirga_store::StoreError::Backend(e.to_string()))?;
    let moderator = store
        .create_moderator(
            MODERATOR_EMAIL,
            "Demo Moderator",
            &hash,
            std::slice::from_ref(&demo.site),
        )
        .await?;
    // The demo's moderator is also its admin, so the Authors page (badges) can be tried.
    store.grant_admin(moderator, &demo.site).await?;
    Ok(Seeded {
        demo,
        api_key: Some(api_key),
        moderator_password: Some(password),
    })
}

/// Each demo article whose thread does not exist yet, with its comments; `org` is the
/// verified organisation's author record (made with the site).
async fn seed_articles(
    store: &dyn Store,
    site: &SiteId,
    org: Option<jirga_domain::AuthorId>,
) -> StoreResult<()> {
    let now = Utc::now();
    for (article, comments) in ARTICLES {
        let key = ThreadKey::parse(article.thread)
            .map_err(|e| jirga_store::StoreError::Backend(e.to_string()))?;
        if store.thread(site, &key).await?.is_some() {
            continue;
        }
        let thread = store
            .put_thread(
                site,
                &key,
                ThreadUpdate {
                    title: Some(article.headline.into()),
                    url: Some(article.path.into()),
                    text: Some(article.text()),
                    closed: Some(false),
                },
            )
            .await?;
        let mut ids = Vec::with_capacity(comments.len());
        for c in comments {
            let body = CommentBody::parse(c.body, Default::default())
                .map_err(|e| jirga_store::StoreError::Backend(e.to_string()))?;
            let author = match (c.org, org) {
                (Some(_), Some(id)) => AuthorRef::Existing(id),
                _ => AuthorRef::Guest {
                    name: c.author.into(),
                    email: None,
                },
            };
            let (_, token_hash) = crate::auth::new_api_key();
            let stored = store
                .insert_comment(NewComment {
                    ip_hash: None,
                    thread_id: thread.id,
                    parent_id: c.reply_to.map(|i| ids[i]),
                    author,
                    body_markdown: body.markdown().into(),
                    body_html: body.html().into(),
                    moderated: Moderated {
                        status: CommentStatus::Published,
                        reasons: Vec::new(),
                        version: "demo-seed".into(),
                        abuse: None,
                        on_topic: None,
                    },
                    edit_token_hash: token_hash,
                    created_at: now - Duration::hours(c.hours_ago),
                    text_hash: jirga_moderation::text_hash(body.markdown()),
                })
                .await?;
            ids.push(stored.id);
        }
    }
    Ok(())
}

/// The English article as plain text, for moderation to compare comments with.
pub fn article_text() -> String {
    ARTICLE.text()
}

impl Article {
    /// The article as plain text, for moderation to compare comments with.
    pub fn text(&self) -> String {
        let mut text = format!("{}\n\n{}\n\n", self.headline, self.standfirst);
        for p in self.paragraphs {
            text.push_str(&p.split_whitespace().collect::<Vec<_>>().join(" "));
            text.push_str("\n\n");
        }
        text
    }
}
