//! The hostile-input corpus (`tests/hostile/cases.toml`): malformed, out-of-range and
//! malicious inputs, each run through the real binary under an address-space and CPU limit.
//! Every case asserts its exit code, its `file:line: field` message, that nothing was written
//! anywhere, and a peak resident memory under 100 MB. Each run's time and memory are printed
//! (`cargo test --release --test hostile -- --nocapture`); times are reported, not asserted.

mod common;

use std::collections::BTreeMap;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Corpus {
    case: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// A unique name.
    name: String,
    /// The class of hostile input (bounds, network, montecarlo, events, variant, cli, …).
    class: String,
    /// A shipped scenario (`scenarios/<base>.toml`) written as `s.toml`; or `text` below.
    base: Option<String>,
    /// The scenario written whole instead.
    text: Option<String>,
    /// The scenario's file name [default: `s.toml`].
    scenario_name: Option<String>,
    /// A network file (`routes/<file>`) to mutate instead of the scenario: the routes are
    /// copied beside the scenario, which then uses them.
    routes_file: Option<String>,
    /// A variant file (`scenarios/variants/<file>`) to mutate: the variants are copied and
    /// `{variants}` in `args` names the copy.
    variant_file: Option<String>,
    /// `[old, new]` text replacements in the file mutated (each must match).
    #[serde(default)]
    replace: Vec<[String; 2]>,
    /// Text appended to the file mutated.
    append: Option<String>,
    /// Extra files written into the working directory: `[name, contents]`.
    #[serde(default)]
    files: Vec<[String; 2]>,
    /// The command line; `{scenario}` is `s.toml`, `{variants}` the variants copy.
    #[serde(default = "default_args")]
    args: Vec<String>,
    /// The exit code expected.
    exit: i32,
    /// The file whose `file:LINE:` the message must show, when not the file mutated (a CSV
    /// the scenario names).
    located: Option<String>,
    /// Text the error output must contain; `{file}` is the mutated file as the message names
    /// it and `{line}` the line of the first replacement (or of the append).
    expect: String,
}

fn default_args() -> Vec<String> {
    ["run", "{scenario}", "--out", "out", "--quiet"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

const AS_LIMIT: u64 = 4 << 30;
const CPU_LIMIT_S: u64 = 60;
const WALL_LIMIT: Duration = Duration::from_secs(60);
const RSS_LIMIT_KB: i64 = 100 * 1024;

/// Every file under `dir` with its size, to compare before and after a run.
fn listing(dir: &Path) -> BTreeMap<PathBuf, u64> {
    common::walk(dir)
        .into_iter()
        .map(|(p, m)| (p, m.len()))
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// `text` with the case's replacements and append, and the line of the first change.
fn mutate(case: &Case, text: &str) -> (String, usize) {
    let mut text = text.to_string();
    let mut line = 0;
    for (k, [old, new]) in case.replace.iter().enumerate() {
        let at = text
            .find(old.as_str())
            .unwrap_or_else(|| panic!("{}: `{old}` not found", case.name));
        if k == 0 {
            line = text[..at].lines().count().max(1);
            if text[..at].ends_with('\n') || at == 0 {
                line = text[..at].lines().count() + 1;
            }
        }
        text.replace_range(at..at + old.len(), new);
    }
    if let Some(a) = &case.append {
        if line == 0 {
            line = text.lines().count() + 1 + usize::from(a.starts_with('\n'));
        }
        text.push_str(a);
    }
    (text, line)
}

struct Outcome {
    code: Option<i32>,
    stderr: String,
    elapsed: Duration,
    max_rss_kb: i64,
}

/// Runs the binary with `args` in `dir` under the limits; kills it at the wall limit.
fn run_limited(dir: &Path, args: &[String]) -> Outcome {
    let err_path = dir.join("..").join(format!(
        "stderr-{}",
        dir.file_name().unwrap().to_string_lossy()
    ));
    let err_file = std::fs::File::create(&err_path).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_corridor"));
    cmd.args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(err_file);
    // SAFETY: only async-signal-safe calls (setrlimit) between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let as_limit = libc::rlimit {
                rlim_cur: AS_LIMIT,
                rlim_max: AS_LIMIT,
            };
            let cpu = libc::rlimit {
                rlim_cur: CPU_LIMIT_S,
                rlim_max: CPU_LIMIT_S,
            };
            libc::setrlimit(libc::RLIMIT_AS, &as_limit);
            libc::setrlimit(libc::RLIMIT_CPU, &cpu);
            Ok(())
        });
    }
    let started = Instant::now();
    // Reaped by `wait4` below, which also gives its peak memory.
    #[allow(clippy::zombie_processes)]
    let child = cmd.spawn().expect("spawn corridor");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: zeroed rusage is a valid value; wait4 fills it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: pid is our child; status and usage are valid for writes.
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if r == pid {
            break;
        }
        if started.elapsed() > WALL_LIMIT {
            // SAFETY: signalling our own child.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let elapsed = started.elapsed();
    let code = if libc::WIFEXITED(status) {
        Some(libc::WEXITSTATUS(status))
    } else {
        None
    };
    let stderr = std::fs::read_to_string(&err_path).unwrap_or_default();
    std::fs::remove_file(&err_path).ok();
    Outcome {
        code,
        stderr,
        elapsed,
        max_rss_kb: usage.ru_maxrss,
    }
}

#[test]
fn every_hostile_input_is_refused_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus: Corpus =
        toml::from_str(&std::fs::read_to_string(root.join("tests/hostile/cases.toml")).unwrap())
            .unwrap();
    let mut names = std::collections::BTreeSet::new();
    let mut failures = Vec::new();
    let mut by_class: BTreeMap<String, (usize, f64, i64)> = BTreeMap::new();
    let top = tempfile::tempdir().unwrap();
    for (k, case) in corpus.case.iter().enumerate() {
        assert!(names.insert(case.name.clone()), "{}: name twice", case.name);
        let dir = top.path().join(format!("case{k}"));
        std::fs::create_dir_all(&dir).unwrap();
        let base_text = match (&case.base, &case.text) {
            (Some(b), None) => {
                std::fs::read_to_string(root.join(format!("scenarios/{b}.toml"))).unwrap()
            }
            (None, Some(t)) => t.clone(),
            (None, None) => String::new(),
            _ => panic!("{}: base or text, not both", case.name),
        };
        let sname = case.scenario_name.as_deref().unwrap_or("s.toml");
        let (file, line) = if let Some(rf) = &case.routes_file {
            copy_dir(&root.join("routes"), &dir.join("routes"));
            let path = dir.join("routes").join(rf);
            let (text, line) = mutate(case, &std::fs::read_to_string(&path).unwrap());
            std::fs::write(&path, text).unwrap();
            let scenario = base_text.replace("network = \"embedded\"", "network = \"routes\"");
            std::fs::write(dir.join(sname), scenario).unwrap();
            (format!("routes/{rf}"), line)
        } else if let Some(vf) = &case.variant_file {
            copy_dir(&root.join("scenarios/variants"), &dir.join("variants"));
            let path = dir.join("variants").join(vf);
            let (text, line) = mutate(case, &std::fs::read_to_string(&path).unwrap());
            std::fs::write(&path, text).unwrap();
            std::fs::write(dir.join(sname), &base_text).unwrap();
            (format!("variants/{vf}"), line)
        } else {
            let (text, line) = mutate(case, &base_text);
            if case.base.is_some() || case.text.is_some() {
                std::fs::write(dir.join(sname), text).unwrap();
            }
            (sname.to_string(), line)
        };
        for [name, contents] in &case.files {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, contents).unwrap();
        }
        let args: Vec<String> = case
            .args
            .iter()
            .map(|a| {
                a.replace("{scenario}", sname)
                    .replace("{variants}", "variants")
            })
            .collect();
        let before = listing(top.path());
        let o = run_limited(&dir, &args);
        let after = listing(top.path());
        let expect = case
            .expect
            .replace("{file}", &file)
            .replace("{line}", &line.to_string());
        let mut problems = Vec::new();
        if o.code != Some(case.exit) {
            problems.push(format!("exit {:?}, expected {}", o.code, case.exit));
        }
        if !o.stderr.contains(&expect) {
            problems.push(format!("message lacks `{expect}`"));
        }
        // A refused file names itself and a line.
        let at_file = case.located.as_deref().unwrap_or(&file);
        let located = o
            .stderr
            .match_indices(&format!("{at_file}:"))
            .any(|(i, m)| o.stderr[i + m.len()..].starts_with(|c: char| c.is_ascii_digit()));
        if case.exit == 3 && (!case.replace.is_empty() || case.append.is_some()) && !located {
            problems.push(format!("no `{at_file}:LINE:` in the message"));
        }
        if o.stderr.contains("panicked") || o.stderr.contains("RUST_BACKTRACE") {
            problems.push("panicked".into());
        }
        if before != after {
            let new: Vec<_> = after.keys().filter(|p| !before.contains_key(*p)).collect();
            problems.push(format!("files written: {new:?}"));
        }
        if o.max_rss_kb > RSS_LIMIT_KB {
            problems.push(format!("peak RSS {} kB", o.max_rss_kb));
        }
        println!(
            "{:<12} {:<44} exit {:>4} {:>7.3} s {:>7} kB",
            case.class,
            case.name,
            o.code.map_or("kill".to_string(), |c| c.to_string()),
            o.elapsed.as_secs_f64(),
            o.max_rss_kb
        );
        let e = by_class.entry(case.class.clone()).or_default();
        e.0 += 1;
        e.1 = e.1.max(o.elapsed.as_secs_f64());
        e.2 = e.2.max(o.max_rss_kb);
        if !problems.is_empty() {
            failures.push(format!(
                "{}: {}\n    stderr: {}",
                case.name,
                problems.join("; "),
                o.stderr.trim()
            ));
        }
        std::fs::remove_dir_all(&dir).ok();
    }
    println!("\nclass        cases  slowest s  peak RSS kB");
    for (class, (n, t, rss)) in &by_class {
        println!("{class:<12} {n:>5} {t:>10.3} {rss:>12}");
    }
    println!("total        {:>5}", corpus.case.len());
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        corpus.case.len(),
        failures.join("\n")
    );
}
