//! Comment text to HTML: plain text with links, `@mentions` and light markdown
//! (`**bold**`, `*italic*`, `` `code` ``), safe by construction — every character of user text
//! is escaped first, and only the tags written here are ever emitted.

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Renders a comment body. `is_member` says whether an `@handle` names a project member
/// (those become highlighted mentions; other `@words` stay text).
pub fn render(body: &str, is_member: &dyn Fn(&str) -> bool) -> String {
    body.split('\n')
        .map(|line| render_line(line, is_member))
        .collect::<Vec<_>>()
        .join("<br>")
}

fn render_line(line: &str, is_member: &dyn Fn(&str) -> bool) -> String {
    let mut out = String::new();
    // Code spans first: nothing inside them is formatted.
    for (i, part) in line.split('`').enumerate() {
        let closed = i % 2 == 1 && line.split('`').count() > i + 1;
        if closed {
            out.push_str("<code>");
            out.push_str(&escape(part));
            out.push_str("</code>");
        } else {
            if i % 2 == 1 {
                out.push('`');
            }
            out.push_str(&render_words(part, is_member));
        }
    }
    out
}

fn render_words(text: &str, is_member: &dyn Fn(&str) -> bool) -> String {
    let mut out = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        let split = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let (word, tail) = rest.split_at(split);
        let ws_end = tail.find(|c: char| !c.is_whitespace()).unwrap_or(tail.len());
        out.push_str(&render_word(word, is_member));
        out.push_str(&escape(&tail[..ws_end]));
        rest = &tail[ws_end..];
    }
    emphasis(&out)
}

fn render_word(word: &str, is_member: &dyn Fn(&str) -> bool) -> String {
    let trimmed = word.trim_end_matches(['.', ',', ')', '!', '?', ';', ':']);
    let trailing = &word[trimmed.len()..];
    if (trimmed.starts_with("https://") || trimmed.starts_with("http://")) && trimmed.len() > 8 {
        let url = escape(trimmed);
        return format!(
            r#"<a href="{url}" rel="nofollow noopener noreferrer" target="_blank">{url}</a>{}"#,
            escape(trailing)
        );
    }
    if let Some(handle) = trimmed.strip_prefix('@') {
        if !handle.is_empty() && is_member(handle) {
            return format!(
                r#"<span class="mention">@{}</span>{}"#,
                escape(handle),
                escape(trailing)
            );
        }
    }
    escape(word)
}

// `**x**` and `*x*` over already escaped text (the markers are not escaped characters).
fn emphasis(html: &str) -> String {
    let bold = pairs(html, "**", "strong");
    pairs(&bold, "*", "em")
}

fn pairs(html: &str, marker: &str, tag: &str) -> String {
    let parts: Vec<&str> = html.split(marker).collect();
    if parts.len() < 3 {
        return html.to_owned();
    }
    let mut out = String::new();
    let pairs = (parts.len() - 1) / 2;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            let opening = i % 2 == 1;
            if i <= pairs * 2 {
                out.push_str(if opening { "<" } else { "</" });
                out.push_str(tag);
                out.push('>');
            } else {
                out.push_str(marker);
            }
        }
        out.push_str(part);
    }
    out
}

/// The `@handles` in a body (without the `@`), in order, without repeats.
pub fn mentions(body: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for word in body.split(|c: char| c.is_whitespace()) {
        if let Some(handle) = word.strip_prefix('@') {
            let handle = handle.trim_end_matches(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-' || c == '.'));
            let handle = handle.trim_end_matches('.');
            if !handle.is_empty() && !found.iter().any(|f| f.eq_ignore_ascii_case(handle)) {
                found.push(handle.to_owned());
            }
        }
    }
    found
}

/// A member's mention handle: their e-mail's local part (unique enough inside a project, and
/// typed without spaces).
pub fn handle_of(email: &str) -> &str {
    email.split('@').next().unwrap_or(email)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anyone(_: &str) -> bool {
        true
    }

    #[test]
    fn escapes_everything_the_user_typed() {
        let html = render(r#"<script>alert("x")</script> & <img src=x onerror=y>"#, &anyone);
        assert_eq!(
            html,
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=y&gt;"
        );
    }

    #[test]
    fn links_mentions_and_emphasis() {
        let html = render(
            "see https://example.com/a?b=1&c=2. **now** @ana *please* `**raw**`\nok",
            &|h| h == "ana",
        );
        assert_eq!(
            html,
            "see <a href=\"https://example.com/a?b=1&amp;c=2\" rel=\"nofollow noopener noreferrer\" target=\"_blank\">https://example.com/a?b=1&amp;c=2</a>. <strong>now</strong> <span class=\"mention\">@ana</span> <em>please</em> <code>**raw**</code><br>ok"
        );
        assert_eq!(render("@bob hi", &|h| h == "ana"), "@bob hi");
        assert_eq!(render("javascript:alert(1)", &anyone), "javascript:alert(1)");
        assert_eq!(render("2 * 3 = 6", &anyone), "2 * 3 = 6");
    }

    #[test]
    fn finds_mentions_once() {
        assert_eq!(
            mentions("@ana and @bob.smith, @ana! email@x.y"),
            vec!["ana", "bob.smith"]
        );
        assert_eq!(handle_of("ana.lopez@example.com"), "ana.lopez");
    }
}
