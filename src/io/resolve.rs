//! The resolver shared by every input file: diagnostics, provenance (source, estimate,
//! confidence), figures with their units converted to canonical ones, capacities, statuses and
//! country codes.

use toml::Spanned;

use super::diag::{Diagnostics, SourceText};
use super::network::raw::*;
use crate::io::diag::did_you_mean;
use crate::model::units::{CrudeProperties, Dimension, to_canonical};
use crate::model::{Capacity, Confidence, Figure, Provenance, Reactivation, Reserved, Status};

/// Where the physical ranges are listed, for every out-of-range message.
pub(crate) const BOUNDS_HINT: &str =
    "the ranges are listed under \"Physical ranges\" in docs/scenario-format.md";

pub(crate) struct Resolver<'s> {
    pub(crate) srcs: &'s [SourceText<'s>],
    pub(crate) diags: Diagnostics,
    pub(crate) crude: CrudeProperties,
    /// Some file could not be parsed at all (its contents are unknown).
    pub(crate) unreadable_file: bool,
    /// Elements that failed step one: (section, id, node names under `from`/`to`). Later
    /// references to them are reported as consequences, not as unknown names.
    pub(crate) failed: Vec<(String, String, Vec<String>)>,
    /// An unknown unit is an error, not a warning that drops the figure. Scenarios and
    /// variants set it: a dropped production figure or capacity would silently change the run,
    /// whereas a network element with an unknown unit is left out and listed as a warning.
    pub(crate) unknown_unit_fails: bool,
}

impl<'s> Resolver<'s> {
    pub(crate) fn new(srcs: &'s [SourceText<'s>]) -> Self {
        Resolver {
            srcs,
            diags: Diagnostics::default(),
            crude: CrudeProperties {
                bbl_per_t: 7.5,
                t_per_m3: 0.8,
            },
            unreadable_file: false,
            failed: Vec::new(),
            unknown_unit_fails: false,
        }
    }

    pub(crate) fn provenance(
        &mut self,
        file: usize,
        pos: usize,
        field: &str,
        source: &Option<String>,
        estimate: &Option<String>,
    ) -> Provenance {
        let source_text = source.clone().unwrap_or_default();
        match estimate {
            Some(reason) if !reason.trim().is_empty() => Provenance {
                source: source_text,
                confidence: Confidence::Estimate {
                    reason: reason.clone(),
                },
            },
            _ if !source_text.trim().is_empty() => Provenance {
                source: source_text,
                confidence: Confidence::Sourced,
            },
            _ => {
                self.diags.warn(
                    "missing_provenance",
                    &self.srcs[file],
                    pos,
                    field,
                    "no `source` and no `estimate`",
                    Some("add source = \"…\" or estimate = \"why this value\"".into()),
                );
                Provenance {
                    source: String::new(),
                    confidence: Confidence::Estimate {
                        reason: "no source given".into(),
                    },
                }
            }
        }
    }

    pub(crate) fn convert(
        &mut self,
        file: usize,
        value: &Spanned<f64>,
        unit: &Spanned<String>,
        dim: Dimension,
        field: &str,
    ) -> Option<f64> {
        match to_canonical(*value.get_ref(), unit.get_ref(), dim, self.crude) {
            Ok(v) => Some(v),
            Err(e) => {
                let hint = did_you_mean(unit.get_ref(), dim.accepted().iter().copied())
                    .map(|d| format!("{d} accepted: {}", dim.accepted().join(", ")))
                    .unwrap_or_else(|| format!("accepted: {}", dim.accepted().join(", ")));
                let (src, pos, field) =
                    (&self.srcs[file], unit.span().start, format!("{field}.unit"));
                let message = format!("unknown unit `{}` for {}", e.unit, e.dimension);
                if self.unknown_unit_fails {
                    self.diags.error(src, pos, field, message, Some(hint));
                } else {
                    self.diags
                        .warn("unknown_unit", src, pos, field, message, Some(hint));
                }
                None
            }
        }
    }

    pub(crate) fn figure(
        &mut self,
        file: usize,
        raw: &Spanned<RawFigure>,
        dim: Dimension,
        field: &str,
    ) -> Option<Figure> {
        let r = raw.get_ref();
        let value = self.convert(file, &r.value, &r.unit, dim, field)?;
        let provenance = self.provenance(file, raw.span().start, field, &r.source, &r.estimate);
        if let Some(problem) =
            super::bounds::for_dimension(dim).problem(value, *r.value.get_ref(), r.unit.get_ref())
        {
            self.diags.error(
                &self.srcs[file],
                r.value.span().start,
                format!("{field}.value"),
                problem,
                Some(BOUNDS_HINT.into()),
            );
            return None;
        }
        Some(Figure {
            value,
            dimension: dim,
            entered_value: *r.value.get_ref(),
            entered_unit: r.unit.get_ref().clone(),
            provenance,
        })
    }

    pub(crate) fn positive(
        &mut self,
        file: usize,
        raw_value: &Spanned<f64>,
        fig: &mut Figure,
        field: &str,
    ) {
        // Negative figures are refused by their range (`figure`); zero passes it.
        if fig.value <= 0.0 {
            self.diags.warn(
                "non_positive_capacity",
                &self.srcs[file],
                raw_value.span().start,
                format!("{field}.value"),
                format!(
                    "capacity {} {} is zero",
                    fig.entered_value, fig.entered_unit
                ),
                Some(
                    "the asset will carry nothing; give the real capacity or delete the asset"
                        .into(),
                ),
            );
            fig.value = 0.0;
        }
    }

    pub(crate) fn reserved(
        &mut self,
        file: usize,
        raw: &Option<Spanned<RawReserved>>,
        field: &str,
    ) -> Result<Option<Reserved>, ()> {
        let Some(rr) = raw else { return Ok(None) };
        let r = rr.get_ref();
        let f = format!("{field}.reserved");
        let fig = RawFigure {
            value: r.value.clone(),
            unit: r.unit.clone(),
            source: r.source.clone(),
            estimate: r.estimate.clone(),
        };
        let share = self
            .figure(file, &Spanned::new(rr.span(), fig), Dimension::Fraction, &f)
            .ok_or(())?;
        if !(0.0..1.0).contains(&share.value) {
            self.diags.warn(
                "share_out_of_range",
                &self.srcs[file],
                r.value.span().start,
                format!("{f}.value"),
                format!("reserved share {} is outside 0…1", share.value),
                Some("give the share held by other shippers as a fraction, e.g. 0.11".into()),
            );
            return Err(());
        }
        Ok(Some(Reserved {
            share,
            holder: r.holder.clone(),
        }))
    }

    pub(crate) fn capacity(
        &mut self,
        file: usize,
        raw: &Spanned<RawCapacity>,
        dim: Dimension,
        field: &str,
    ) -> Option<Capacity> {
        let r = raw.get_ref();
        let mut nominal = self.figure(file, &Spanned::new(raw.span(), r.figure()), dim, field)?;
        self.positive(file, &r.value, &mut nominal, field);
        let reserved = self.reserved(file, &r.reserved, field).ok()?;
        let allocation = match &r.allocation {
            Some(a) => {
                let f = format!("{field}.allocation");
                let mut fig = self.figure(file, a, dim, &f)?;
                self.positive(file, &a.get_ref().value, &mut fig, &f);
                Some(fig)
            }
            None => None,
        };
        let maximum = match &r.maximum {
            Some(m) => {
                let f = format!("{field}.maximum");
                let fig = self.figure(file, m, dim, &f)?;
                if fig.value < nominal.value {
                    self.diags.error(
                        &self.srcs[file],
                        m.span().start,
                        f,
                        "the physical maximum is below the nominal capacity",
                        Some("give the most the asset can carry in an emergency, ≥ `value`".into()),
                    );
                    return None;
                }
                Some(fig)
            }
            None => None,
        };
        Some(Capacity {
            nominal,
            reserved,
            allocation,
            maximum,
        })
    }

    pub(crate) fn status(
        &mut self,
        file: usize,
        raw: &Option<Spanned<String>>,
        field: &str,
    ) -> Option<Status> {
        match raw {
            None => Some(Status::Operating),
            Some(s) => Status::parse(s.get_ref()).or_else(|| {
                self.diags.error(
                    &self.srcs[file],
                    s.span().start,
                    format!("{field}.status"),
                    format!("unknown status `{}`", s.get_ref()),
                    Some(format!("use one of: {}", Status::spellings().join(", "))),
                );
                None
            }),
        }
    }

    /// The reactivation data of an asset with `status`: required for a suspended asset and
    /// refused on any other. `Err(())` when it is wrong (the problem is reported).
    pub(crate) fn reactivation(
        &mut self,
        file: usize,
        raw: &Option<Spanned<RawReactivation>>,
        status: Option<Status>,
        pos: usize,
        field: &str,
    ) -> Result<Option<Reactivation>, ()> {
        match (raw, status) {
            (None, Some(Status::Suspended)) => {
                self.diags.error(
                    &self.srcs[file],
                    pos,
                    format!("{field}.reactivation"),
                    "a suspended asset needs its reactivation lead and ramp",
                    Some("reactivation = { lead = { value = 30, unit = \"days\", estimate = \"…\" }, ramp = { … } }".into()),
                );
                Err(())
            }
            (None, _) => Ok(None),
            (Some(r), Some(Status::Suspended)) => self
                .lead_ramp(file, r.get_ref(), &format!("{field}.reactivation"))
                .map(Some),
            (Some(r), _) => {
                self.diags.error(
                    &self.srcs[file],
                    r.span().start,
                    format!("{field}.reactivation"),
                    "only a suspended asset has reactivation data",
                    Some("set status = \"suspended\", or remove `reactivation`".into()),
                );
                Err(())
            }
        }
    }

    /// A `{ lead, ramp }` table (`field` names it): two durations in days.
    pub(crate) fn lead_ramp(
        &mut self,
        file: usize,
        r: &RawReactivation,
        field: &str,
    ) -> Result<Reactivation, ()> {
        let lead = self.figure(file, &r.lead, Dimension::Duration, &format!("{field}.lead"));
        let ramp = self.figure(file, &r.ramp, Dimension::Duration, &format!("{field}.ramp"));
        match (lead, ramp) {
            (Some(lead_days), Some(ramp_days)) => Ok(Reactivation {
                lead_days,
                ramp_days,
            }),
            _ => Err(()),
        }
    }

    /// Whether the element `field` with id `id` (in `file`) repeats one already defined at
    /// `first` (file, position); if so, warns `duplicate_id` pointing at that definition, and the
    /// caller leaves it out.
    pub(crate) fn duplicate(
        &mut self,
        file: usize,
        id: &Spanned<String>,
        field: &str,
        first: Option<&(usize, usize)>,
    ) -> bool {
        let Some(&(f0, p0)) = first else {
            return false;
        };
        self.diags.warn(
            "duplicate_id",
            &self.srcs[file],
            id.span().start,
            format!("{field}.id"),
            format!(
                "duplicate id `{}`; this definition is left out",
                id.get_ref()
            ),
            Some(format!(
                "first defined at {}:{}",
                self.srcs[f0].name,
                self.srcs[f0].line(p0)
            )),
        );
        true
    }

    pub(crate) fn country(&mut self, file: usize, c: &Spanned<String>, field: &str) {
        let s = c.get_ref();
        if s.len() != 2 || !s.chars().all(|ch| ch.is_ascii_uppercase()) {
            self.diags.warn(
                "bad_country",
                &self.srcs[file],
                c.span().start,
                field,
                format!("`{s}` is not an ISO 3166-1 alpha-2 code"),
                Some("use two capital letters, e.g. KZ, RU, AZ".into()),
            );
        }
    }
}
