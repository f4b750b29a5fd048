//! Checks a browser screenshot of the study report: decodes the PNG and fails unless it has the
//! expected size and is not blank (at least 50 distinct colours and under 97% of one colour).
//! Used by `.ci/run` after headless Chromium opens `index.html`.
//!
//! `cargo run --example screenshot_check -- SHOT.png WIDTH HEIGHT`

use std::collections::HashMap;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [path, w, h] = args.as_slice() else {
        eprintln!("usage: screenshot_check SHOT.png WIDTH HEIGHT");
        return ExitCode::from(2);
    };
    let (Ok(w), Ok(h)) = (w.parse::<u32>(), h.parse::<u32>()) else {
        eprintln!("WIDTH and HEIGHT must be whole numbers of pixels");
        return ExitCode::from(2);
    };
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::EXPAND);
    let Ok(mut reader) = decoder.read_info() else {
        eprintln!("{path}: not a PNG");
        return ExitCode::FAILURE;
    };
    let mut buf = vec![0; reader.output_buffer_size().unwrap_or(0)];
    let Ok(info) = reader.next_frame(&mut buf) else {
        eprintln!("{path}: cannot decode");
        return ExitCode::FAILURE;
    };
    let px = info.color_type.samples();
    let mut counts: HashMap<&[u8], usize> = HashMap::new();
    for c in buf[..info.buffer_size()].chunks(px) {
        *counts.entry(&c[..px.min(3)]).or_default() += 1;
    }
    let total = (info.width * info.height) as usize;
    let top = counts.values().copied().max().unwrap_or(0);
    let share = top as f64 / total.max(1) as f64;
    println!(
        "{path}: {}x{} px, {} colours, most common {:.1}%",
        info.width,
        info.height,
        counts.len(),
        100.0 * share
    );
    if (info.width, info.height) != (w, h) || counts.len() < 50 || share > 0.97 {
        eprintln!("{path}: blank or wrong size (expected {w}x{h})");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
