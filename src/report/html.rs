//! `index.html`: one self-contained report of a study, rendered from a template
//! (minijinja; the built-in one is `study.html.j2` beside this file, and `--template`
//! replaces it). The page is a [`Page`]: findings first, then sections of text, tables and
//! figures. Every chart is inlined as SVG with links to its PNG, SVG and data files beside the
//! page; nothing is loaded from elsewhere (no scripts, stylesheets, fonts or images by URL),
//! so the file opens offline.

use serde::Serialize;

use super::rows::AssetCsvRow;

/// The source list of `routes/README.md` (`- S12 text: url`), compiled in.
const ROUTES_README: &str = include_str!("../../routes/README.md");

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The page with the basemap path that every inlined map carries held once, in a hidden
/// `<svg>` at the top of the body, and each map's copy replaced by a `<use>` of it.
pub fn share_basemap(page: &str) -> String {
    use super::map::{BASEMAP_PATH_PREFIX, BASEMAP_USE};
    let Some(first) = page.find(BASEMAP_PATH_PREFIX) else {
        return page.to_string();
    };
    let Some(len) = page[first..].find("/>") else {
        return page.to_string();
    };
    let path = &page[first..first + len + 2];
    let shared = page.replace(path, BASEMAP_USE);
    let defs = format!(
        "<svg width=\"0\" height=\"0\" style=\"position:absolute\" aria-hidden=\"true\"><defs>{path}</defs></svg>\n"
    );
    match shared.find("<body>\n") {
        Some(i) => {
            let at = i + "<body>\n".len();
            format!("{}{defs}{}", &shared[..at], &shared[at..])
        }
        None => shared,
    }
}

/// `S12` → its citation line in `routes/README.md`, scheme stripped so the report links to
/// nothing.
fn citation(tag: &str) -> Option<String> {
    ROUTES_README.lines().find_map(|l| {
        let rest = l.strip_prefix("- ")?.strip_prefix(tag)?;
        rest.starts_with(' ')
            .then(|| rest.trim().replace("https://", "").replace("http://", ""))
    })
}

/// Every source tag (`S12`) cited in the `source` column of `network_assets.csv`, with its
/// citation, in tag order.
pub fn sources(assets: &[AssetCsvRow]) -> Vec<(String, String)> {
    let mut tags = std::collections::BTreeSet::new();
    for a in assets {
        for w in a.source.split(|c: char| !c.is_ascii_alphanumeric()) {
            if let Some(n) = w.strip_prefix('S').and_then(|n| n.parse::<u32>().ok()) {
                tags.insert(n);
            }
        }
    }
    tags.into_iter()
        .map(|n| {
            let tag = format!("S{n}");
            let text = citation(&tag).unwrap_or_else(|| "(not in routes/README.md)".into());
            (tag, text)
        })
        .collect()
}

/// The built-in template of the study report.
pub const TEMPLATE: &str = include_str!("study.html.j2");

/// The built-in style sheet (screen, phone and print).
pub const STYLE: &str = include_str!("study.css");

/// A table cell: its text and whether it is a number (right-aligned, not wrapped); `href`
/// links it to a section of the page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    pub text: String,
    pub num: bool,
    pub href: Option<String>,
    /// An identifier shown under the text (the id the CSV files use).
    pub id: Option<String>,
    /// Set in code type (hashes, file names).
    pub code: bool,
}

impl Cell {
    pub fn text(t: impl Into<String>) -> Self {
        Cell {
            text: t.into(),
            num: false,
            href: None,
            id: None,
            code: false,
        }
    }
    pub fn num(t: impl Into<String>) -> Self {
        Cell {
            num: true,
            ..Cell::text(t)
        }
    }
    pub fn link(t: impl Into<String>, href: impl Into<String>) -> Self {
        Cell {
            href: Some(href.into()),
            ..Cell::text(t)
        }
    }
    pub fn code(t: impl Into<String>) -> Self {
        Cell {
            code: true,
            ..Cell::text(t)
        }
    }
    /// This cell with `id` shown under its text.
    pub fn with_id(self, id: impl Into<String>) -> Self {
        Cell {
            id: Some(id.into()),
            ..self
        }
    }
}

/// A table: column headings (with units), rows of cells, a caption above and a note below.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableView {
    pub caption: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    pub note: String,
    /// The file the figures come from, relative to the page (empty: none).
    pub source: String,
}

/// A link from the page to a file beside it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileLink {
    pub label: String,
    pub href: String,
}

/// A chart: numbered, titled, captioned, inlined, with its files one click away.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureView {
    pub id: String,
    pub number: usize,
    pub title: String,
    pub caption: String,
    /// The chart's SVG, ready to inline (`role="img"`, labelled by its `<title>`).
    pub svg: String,
    pub files: Vec<FileLink>,
}

/// One piece of a section.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Block {
    /// A paragraph of HTML (already escaped).
    Text {
        html: String,
    },
    Table {
        table: TableView,
    },
    Figure {
        figure: FigureView,
    },
    /// A bulleted list of HTML items (already escaped).
    List {
        items: Vec<String>,
    },
}

/// A section (an `<h2>`, its subsections `<h3>`).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Section {
    pub id: String,
    pub title: String,
    pub blocks: Vec<Block>,
    pub subsections: Vec<Section>,
}

/// One finding of the executive summary: a sentence with its number (HTML) and the section
/// that shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub html: String,
    pub href: String,
    pub link: String,
}

/// Everything a report template sees.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    pub title: String,
    /// What ran, one paragraph (HTML).
    pub lede: String,
    pub version: String,
    pub revision: String,
    pub findings: Vec<Finding>,
    pub sections: Vec<Section>,
    pub style: String,
}

/// Renders `page` with `template` (the built-in [`TEMPLATE`] when `None`), then holds the
/// basemap once.
///
/// # Errors
/// The template's own error (with its line), for a user's template that does not parse or
/// render.
pub fn render(page: &Page, template: Option<&str>) -> Result<String, String> {
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    // Escape what HTML needs (& < > "), not `/` and `'` as minijinja's default does: the
    // page stays readable as source, and "Mt/yr" stays "Mt/yr".
    env.set_formatter(|out, state, value| {
        if value.is_safe() || state.auto_escape() == minijinja::AutoEscape::None {
            return minijinja::escape_formatter(out, state, value);
        }
        let text = value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_string);
        out.write_str(&esc(&text))
            .map_err(|e| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, e.to_string()))
    });
    env.add_template("study.html", template.unwrap_or(TEMPLATE))
        .map_err(|e| template_error(&e))?;
    let html = env
        .get_template("study.html")
        .and_then(|t| t.render(minijinja::context! { page => page }))
        .map_err(|e| template_error(&e))?;
    Ok(share_basemap(&html))
}

/// Checks that `template` parses, before anything runs (a study takes minutes; its template's
/// syntax errors should not wait for the end). Errors found only while rendering (a missing
/// field, say) still show then.
///
/// # Errors
/// The first syntax error, with its line.
pub fn check_template(template: &str) -> Result<(), String> {
    let mut env = minijinja::Environment::new();
    env.add_template("study.html", template)
        .map(|_| ())
        .map_err(|e| template_error(&e))
}

/// A template error as one line: what went wrong, and where.
fn template_error(e: &minijinja::Error) -> String {
    match e.line() {
        Some(l) => format!("template line {l}: {e}"),
        None => format!("template: {e}"),
    }
}

/// An SVG chart made ready to inline as figure `id`: the XML prologue and namespace
/// declarations dropped (HTML does not need them), `role="img"` and labelled by a `<title>`
/// (the accessible name) and the figure's caption.
pub fn inline_svg(svg: &str, id: &str, title: &str) -> String {
    let start = svg.find("<svg").unwrap_or(0);
    let svg = svg[start..]
        .replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1)
        .replacen(
            "<svg ",
            &format!(
                "<svg class=\"chart\" role=\"img\" aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-caption\" "
            ),
            1,
        );
    match svg.find('>') {
        Some(i) => format!(
            "{}<title id=\"{id}-title\">{}</title>{}",
            &svg[..=i],
            esc(title),
            &svg[i + 1..]
        ),
        None => svg,
    }
}
