//! What every page template receives: the layout (language, demo banner, who is signed in) and
//! small helpers templates call for labels and links.

use onewindow_domain::catalogue::{Labelled, Org, OrgCode};

use crate::i18n::Lang;

/// The frame around every page.
#[derive(Debug, Clone)]
pub struct Layout {
    pub lang: Lang,
    pub demo: bool,
    /// The signed-in staff member's display name.
    pub user: Option<String>,
    pub is_admin: bool,
    /// Where the signed-in person works: `/workbench` for staff, `/my/cases` for enterprises.
    pub workspace: Option<(&'static str, &'static str)>,
    /// A window clerk gets the window page in the navigation.
    pub is_clerk: bool,
    /// The current path and query, so the language switch comes back here.
    pub here: String,
    pub title: String,
    /// The CSRF token forms echo back (signed-in pages only).
    pub csrf: String,
    /// The signed-in person's unread notifications (shown beside "Notifications").
    pub unread: u64,
}

impl Layout {
    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }

    pub fn label<L: Labelled>(&self, value: L) -> &'static str {
        value.label_for(self.lang.is_en())
    }

    pub fn en(&self) -> bool {
        self.lang.is_en()
    }

    /// The link that switches language and returns here.
    pub fn switch_href(&self) -> String {
        format!(
            "/lang/{}?back={}",
            self.lang.other().code(),
            percent_encode(&self.here)
        )
    }

    pub fn switch_label(&self) -> &'static str {
        match self.lang {
            Lang::Zh => "English",
            Lang::En => "中文",
        }
    }

    /// An org's name in the reader's language, or its code when unknown.
    pub fn org_name(&self, orgs: &[Org], code: &OrgCode) -> String {
        orgs.iter()
            .find(|o| &o.code == code)
            .map(|o| o.name(self.en()).to_owned())
            .unwrap_or_else(|| code.to_string())
    }

    /// Column heads of a week starting on Monday.
    pub fn weekdays(&self) -> [&'static str; 7] {
        match self.lang {
            Lang::Zh => ["一", "二", "三", "四", "五", "六", "日"],
            Lang::En => ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"],
        }
    }

    /// Singular/plural-free "N working days" in either language.
    pub fn days(&self, n: &u32) -> String {
        match self.lang {
            Lang::Zh => format!("{n}个工作日"),
            Lang::En => format!("{n} working days"),
        }
    }
}

/// Percent-encodes everything but unreserved characters (for a query value).
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A query string built from non-empty pairs, for pagination links that keep the filters.
pub fn query_string(pairs: &[(&str, String)]) -> String {
    let kept: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", percent_encode(v)))
        .collect();
    if kept.is_empty() {
        String::new()
    } else {
        format!("?{}", kept.join("&"))
    }
}
