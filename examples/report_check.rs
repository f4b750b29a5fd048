//! Checks the study report as a browser and a PDF printer see it. Used by `.ci/run` after
//! headless Chromium has (1) opened `tests/browser/probe.html`, which measures `index.html` at
//! 1280 px and 390 px and writes JSON into its DOM (`--dump-dom`), and (2) printed the
//! report to PDF, whose text `pdftotext` extracted.
//!
//! `cargo run --example report_check -- OUT_DIR PROBE_DOM.html REPORT.txt`
//!
//! Fails (exit 1), listing every problem, unless: `index.html` is under 1,000,000 bytes; the
//! executive summary is the first section, with findings; no table is wider than the content
//! column at 1280 px; at 390 px the page does not scroll sideways; every figure has a title, a
//! caption and download links to files that exist beside the page; and the PDF holds the last
//! column of every table (a table clipped at the page edge loses it).

use std::path::Path;
use std::process::ExitCode;

use serde_json::Value;

/// The JSON the probe page wrote into `<pre id="out">`, entities decoded.
fn probe_json(dom: &str) -> Result<Value, String> {
    let start = dom
        .find("<pre id=\"out\">")
        .ok_or("the probe page wrote no <pre id=\"out\">")?
        + "<pre id=\"out\">".len();
    let end = dom[start..].find("</pre>").ok_or("unterminated <pre>")? + start;
    let text = dom[start..end]
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    serde_json::from_str(&text).map_err(|e| format!("probe output is not JSON ({e}): {text:.200}"))
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn check(out: &Path, probe: &Value, pdf_text: &str) -> Vec<String> {
    let mut bad = Vec::new();
    if let Some(e) = probe.get("error").and_then(Value::as_str) {
        bad.push(format!("the probe failed: {e}"));
        return bad;
    }
    match std::fs::metadata(out.join("index.html")) {
        Ok(m) if m.len() < 1_000_000 => println!("index.html: {} bytes", m.len()),
        Ok(m) => bad.push(format!(
            "index.html is {} bytes, not under 1,000,000",
            m.len()
        )),
        Err(e) => bad.push(format!("index.html: {e}")),
    }
    if probe["first_section"] != "summary" {
        bad.push(format!(
            "the first section is {}, not the summary",
            probe["first_section"]
        ));
    }
    if probe["findings"].as_u64().unwrap_or(0) < 3 {
        bad.push(format!("{} findings in the summary", probe["findings"]));
    }
    let content = probe["content_width"].as_f64().unwrap_or(0.0);
    let tables = probe["tables"].as_array().cloned().unwrap_or_default();
    for t in &tables {
        let w = t["width"].as_f64().unwrap_or(0.0);
        if w > content + 0.5 {
            bad.push(format!(
                "table {:?} is {w} px wide at 1280 px, wider than the {content} px column",
                t["caption"].as_str().unwrap_or("")
            ));
        }
    }
    let (sw, cw) = (
        probe["phone_scroll_width"].as_f64().unwrap_or(f64::MAX),
        probe["phone_client_width"].as_f64().unwrap_or(0.0),
    );
    if sw > cw + 0.5 {
        bad.push(format!(
            "at 390 px the page scrolls sideways ({sw} px of content in {cw} px)"
        ));
    }
    let figures = probe["figures"].as_array().cloned().unwrap_or_default();
    if figures.is_empty() {
        bad.push("no figures".into());
    }
    for (i, f) in figures.iter().enumerate() {
        let id = f["id"].as_str().unwrap_or("?");
        let caption = f["caption"].as_str().unwrap_or("");
        if !caption.starts_with(&format!("Figure {}.", i + 1)) || caption.len() < 30 {
            bad.push(format!("{id}: caption {caption:?}"));
        }
        if f["title"].as_str().unwrap_or("").is_empty() {
            bad.push(format!("{id}: no accessible title"));
        }
        let links: Vec<&str> = f["links"]
            .as_array()
            .map(|l| l.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if links.len() < 3 || !links[0].ends_with(".png") || !links[1].ends_with(".svg") {
            bad.push(format!("{id}: links {links:?}, not PNG, SVG and the data"));
        }
        for l in links {
            if l.contains("..") || l.starts_with('/') || !out.join(l).is_file() {
                bad.push(format!(
                    "{id}: link {l} does not reach a file beside the page"
                ));
            }
        }
    }
    let pdf = squeeze(pdf_text);
    let mut cells = 0;
    for t in &tables {
        for c in t["last_cells"].as_array().into_iter().flatten() {
            let want: String = squeeze(c.as_str().unwrap_or("")).chars().take(12).collect();
            if want.is_empty() {
                continue;
            }
            cells += 1;
            if !pdf.contains(&want) {
                bad.push(format!(
                    "the PDF lacks {want:?} from the last column of table {:?} (clipped?)",
                    t["caption"].as_str().unwrap_or("")
                ));
            }
        }
    }
    println!(
        "{} tables (last columns: {cells} cells found in the PDF), {} figures, phone width {cw} px",
        tables.len(),
        figures.len()
    );
    bad
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [out, dom, pdf] = args.as_slice() else {
        eprintln!("usage: report_check OUT_DIR PROBE_DOM.html REPORT.txt");
        return ExitCode::from(2);
    };
    let read = |p: &str| std::fs::read_to_string(p).map_err(|e| format!("{p}: {e}"));
    let result = read(dom)
        .and_then(|d| probe_json(&d))
        .and_then(|probe| Ok((probe, read(pdf)?)));
    let (probe, pdf_text) = match result {
        Ok(x) => x,
        Err(e) => {
            eprintln!("report_check: {e}");
            return ExitCode::FAILURE;
        }
    };
    let bad = check(Path::new(out), &probe, &pdf_text);
    if bad.is_empty() {
        println!("report_check: ok");
        ExitCode::SUCCESS
    } else {
        for b in &bad {
            eprintln!("report_check: {b}");
        }
        ExitCode::FAILURE
    }
}
