//! Where a job's outputs go: a directory ([`DirSink`], files written atomically) or memory
//! ([`MemorySink`], for tests and for composing jobs). Paths are relative to the sink's root and
//! may not leave it.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use super::AppError;
use crate::report::chart::{self, Chart};
use crate::report::mc::StreamFile;
use crate::report::rows::{self, Table};
use crate::report::write::Staging;
use crate::report::write_atomic;
use crate::report::xlsx::{self, CsvTable};

/// A file being written progressively; it appears only on [`commit`](Stream::commit).
pub trait Stream {
    /// Appends `text`.
    ///
    /// # Errors
    /// [`AppError::Output`] naming the file.
    fn write(&mut self, text: &str) -> Result<(), AppError>;
    /// Puts the finished file in place.
    ///
    /// # Errors
    /// [`AppError::Output`] naming the file.
    fn commit(self: Box<Self>) -> Result<(), AppError>;
}

/// The outputs of a job: files under one root, text for stdout, and notes for stderr.
pub trait Sink {
    /// Writes a whole file at `rel` (relative to the root).
    ///
    /// # Errors
    /// [`AppError::Output`] if it cannot be written; [`AppError::Input`] if `rel` would leave
    /// the root.
    fn put(&mut self, rel: &Path, bytes: &[u8]) -> Result<(), AppError>;
    /// Opens `rel` for streaming.
    ///
    /// # Errors
    /// As [`put`](Sink::put).
    fn stream(&mut self, rel: &Path) -> Result<Box<dyn Stream>, AppError>;
    /// Text for the user (stdout).
    fn print(&mut self, text: &str);
    /// A note about progress or a warning (stderr, prefixed `corridor: `).
    fn note(&mut self, text: &str);
    /// How the file at `rel` is named to the user.
    fn display(&self, rel: &Path) -> String;
    /// PNG pixels per SVG unit for the charts written here.
    fn png_scale(&self) -> f32 {
        chart::PNG_SCALE
    }
}

/// Whether a note only reports progress (a file written, a job done), which `--quiet` drops.
fn is_progress(note: &str) -> bool {
    note.starts_with("wrote ") || note.starts_with("study done")
}

/// Refuses a path that is absolute or climbs out of the root (`..`).
fn confined(rel: &Path) -> Result<(), AppError> {
    let ok = rel
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if ok && rel.components().next().is_some() {
        Ok(())
    } else {
        Err(AppError::Input(format!(
            "output path `{}` would leave the output directory (names of scenarios and outputs must be plain file names)",
            rel.display()
        )))
    }
}

/// Writes `text` to `rel` and notes it.
///
/// # Errors
/// As [`Sink::put`].
pub fn write_text(sink: &mut dyn Sink, rel: &Path, text: &str) -> Result<(), AppError> {
    write_bytes(sink, rel, text.as_bytes())
}

/// Writes `bytes` to `rel` and notes it.
///
/// # Errors
/// As [`Sink::put`].
pub fn write_bytes(sink: &mut dyn Sink, rel: &Path, bytes: &[u8]) -> Result<(), AppError> {
    sink.put(rel, bytes)?;
    let shown = sink.display(rel);
    sink.note(&format!("wrote {shown}"));
    Ok(())
}

/// Writes `rows` as the CSV table at `rel`.
///
/// # Errors
/// [`AppError::Internal`] if the rows do not serialise; else as [`Sink::put`].
pub fn write_table<T: Table>(sink: &mut dyn Sink, rel: &Path, rows: &[T]) -> Result<(), AppError> {
    let text =
        rows::to_csv(rows).map_err(|e| AppError::Internal(format!("{}: {e}", rel.display())))?;
    write_text(sink, rel, &text)
}

/// Writes `doc` as pretty JSON (with a final newline) at `rel`.
///
/// # Errors
/// [`AppError::Internal`] if it does not serialise; else as [`Sink::put`].
pub fn write_json<T: serde::Serialize>(
    sink: &mut dyn Sink,
    rel: &Path,
    doc: &T,
) -> Result<(), AppError> {
    let text = serde_json::to_string_pretty(doc)
        .map_err(|e| AppError::Internal(format!("{}: {e}", rel.display())))?;
    write_text(sink, rel, &(text + "\n"))
}

/// Writes `doc` as compact JSON (one line, no trailing newline): the partial and state files
/// that corridor reads back, where size matters more than reading by eye.
///
/// # Errors
/// [`AppError::Internal`] if it does not serialise; output errors.
pub fn write_compact_json<T: serde::Serialize>(
    sink: &mut dyn Sink,
    rel: &Path,
    doc: &T,
) -> Result<(), AppError> {
    let text = serde_json::to_string(doc)
        .map_err(|e| AppError::Internal(format!("{}: {e}", rel.display())))?;
    write_text(sink, rel, &text)
}

/// Renders `c` and writes `<stem>.svg` and `<stem>.png`.
///
/// # Errors
/// [`AppError::Chart`] if it cannot be drawn, else as [`Sink::put`].
pub fn write_chart<C: Chart>(sink: &mut dyn Sink, stem: &Path, c: &C) -> Result<(), AppError> {
    let (png, svg) = chart::render_bytes_at(c, &sink.display(stem), sink.png_scale())?;
    sink.put(&stem.with_extension("svg"), svg.as_bytes())?;
    sink.put(&stem.with_extension("png"), &png)?;
    let shown = sink.display(stem);
    sink.note(&format!("wrote {shown}.png and .svg"));
    Ok(())
}

/// Runs `job` on `sink` and, when `book` names a workbook (its path and title), writes every
/// CSV table the job wrote into it as well (`--xlsx`).
///
/// # Errors
/// The job's; else as [`Recorder::write_workbook`].
pub fn with_workbook<T>(
    sink: &mut dyn Sink,
    book: Option<(&Path, &str)>,
    job: impl FnOnce(&mut dyn Sink) -> Result<T, AppError>,
) -> Result<T, AppError> {
    let Some((rel, title)) = book else {
        return job(sink);
    };
    let mut rec = Recorder::new(sink).with_tables();
    let out = job(&mut rec)?;
    rec.write_workbook(rel, title)?;
    Ok(out)
}

/// A directory on disk. Files are written into a hidden staging directory inside the root and
/// appear only when [`DirSink::publish`] moves them into place, each top-level entry (a scenario
/// folder, `summary.csv`) in one step; a sink dropped unpublished (an error) leaves nothing.
#[derive(Debug)]
pub struct DirSink {
    root: PathBuf,
    png_scale: f32,
    quiet: bool,
    bom: bool,
    per_file: bool,
    staging: Option<Staging>,
}

/// The UTF-8 byte order mark, which tells Excel a CSV is UTF-8.
const BOM: &str = "\u{feff}";

fn is_csv(rel: &Path) -> bool {
    rel.extension().is_some_and(|x| x == "csv")
}

impl DirSink {
    /// A sink for a file path the user named, and the file's name in it: the file's directory
    /// is the root.
    pub fn for_file(path: &Path) -> (DirSink, PathBuf) {
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let name = path
            .file_name()
            .map_or_else(|| PathBuf::from("out"), PathBuf::from);
        (DirSink::new(dir), name)
    }

    /// Outputs under `root` (created as needed).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        DirSink {
            root: root.into(),
            png_scale: chart::PNG_SCALE,
            quiet: false,
            bom: false,
            per_file: false,
            staging: None,
        }
    }

    /// Where a file at `rel` is written before publishing (the staging directory is created on
    /// the first write).
    fn target(&mut self, rel: &Path) -> Result<PathBuf, AppError> {
        confined(rel)?;
        let staging = match &mut self.staging {
            Some(s) => s,
            None => self.staging.insert(Staging::new(&self.root)?),
        };
        Ok(staging.path(rel))
    }

    /// Moves everything written into place (see [`Staging::publish`]); nothing to do when
    /// nothing was written.
    ///
    /// # Errors
    /// [`AppError::Output`] naming what could not be moved.
    pub fn publish(mut self) -> Result<(), AppError> {
        match self.staging.take() {
            Some(s) if self.per_file => Ok(s.publish_files()?),
            Some(s) => Ok(s.publish()?),
            None => Ok(()),
        }
    }

    /// The same sink, starting every CSV file with a UTF-8 byte order mark (`--csv-bom`), so
    /// that Excel reads the en dashes and other non-ASCII text in names and sources as UTF-8.
    pub fn csv_bom(self, bom: bool) -> Self {
        DirSink { bom, ..self }
    }

    /// The same sink, publishing each file by itself ([`Staging::publish_files`]) rather than
    /// each folder in one step: for outputs that many processes write into one folder at once.
    pub fn per_file(self, per_file: bool) -> Self {
        DirSink { per_file, ..self }
    }

    /// The same sink, with `quiet` dropping the notes of progress (files written, time
    /// taken); warnings and errors still show.
    pub fn quiet(self, quiet: bool) -> Self {
        DirSink { quiet, ..self }
    }

    /// The same sink, writing PNGs at `scale` pixels per SVG unit.
    pub fn with_png_scale(self, scale: f32) -> Self {
        DirSink {
            png_scale: scale,
            ..self
        }
    }
}

struct FileStream(StreamFile);

impl Stream for FileStream {
    fn write(&mut self, text: &str) -> Result<(), AppError> {
        Ok(self.0.write(text)?)
    }
    fn commit(self: Box<Self>) -> Result<(), AppError> {
        Ok(self.0.commit()?)
    }
}

impl Sink for DirSink {
    fn put(&mut self, rel: &Path, bytes: &[u8]) -> Result<(), AppError> {
        let path = self.target(rel)?;
        if self.bom && is_csv(rel) {
            Ok(write_atomic(&path, &[BOM.as_bytes(), bytes].concat())?)
        } else {
            Ok(write_atomic(&path, bytes)?)
        }
    }
    fn stream(&mut self, rel: &Path) -> Result<Box<dyn Stream>, AppError> {
        let mut f = FileStream(StreamFile::create(&self.target(rel)?)?);
        if self.bom && is_csv(rel) {
            f.write(BOM)?;
        }
        Ok(Box::new(f))
    }
    fn print(&mut self, text: &str) {
        print!("{text}");
    }
    fn note(&mut self, text: &str) {
        if !(self.quiet && is_progress(text)) {
            eprintln!("corridor: {text}");
        }
    }
    fn display(&self, rel: &Path) -> String {
        self.root.join(rel).display().to_string()
    }
    fn png_scale(&self) -> f32 {
        self.png_scale
    }
}

type Files = Rc<RefCell<BTreeMap<PathBuf, Vec<u8>>>>;

/// Outputs kept in memory: files by path, stdout and notes.
#[derive(Debug, Clone, Default)]
pub struct MemorySink {
    files: Files,
    /// Everything printed to stdout.
    pub stdout: String,
    /// Every note, in order.
    pub notes: Vec<String>,
}

impl MemorySink {
    /// An empty sink.
    pub fn new() -> Self {
        Self::default()
    }
    /// The paths written, sorted.
    pub fn paths(&self) -> Vec<PathBuf> {
        self.files.borrow().keys().cloned().collect()
    }
    /// The bytes written at `rel`.
    pub fn get(&self, rel: impl AsRef<Path>) -> Option<Vec<u8>> {
        self.files.borrow().get(rel.as_ref()).cloned()
    }
    /// The text written at `rel` (lossy UTF-8).
    pub fn text(&self, rel: impl AsRef<Path>) -> Option<String> {
        self.get(rel)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    }
}

struct MemoryStream {
    files: Files,
    path: PathBuf,
    buf: Vec<u8>,
}

impl Stream for MemoryStream {
    fn write(&mut self, text: &str) -> Result<(), AppError> {
        self.buf.extend_from_slice(text.as_bytes());
        Ok(())
    }
    fn commit(self: Box<Self>) -> Result<(), AppError> {
        self.files.borrow_mut().insert(self.path, self.buf);
        Ok(())
    }
}

impl Sink for MemorySink {
    fn put(&mut self, rel: &Path, bytes: &[u8]) -> Result<(), AppError> {
        confined(rel)?;
        self.files
            .borrow_mut()
            .insert(rel.to_path_buf(), bytes.to_vec());
        Ok(())
    }
    fn stream(&mut self, rel: &Path) -> Result<Box<dyn Stream>, AppError> {
        confined(rel)?;
        Ok(Box::new(MemoryStream {
            files: self.files.clone(),
            path: rel.to_path_buf(),
            buf: Vec::new(),
        }))
    }
    fn print(&mut self, text: &str) {
        self.stdout.push_str(text);
    }
    fn note(&mut self, text: &str) {
        self.notes.push(text.to_string());
    }
    fn display(&self, rel: &Path) -> String {
        rel.display().to_string()
    }
}

/// A sink that passes everything on to another and keeps a copy of each chart's SVG, which the
/// report inlines (tables reach the report as rows, never as text), and, when asked, of each
/// CSV table, for the Excel workbook.
pub struct Recorder<'a> {
    inner: &'a mut dyn Sink,
    kept: Files,
    tables: bool,
    /// Drop the jobs' stdout text (a quiet study prints only its report's path).
    pub mute: bool,
}

impl<'a> Recorder<'a> {
    /// Records what goes to `inner`.
    pub fn new(inner: &'a mut dyn Sink) -> Self {
        Recorder {
            inner,
            kept: Files::default(),
            tables: false,
            mute: false,
        }
    }

    /// The same recorder, keeping the CSV tables (for [`write_workbook`](Self::write_workbook))
    /// and the JSON summaries too.
    pub fn with_tables(self) -> Self {
        Recorder {
            tables: true,
            ..self
        }
    }

    fn keeps(&self, rel: &Path) -> bool {
        let ext = rel.extension().and_then(|x| x.to_str());
        ext == Some("svg") || (self.tables && matches!(ext, Some("csv" | "json")))
    }

    /// Writes every CSV table recorded so far as one Excel workbook at `rel` (a contents sheet
    /// first, then the tables at the top of the output directory, then the rest in path order).
    ///
    /// # Errors
    /// [`AppError::Internal`] if the workbook cannot be built; else as [`Sink::put`].
    pub fn write_workbook(&mut self, rel: &Path, title: &str) -> Result<(), AppError> {
        let mut tables: Vec<CsvTable> = self
            .kept
            .borrow()
            .iter()
            .filter(|(p, _)| is_csv(p))
            .map(|(p, b)| CsvTable {
                file: p.to_string_lossy().replace('\\', "/"),
                csv: String::from_utf8_lossy(b).into_owned(),
            })
            .collect();
        tables.sort_by_key(|t| t.file.matches('/').count());
        let bytes = xlsx::workbook(title, &tables)
            .map_err(|e| AppError::Internal(format!("{}: {e}", rel.display())))?;
        write_bytes(self.inner, rel, &bytes)
    }
    /// The text output at `rel`.
    ///
    /// # Errors
    /// [`AppError::Internal`] if no job produced it: the composition is wrong.
    pub fn text(&self, rel: impl AsRef<Path>) -> Result<String, AppError> {
        let rel = rel.as_ref();
        self.kept
            .borrow()
            .get(rel)
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .ok_or_else(|| AppError::Internal(format!("{} was not produced", rel.display())))
    }
}

struct TeeStream {
    inner: Box<dyn Stream>,
    copy: Option<MemoryStream>,
}

impl Stream for TeeStream {
    fn write(&mut self, text: &str) -> Result<(), AppError> {
        if let Some(c) = &mut self.copy {
            c.write(text)?;
        }
        self.inner.write(text)
    }
    fn commit(self: Box<Self>) -> Result<(), AppError> {
        self.inner.commit()?;
        match self.copy {
            Some(c) => Box::new(c).commit(),
            None => Ok(()),
        }
    }
}

impl Sink for Recorder<'_> {
    fn put(&mut self, rel: &Path, bytes: &[u8]) -> Result<(), AppError> {
        self.inner.put(rel, bytes)?;
        if self.keeps(rel) {
            self.kept
                .borrow_mut()
                .insert(rel.to_path_buf(), bytes.to_vec());
        }
        Ok(())
    }
    fn stream(&mut self, rel: &Path) -> Result<Box<dyn Stream>, AppError> {
        let inner = self.inner.stream(rel)?;
        let copy = self.keeps(rel).then(|| MemoryStream {
            files: self.kept.clone(),
            path: rel.to_path_buf(),
            buf: Vec::new(),
        });
        Ok(Box::new(TeeStream { inner, copy }))
    }
    fn print(&mut self, text: &str) {
        if !self.mute {
            self.inner.print(text);
        }
    }
    fn note(&mut self, text: &str) {
        self.inner.note(text);
    }
    fn display(&self, rel: &Path) -> String {
        self.inner.display(rel)
    }
    fn png_scale(&self) -> f32 {
        self.inner.png_scale()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_root_are_refused_before_anything_is_written() {
        let mut m = MemorySink::new();
        for bad in ["../x.csv", "/etc/x", "a/../../x", ""] {
            let e = m.put(Path::new(bad), b"x").unwrap_err();
            assert!(e.to_string().contains("would leave"), "{bad}: {e}");
            assert!(m.stream(Path::new(bad)).is_err());
        }
        assert!(m.paths().is_empty());
        m.put(Path::new("a/./b.csv"), b"x").unwrap();
        assert_eq!(m.paths(), vec![PathBuf::from("a/./b.csv")]);
    }

    #[test]
    fn a_stream_appears_only_when_committed() {
        let mut m = MemorySink::new();
        let mut s = m.stream(Path::new("r.csv")).unwrap();
        s.write("a,").unwrap();
        s.write("b\n").unwrap();
        assert!(m.get("r.csv").is_none());
        s.commit().unwrap();
        assert_eq!(m.text("r.csv").unwrap(), "a,b\n");
    }

    #[test]
    fn a_directory_sink_writes_under_its_root() {
        let dir = tempfile::tempdir().unwrap();
        let mut d = DirSink::new(dir.path());
        write_text(&mut d, Path::new("s/x.csv"), "1\n").unwrap();
        // Staged until published.
        assert!(!dir.path().join("s").exists());
        assert!(d.put(Path::new("../escape.csv"), b"x").is_err());
        d.publish().unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("s/x.csv")).unwrap(),
            "1\n"
        );
        assert!(!dir.path().parent().unwrap().join("escape.csv").exists());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["s"], "nothing staged is left");
    }

    #[test]
    fn csv_bom_marks_csv_files_only_whether_put_or_streamed() {
        let dir = tempfile::tempdir().unwrap();
        let mut d = DirSink::new(dir.path()).csv_bom(true);
        write_text(&mut d, Path::new("a.csv"), "x\n").unwrap();
        write_text(&mut d, Path::new("a.json"), "{}").unwrap();
        let mut s = d.stream(Path::new("b.csv")).unwrap();
        s.write("y\n").unwrap();
        s.commit().unwrap();
        d.publish().unwrap();
        let read = |n: &str| std::fs::read(dir.path().join(n)).unwrap();
        assert_eq!(read("a.csv"), b"\xEF\xBB\xBFx\n");
        assert_eq!(read("b.csv"), b"\xEF\xBB\xBFy\n");
        assert_eq!(read("a.json"), b"{}");
    }
}
